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

}  // namespace acgan
