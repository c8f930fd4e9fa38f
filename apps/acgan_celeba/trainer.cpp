#include "acgan_celeba/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace acgan {
namespace {

constexpr std::int64_t kDrawnIndices = 10;  // indices set in each --fake-labels ten-indices row

std::vector<nn::Tensor> joined(const std::vector<nn::Tensor>& a, const std::vector<nn::Tensor>& b) {
  std::vector<nn::Tensor> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Moves a model to the run's device before an optimiser takes its
// parameters, so the optimiser's state is created there too.
nn::Module& on_device(nn::Module& m, nn::Device device) {
  m.to(device);
  return m;
}

// Sets one drawn attribute of each of the n rows on or off at random, as attribute control asks for it.
void flip_one_attribute(std::vector<float>& rows, std::int64_t n) {
  const std::vector<double> flips =
      nn::uniform({n, 2}, 0.0, 1.0, nn::TensorOptions().dtype(nn::Dtype::f64)).to_vector<double>();
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t attribute =
        std::min(kAttributes - 1, static_cast<std::int64_t>(flips[static_cast<std::size_t>(2 * i)] * kAttributes));
    rows[static_cast<std::size_t>(i * kAttributes + attribute)] =
        flips[static_cast<std::size_t>(2 * i + 1)] < 0.5 ? 1.0f : 0.0f;
  }
}

nn::AdamOptions adam(const Config& c, double lr) {
  nn::AdamOptions options = nn::AdamOptions().lr(lr).beta1(c.beta1).beta2(c.beta2);
  if (c.adam == "keras") options.eps(1e-7).convention(nn::AdamEpsilon::keras);
  return options;
}

void require_finite(double value, const char* what, std::int64_t d_steps) {
  if (!std::isfinite(value))
    throw nn::Error("acgan_celeba: " + std::string(what) + " became " + std::to_string(value) + " after " +
                    std::to_string(d_steps) + " discriminator steps");
}

}  // namespace

Trainer::Trainer(const Config& config, nn::Device device, std::vector<float> labels)
    : latent_source(make_latent_source(config.z_dist)),
      discriminator(TrunkOptions{config.input_noise, config.dropout}),
      d_optimizer(on_device(discriminator, device).parameters(), adam(config, config.lr)),
      g_optimizer(on_device(generator, device).parameters(), adam(config, config.lr)),
      ae_optimizer(joined(on_device(encoder, device).parameters(), generator.parameters()),
                   adam(config, config.lr * config.ae_lr_factor)),
      config_(config),
      options_(nn::TensorOptions().device(device)),
      labels_(std::move(labels)) {
  if (latent_source) latent_source->to(device);
  if (labels_.empty() || labels_.size() % kAttributes != 0)
    throw nn::Error("acgan_celeba: the training labels must be rows of 40 attributes");
  if (config.g_average > 0) {
    averaged_generator = std::make_unique<Generator>();
    averaged_generator->to(device);
    averaged_generator->freeze();
    restart_average();
  }
}

void Trainer::restart_average() {
  if (!averaged_generator) return;
  nn::NoGradGuard no_grad;
  const std::vector<nn::Tensor> live = generator.parameters(), average = averaged_generator->parameters();
  for (std::size_t i = 0; i < live.size(); ++i) nn::copy_(average[i], live[i]);
}

nn::Tensor Trainer::sample_attributes(std::int64_t n) {
  std::vector<float> rows(static_cast<std::size_t>(n * kAttributes));
  if (config_.fake_labels == "random") {
    const nn::Tensor bits = nn::uniform({n, kAttributes}, 0.0, 1.0);
    const std::vector<float> b = bits.to_vector<float>();
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = b[i] < 0.5f ? 1.0f : 0.0f;
  } else if (config_.fake_labels == "ten-indices") {
    const std::vector<double> picks =
        nn::uniform({n, kDrawnIndices}, 0.0, 1.0, nn::TensorOptions().dtype(nn::Dtype::f64)).to_vector<double>();
    for (std::int64_t i = 0; i < n * kDrawnIndices; ++i) {
      const std::int64_t index =
          std::min(kAttributes - 1, static_cast<std::int64_t>(picks[static_cast<std::size_t>(i)] * kAttributes));
      rows[static_cast<std::size_t>(i / kDrawnIndices * kAttributes + index)] = 1.0f;
    }
  } else {
    const std::int64_t count = static_cast<std::int64_t>(labels_.size()) / kAttributes;
    const std::vector<double> picks =
        nn::uniform({n}, 0.0, 1.0, nn::TensorOptions().dtype(nn::Dtype::f64)).to_vector<double>();
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t row = std::min(count - 1, static_cast<std::int64_t>(picks[i] * static_cast<double>(count)));
      std::copy_n(labels_.begin() + row * kAttributes, kAttributes, rows.begin() + i * kAttributes);
    }
    if (config_.fake_labels == "train-flip") flip_one_attribute(rows, n);
  }
  return nn::from_vector(rows, {n, kAttributes}).to(options_.device());
}

std::pair<nn::Tensor, nn::Tensor> Trainer::sample_fakes(std::int64_t n) {
  if (config_.fake_labels != "code-flip") {
    nn::Tensor y = sample_attributes(n);
    return {y, sample_z(n)};
  }
  const nn::Tensor noise = sample_noise(n);
  const auto& bank = dynamic_cast<const CodeBank&>(*latent_source);
  std::vector<float> rows = bank.labels_from_noise(noise).to_vector<float>();
  flip_one_attribute(rows, n);
  return {nn::from_vector(rows, {n, kAttributes}).to(options_.device()), bank.latent_from_noise(noise)};
}

nn::Tensor Trainer::sample_z(std::int64_t n) { return latent_from_noise(sample_noise(n)); }

nn::Tensor Trainer::sample_noise(std::int64_t n) {
  const nn::Tensor noise =
      config_.z_dist == "uniform" ? nn::uniform({n, kLatent}, 0.0, 1.0) : nn::normal({n, kLatent}, 0.0, 1.0);
  return noise.to(options_.device());
}

nn::Tensor Trainer::latent_from_noise(const nn::Tensor& noise) const {
  return latent_source ? latent_source->latent_from_noise(noise) : noise;
}

StepMetrics Trainer::step(const nn::Tensor& images, const nn::Tensor& labels) {
  const std::int64_t n = images.size(0);
  StepMetrics m;
  if (ae_optimizer.steps() < config_.ae_warmup) {
    const double unmeasured = std::nan("");
    m.d_loss_w = m.d_loss_y = m.g_loss_w = m.g_loss_y = unmeasured;
    m.d_acc_w = m.d_f1_y = m.g_f1_y = m.d_acc_w_gen = unmeasured;
    autoencoder_step(images, labels, m);
    update_average();
    return m;
  }
  const auto [fake_y, fake_z] = sample_fakes(n);
  // With 'reuse' G's sub-step judges these same fakes (G has not changed since
  // it drew them), so they keep their graph for its backward pass instead of
  // being generated a second time; D trains on a detached view.
  const bool reuse = config_.g_fakes == "reuse";
  nn::Tensor fake_images;
  {
    std::optional<nn::NoGradGuard> no_grad;
    if (!reuse) no_grad.emplace();
    fake_images = generator.generate(fake_y, fake_z);
  }
  discriminator_step(images, labels, fake_images.detach(), fake_y, m);
  if (reuse) {
    generator_step(fake_images, fake_y, fake_z, m);
  } else {
    const auto [wanted_y, z] = sample_fakes(n);
    generator_step(wanted_y, z, m);
  }
  autoencoder_step(images, labels, m);
  update_average();
  return m;
}

void Trainer::update_average() {
  if (!averaged_generator) return;
  // The autoencoder's Adam counts every step, warm-up included.
  const double t = static_cast<double>(ae_optimizer.steps());
  const double decay = std::min(config_.g_average, (1.0 + t) / (10.0 + t));
  nn::NoGradGuard no_grad;
  const std::vector<nn::Tensor> live = generator.parameters(), average = averaged_generator->parameters();
  for (std::size_t i = 0; i < live.size(); ++i)
    nn::copy_(average[i], average[i] * decay + live[i] * (1.0 - decay));
}

void Trainer::discriminator_step(const nn::Tensor& images, const nn::Tensor& labels, const nn::Tensor& fake_images,
                                 const nn::Tensor& fake_y, StepMetrics& m) {
  if (config_.d_batch == "mixed")
    mixed_discriminator_step(images, labels, fake_images, fake_y, m);
  else
    separate_discriminator_step(images, labels, fake_images, fake_y, m);
}

void Trainer::separate_discriminator_step(const nn::Tensor& images, const nn::Tensor& labels,
                                          const nn::Tensor& fake_images, const nn::Tensor& fake_y, StepMetrics& m) {
  const std::int64_t n = images.size(0);
  const nn::Tensor real_w = nn::smooth_labels(nn::ones({n, 1}, options_), 1.0 - config_.real_target);
  const nn::Tensor fake_w = nn::zeros({fake_images.size(0), 1}, options_);
  d_optimizer.zero_grad();
  const auto [w_real, y_real] = discriminator.judge(images);
  const auto [w_fake, y_fake] = discriminator.judge(fake_images);
  const nn::Tensor d_loss_w = nn::bce(w_real, real_w) + nn::bce(w_fake, fake_w);
  nn::Tensor d_loss_y = nn::bce(y_real, labels);
  if (config_.d_fake_y_weight > 0) d_loss_y = d_loss_y + nn::bce(y_fake, fake_y) * config_.d_fake_y_weight;
  (d_loss_w + d_loss_y).backward();
  m.d_loss_w = d_loss_w.item();
  m.d_loss_y = d_loss_y.item();
  require_finite(m.d_loss_w + m.d_loss_y, "the discriminator's loss", d_optimizer.steps());
  d_optimizer.step();
  m.d_acc_w = w_accuracy(w_real, w_fake);
  m.d_f1_y = sample_f1(y_real, labels);
}

void Trainer::mixed_discriminator_step(const nn::Tensor& images, const nn::Tensor& labels,
                                       const nn::Tensor& fake_images, const nn::Tensor& fake_y, StepMetrics& m) {
  const std::int64_t n = images.size(0);
  if (fake_images.size(0) != n)
    throw nn::Error("acgan_celeba: a mixed discriminator batch needs as many fakes as real images, not " +
                    std::to_string(fake_images.size(0)) + " and " + std::to_string(n));
  const std::vector<std::int64_t> rows = draw_mixed_rows(n);
  // Row r of the real batch followed by the fake batch.
  const auto row = [n](const nn::Tensor& real, const nn::Tensor& fake, std::int64_t r) {
    return r < n ? real.slice_batch(r, r + 1) : fake.slice_batch(r - n, r - n + 1);
  };
  std::vector<nn::Tensor> kept_images, kept_y;
  std::vector<float> w_target;
  for (const std::int64_t r : rows) {
    kept_images.push_back(row(images, fake_images, r));
    kept_y.push_back(row(labels, fake_y, r));
    w_target.push_back(r < n ? static_cast<float>(config_.real_target) : 0.0f);
  }
  const nn::Tensor y_target = nn::concat(kept_y, 0);
  d_optimizer.zero_grad();
  const auto [w, y] = discriminator.judge(nn::concat(kept_images, 0));
  const nn::Tensor d_loss_w = nn::bce(w, nn::from_vector(w_target, {n, 1}).to(options_.device()));
  const nn::Tensor d_loss_y = nn::bce(y, y_target);
  (d_loss_w + d_loss_y).backward();
  m.d_loss_w = d_loss_w.item();
  m.d_loss_y = d_loss_y.item();
  require_finite(m.d_loss_w + m.d_loss_y, "the discriminator's loss", d_optimizer.steps());
  d_optimizer.step();
  const std::vector<float> w_values = w.to_vector<float>();
  std::int64_t right = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) right += rows[i] < n ? w_values[i] > 0.5f : w_values[i] <= 0.5f;
  m.d_acc_w = static_cast<double>(right) / static_cast<double>(n);
  m.d_f1_y = sample_f1(y, y_target);
}

void Trainer::generator_step(const nn::Tensor& wanted_y, const nn::Tensor& z, StepMetrics& m) {
  generator_step(generator.generate(wanted_y, z), wanted_y, z, m);
}

void Trainer::generator_step(const nn::Tensor& generated, const nn::Tensor& wanted_y, const nn::Tensor& z,
                             StepMetrics& m) {
  const std::int64_t n = wanted_y.size(0);
  discriminator.freeze();
  g_optimizer.zero_grad();
  const auto [w_gen, y_gen] = discriminator.judge(generated);
  const nn::Tensor g_loss_w = nn::bce(w_gen, nn::full({n, 1}, config_.g_target, options_));
  const nn::Tensor g_loss_y = nn::bce(y_gen, wanted_y);
  nn::Tensor loss = g_loss_w + g_loss_y;
  if (config_.g_read_y_weight > 0 || config_.g_read_z_weight > 0) {
    encoder.freeze();
    const auto [read_y, read_z] = encoder.encode(generated);
    if (config_.g_read_y_weight > 0) loss = loss + nn::bce(read_y, wanted_y) * config_.g_read_y_weight;
    if (config_.g_read_z_weight > 0) loss = loss + nn::mae(read_z, z) * config_.g_read_z_weight;
  }
  loss.backward();
  encoder.unfreeze();
  discriminator.unfreeze();
  m.g_loss_w = g_loss_w.item();
  m.g_loss_y = g_loss_y.item();
  require_finite(m.g_loss_w + m.g_loss_y, "the generator's loss", d_optimizer.steps());
  g_optimizer.step();
  m.g_f1_y = sample_f1(y_gen, wanted_y);
  const std::vector<float> w_values = w_gen.to_vector<float>();
  const auto judged_fake = std::count_if(w_values.begin(), w_values.end(), [](float v) { return v <= 0.5f; });
  m.d_acc_w_gen = static_cast<double>(judged_fake) / static_cast<double>(n);
}

void Trainer::autoencoder_step(const nn::Tensor& images, const nn::Tensor& labels, StepMetrics& m) {
  ae_optimizer.zero_grad();
  const auto [code_y, code_z] = encoder.encode(images);
  if (latent_source) latent_source->observe(code_z, labels);
  const nn::Tensor decoded_z =
      config_.ae_z_noise > 0 ? code_z + nn::normal(code_z.shape(), 0.0, config_.ae_z_noise).to(options_.device())
                             : code_z;
  const nn::Tensor& decoded_y = config_.ae_y == "labels" ? labels : code_y;
  const nn::Tensor ae_loss = nn::mae(generator.generate(decoded_y, decoded_z), images);
  nn::Tensor loss = ae_loss;
  if (config_.ae_attr_weight > 0) loss = loss + nn::bce(code_y, labels) * config_.ae_attr_weight;
  loss.backward();
  m.ae_loss = ae_loss.item();
  require_finite(m.ae_loss, "the autoencoder's loss", d_optimizer.steps());
  ae_optimizer.step();
}

nn::CheckpointParts Trainer::checkpoint_parts() {
  nn::CheckpointParts parts{{{"E", &encoder}, {"D", &discriminator}, {"G", &generator}},
                            {{"adam_D", &d_optimizer}, {"adam_G", &g_optimizer}, {"adam_AE", &ae_optimizer}}};
  if (latent_source) parts.modules["Z"] = latent_source.get();
  if (averaged_generator) parts.modules["G_average"] = averaged_generator.get();
  return parts;
}

double sample_f1(const nn::Tensor& predicted, const nn::Tensor& target) {
  const std::vector<float> p = predicted.to_vector<float>(), t = target.to_vector<float>();
  const std::int64_t n = predicted.size(0), k = predicted.size(1);
  double total = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    int tp = 0, fp = 0, fn = 0;
    for (std::int64_t j = 0; j < k; ++j) {
      const bool pred = p[i * k + j] > 0.5f, truth = t[i * k + j] > 0.5f;
      tp += pred && truth;
      fp += pred && !truth;
      fn += !pred && truth;
    }
    if (tp > 0) total += 2.0 * tp / (2.0 * tp + fp + fn);  // sklearn counts an all-empty sample as 0
  }
  return total / static_cast<double>(n);
}

double w_accuracy(const nn::Tensor& w_real, const nn::Tensor& w_fake) {
  const std::vector<float> r = w_real.to_vector<float>(), f = w_fake.to_vector<float>();
  std::int64_t correct = 0;
  for (float v : r) correct += v > 0.5f;
  for (float v : f) correct += v <= 0.5f;
  return static_cast<double>(correct) / static_cast<double>(r.size() + f.size());
}

std::vector<std::int64_t> draw_mixed_rows(std::int64_t n) {
  const std::vector<double> keys =
      nn::uniform({2 * n}, 0.0, 1.0, nn::TensorOptions().dtype(nn::Dtype::f64)).to_vector<double>();
  std::vector<std::int64_t> order(static_cast<std::size_t>(2 * n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&keys](std::int64_t a, std::int64_t b) {
    return keys[static_cast<std::size_t>(a)] < keys[static_cast<std::size_t>(b)];
  });
  order.resize(static_cast<std::size_t>(n));
  return order;
}

}  // namespace acgan
