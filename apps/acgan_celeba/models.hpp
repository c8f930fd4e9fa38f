#pragma once
// The three networks of the AE-AC-GAN (docs/acgan_celeba.md), on 64x64x3 images in
// [-1, 1], 40 attributes and a latent z of 200.
#include <memory>

#include <nn/nn.hpp>

namespace acgan {

inline constexpr std::int64_t kImageSize = 64;
inline constexpr std::int64_t kAttributes = 40;
inline constexpr std::int64_t kLatent = 200;

struct TrunkOptions {
  double input_noise = 0.0;  // GaussianNoise stddev on the input (0: none)
  double dropout = 0.0;      // Dropout after each hidden activation (0: none)
};

// Conv 32-64-128 (4x4, stride 2, same) with LeakyReLU, Flatten, Dense 128,
// LeakyReLU: the trunk E and D share in shape (not in weights).
std::shared_ptr<nn::Sequential> make_trunk(const TrunkOptions& options);

// E: image -> (y: 40 attribute probabilities, z: 200 values in (0, 1)).
class Encoder : public nn::Module {
 public:
  Encoder();
  std::pair<nn::Tensor, nn::Tensor> encode(const nn::Tensor& images);
  std::shared_ptr<nn::Sequential> trunk;
  std::shared_ptr<nn::Dense> y_head, z_head;
};

// D: image -> (w: probability of real, y: 40 attribute probabilities).
class Discriminator : public nn::Module {
 public:
  explicit Discriminator(const TrunkOptions& options);
  std::pair<nn::Tensor, nn::Tensor> judge(const nn::Tensor& images);
  std::shared_ptr<nn::Sequential> trunk;
  std::shared_ptr<nn::Dense> w_head, y_head;
};

// G: (y, z) -> image in [-1, 1]; the last convolution is 8x8 `same`, which
// Keras pads asymmetrically (3 before, 4 after).
class Generator : public nn::Module {
 public:
  Generator();
  nn::Tensor generate(const nn::Tensor& y, const nn::Tensor& z);
  std::shared_ptr<nn::Concatenate> join;
  std::shared_ptr<nn::Sequential> body;
};

// The running per-dimension mean and variance of E's latent codes; with
// `--z encoder` G's latents are drawn from the normal distribution they
// describe, so the GAN sub-steps and generation use the region of z that the
// autoencoder sub-step teaches G to decode. Starts at the moments of U[0, 1].
class LatentStatistics : public nn::Module {
 public:
  LatentStatistics();
  // Moves the statistics towards those of `codes` [N, kLatent]:
  // stat = momentum * stat + (1 - momentum) * batch stat.
  void update(const nn::Tensor& codes, double momentum);
  // mean + sqrt(variance) * noise, for noise [n, kLatent] drawn from N(0, 1).
  nn::Tensor latent_from_noise(const nn::Tensor& noise) const;
  nn::Tensor mean, variance;
};

}  // namespace acgan
