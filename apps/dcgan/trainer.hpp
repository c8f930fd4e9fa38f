#pragma once
// One DCGAN training step, as the sources run it: z is drawn and G makes a
// batch of fakes; D takes one Adam step on mean BCE(D(x), real_target) +
// mean BCE(D(fakes), 0) with the fakes detached; then G takes one Adam step
// on mean BCE(D(fakes), g_target) through the updated, frozen D on the same
// fakes. The BCEs take D's logits (a sigmoid and BCE in one stable op).
#include <cstdint>

#include <nn/nn.hpp>

#include "dcgan/models.hpp"
#include "dcgan/recipe.hpp"

namespace dcgan {

// The losses and mean probabilities D gave: d_real for the real batch and
// d_fake for the fakes in D's step, d_fake_after for the same fakes in G's
// step, after D's update (the PyTorch example's D(x) and D(G(z)) a / b).
struct StepMetrics {
  double d_loss = 0, g_loss = 0, d_real = 0, d_fake = 0, d_fake_after = 0;
};

struct TrainerSettings {
  Architecture architecture;
  std::int64_t channels;
  double lr, beta1, beta2, adam_eps;
  bool keras_adam;
  double real_target, g_target;
  LatentDistribution z;
};

TrainerSettings settings_from(const Recipe& r, Architecture a, std::int64_t channels);

// n latents [n, 100] from `z`, drawn from the global generator.
nn::Tensor sample_latent(LatentDistribution z, std::int64_t n, const nn::TensorOptions& options);

class Trainer {
 public:
  // Builds G, then D (in that order from the global generator), on `device`.
  Trainer(const TrainerSettings& s, nn::Device device);

  // One D step then one G step on `real` [N, C, S, S]; reads the metrics back
  // from the device once, and raises nn::Error if a loss is not finite.
  StepMetrics step(const nn::Tensor& real);
  // z [n, 100] from the recipe's distribution, drawn from the global generator on the device.
  nn::Tensor sample_z(std::int64_t n);
  // "G", "D", "adam_G" and "adam_D".
  nn::CheckpointParts checkpoint_parts();
  nn::TensorOptions options() const { return options_; }
  const TrainerSettings& settings() const { return settings_; }

  Generator generator;
  Discriminator discriminator;
  nn::Adam d_optimizer, g_optimizer;

 private:
  TrainerSettings settings_;
  nn::TensorOptions options_;
};

}  // namespace dcgan
