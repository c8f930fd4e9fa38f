#pragma once
// The three networks of the AE-AC-GAN (docs/acgan_celeba.md), on 64x64x3 images in
// [-1, 1], 40 attributes and a latent z of 200.
#include <memory>
#include <string>

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

// Where `--z encoder` and `--z codes` draw G's latents: a summary of E's
// codes of real training faces, followed as the autoencoder sub-step trains
// E, so that the GAN sub-steps and generation use the region of z that the
// autoencoder sub-step teaches G to decode.
class LatentSource : public nn::Module {
 public:
  using nn::Module::Module;
  // Takes in the codes [N, kLatent] of one autoencoder batch and the faces' labels [N, kAttributes].
  virtual void observe(const nn::Tensor& codes, const nn::Tensor& labels) = 0;
  // The latents [n, kLatent] that noise [n, kLatent] drawn from N(0, 1) stands for.
  virtual nn::Tensor latent_from_noise(const nn::Tensor& noise) const = 0;
};

// `--z encoder`: the running per-dimension mean and variance of E's codes
// (stat = 0.9 stat + 0.1 batch stat, about the last ten batches); latents
// are drawn from the normal distribution they describe. Starts at the
// moments of U[0, 1].
class LatentStatistics : public LatentSource {
 public:
  LatentStatistics();
  void observe(const nn::Tensor& codes, const nn::Tensor& labels) override;
  // mean + sqrt(variance) * noise.
  nn::Tensor latent_from_noise(const nn::Tensor& noise) const override;
  nn::Tensor mean, variance;
};

// `--z codes`: the last kBankRows codes themselves, in a ring, with the
// labels of their faces; a latent is one of them, picked by its noise row's
// first value (its normal quantile times the number of codes held). Keeps
// the codes' joint distribution, which a per-dimension normal loses: E's
// sigmoid codes sit mostly at 0 or 1. Starts as one code of 0.5 in every
// dimension, with no attribute.
class CodeBank : public LatentSource {
 public:
  static constexpr std::int64_t kBankRows = 2048;
  CodeBank();
  void observe(const nn::Tensor& codes, const nn::Tensor& labels) override;
  nn::Tensor latent_from_noise(const nn::Tensor& noise) const override;
  // The labels of the faces whose codes latent_from_noise picks for `noise`.
  nn::Tensor labels_from_noise(const nn::Tensor& noise) const;
  nn::Tensor codes;   // [kBankRows, kLatent]
  nn::Tensor labels;  // [kBankRows, kAttributes]
  nn::Tensor count;   // [1] codes taken in so far (f64)

 private:
  // Rows [n, width] of `bank` [kBankRows, width] at the picks for `noise`.
  nn::Tensor picked_rows(const nn::Tensor& bank, const nn::Tensor& noise) const;
};

// The latent source for a --z choice: null for uniform and normal.
std::unique_ptr<LatentSource> make_latent_source(const std::string& z_dist);

}  // namespace acgan
