#include "dcgan/trainer.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace dcgan {
namespace {

// Moves a model to the run's device before an optimiser takes its
// parameters, so the optimiser's state is created there too.
nn::Module& on_device(nn::Module& m, nn::Device device) {
  m.to(device);
  return m;
}

nn::AdamOptions adam(const TrainerSettings& s) {
  return nn::AdamOptions()
      .lr(s.lr)
      .beta1(s.beta1)
      .beta2(s.beta2)
      .eps(s.adam_eps)
      .convention(s.keras_adam ? nn::AdamEpsilon::keras : nn::AdamEpsilon::pytorch);
}

// mean(sigmoid(logits)) as a [1] tensor on the device, outside the graph.
nn::Tensor mean_probability(const nn::Tensor& logits) {
  return nn::mean(nn::sigmoid(logits.detach())).reshape({1});
}

}  // namespace

TrainerSettings settings_from(const Recipe& r, Architecture a, std::int64_t channels) {
  return {.architecture = a,
          .channels = channels,
          .lr = r.lr,
          .beta1 = r.beta1,
          .beta2 = r.beta2,
          .adam_eps = r.adam_eps,
          .keras_adam = r.keras_adam,
          .real_target = r.real_target,
          .g_target = r.g_target,
          .z = r.z};
}

Trainer::Trainer(const TrainerSettings& s, nn::Device device)
    : generator(s.architecture, s.channels),
      discriminator(s.architecture, s.channels),
      d_optimizer(on_device(discriminator, device).parameters(), adam(s)),
      g_optimizer(on_device(generator, device).parameters(), adam(s)),
      settings_(s),
      options_(nn::TensorOptions().device(device)) {}

nn::Tensor sample_latent(LatentDistribution z, std::int64_t n, const nn::TensorOptions& options) {
  return z == LatentDistribution::normal ? nn::normal({n, kLatent}, 0.0, 1.0, options)
                                         : nn::uniform({n, kLatent}, -1.0, 1.0, options);
}

nn::Tensor Trainer::sample_z(std::int64_t n) { return sample_latent(settings_.z, n, options_); }

StepMetrics Trainer::step(const nn::Tensor& real) {
  const std::int64_t n = real.size(0);
  const nn::Tensor fakes = generator.generate(sample_z(n));

  d_optimizer.zero_grad();
  const nn::Tensor real_logits = discriminator.logits(real);
  const nn::Tensor fake_logits = discriminator.logits(fakes.detach());
  const nn::Tensor d_loss = nn::bce_with_logits(real_logits, nn::full({n, 1}, settings_.real_target, options_)) +
                            nn::bce_with_logits(fake_logits, nn::zeros({n, 1}, options_));
  d_loss.backward();
  d_optimizer.step();

  // G's step back-propagates through the same fakes; D, frozen, gets no gradients.
  discriminator.freeze();
  g_optimizer.zero_grad();
  const nn::Tensor after_logits = discriminator.logits(fakes);
  const nn::Tensor g_loss = nn::bce_with_logits(after_logits, nn::full({n, 1}, settings_.g_target, options_));
  g_loss.backward();
  discriminator.unfreeze();
  g_optimizer.step();

  // One read from the device for all five figures.
  const std::vector<double> v =
      nn::concat({d_loss.detach().reshape({1}), g_loss.detach().reshape({1}), mean_probability(real_logits),
                  mean_probability(fake_logits), mean_probability(after_logits)},
                 0)
          .to_vector<double>();
  const StepMetrics m{.d_loss = v[0], .g_loss = v[1], .d_real = v[2], .d_fake = v[3], .d_fake_after = v[4]};
  if (!std::isfinite(m.d_loss) || !std::isfinite(m.g_loss))
    throw nn::Error("dcgan: the losses became " + std::to_string(m.d_loss) + " (D) and " + std::to_string(m.g_loss) +
                    " (G) after " + std::to_string(d_optimizer.steps()) + " steps");
  return m;
}

nn::CheckpointParts Trainer::checkpoint_parts() {
  return {{{"G", &generator}, {"D", &discriminator}}, {{"adam_G", &g_optimizer}, {"adam_D", &d_optimizer}}};
}

}  // namespace dcgan
