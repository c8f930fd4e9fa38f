#include "acgan_celeba/models.hpp"

#include <algorithm>
#include <cmath>

namespace acgan {
namespace {

constexpr double kLeakyAlpha = 0.3;

// Conv kernels start N(0, 0.01); dense layers keep glorot_uniform, zero bias.
nn::Conv2dOptions conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride) {
  return nn::Conv2dOptions(in, out, kernel)
      .stride(stride)
      .padding(nn::Padding::same())
      .weight_init(nn::Initializer::normal(0.0, 0.01));
}

nn::ConvTranspose2dOptions deconv(std::int64_t in, std::int64_t out) {
  return nn::ConvTranspose2dOptions(in, out, 4)
      .stride(2)
      .padding(nn::Padding::same())
      .weight_init(nn::Initializer::normal(0.0, 0.01));
}

void add_activation(nn::Sequential& s, const TrunkOptions& options) {
  s.emplace<nn::LeakyReLU>(kLeakyAlpha);
  if (options.dropout > 0) s.emplace<nn::Dropout>(options.dropout);
}

}  // namespace

std::shared_ptr<nn::Sequential> make_trunk(const TrunkOptions& options) {
  auto trunk = std::make_shared<nn::Sequential>();
  if (options.input_noise > 0) trunk->emplace<nn::GaussianNoise>(options.input_noise);
  trunk->emplace<nn::Conv2d>(conv(3, 32, 4, 2));
  add_activation(*trunk, options);
  trunk->emplace<nn::Conv2d>(conv(32, 64, 4, 2));
  add_activation(*trunk, options);
  trunk->emplace<nn::Conv2d>(conv(64, 128, 4, 2));
  add_activation(*trunk, options);
  trunk->emplace<nn::Flatten>();
  trunk->emplace<nn::Dense>(nn::DenseOptions(128 * 8 * 8, 128));
  add_activation(*trunk, options);
  return trunk;
}

Encoder::Encoder() : nn::Module("Encoder") {
  trunk = register_module("trunk", make_trunk({}));
  y_head = register_module("y", std::make_shared<nn::Dense>(nn::DenseOptions(128, kAttributes)));
  z_head = register_module("z", std::make_shared<nn::Dense>(nn::DenseOptions(128, kLatent)));
}

std::pair<nn::Tensor, nn::Tensor> Encoder::encode(const nn::Tensor& images) {
  const nn::Tensor h = (*trunk)(images);
  return {nn::sigmoid((*y_head)(h)), nn::sigmoid((*z_head)(h))};
}

Discriminator::Discriminator(const TrunkOptions& options) : nn::Module("Discriminator") {
  trunk = register_module("trunk", make_trunk(options));
  w_head = register_module("w", std::make_shared<nn::Dense>(nn::DenseOptions(128, 1)));
  y_head = register_module("y", std::make_shared<nn::Dense>(nn::DenseOptions(128, kAttributes)));
}

std::pair<nn::Tensor, nn::Tensor> Discriminator::judge(const nn::Tensor& images) {
  const nn::Tensor h = (*trunk)(images);
  return {nn::sigmoid((*w_head)(h)), nn::sigmoid((*y_head)(h))};
}

Generator::Generator() : nn::Module("Generator") {
  join = register_module("join", std::make_shared<nn::Concatenate>(1));
  body = register_module("body", std::make_shared<nn::Sequential>());
  body->emplace<nn::Dense>(nn::DenseOptions(kAttributes + kLatent, 128 * 8 * 8));
  body->emplace<nn::LeakyReLU>(kLeakyAlpha);
  body->emplace<nn::Reshape>(nn::Shape{128, 8, 8});
  body->emplace<nn::ConvTranspose2d>(deconv(128, 128));
  body->emplace<nn::LeakyReLU>(kLeakyAlpha);
  body->emplace<nn::ConvTranspose2d>(deconv(128, 64));
  body->emplace<nn::LeakyReLU>(kLeakyAlpha);
  body->emplace<nn::ConvTranspose2d>(deconv(64, 32));
  body->emplace<nn::LeakyReLU>(kLeakyAlpha);
  body->emplace<nn::Conv2d>(conv(32, 3, 8, 1));
  body->emplace<nn::Tanh>();
}

nn::Tensor Generator::generate(const nn::Tensor& y, const nn::Tensor& z) { return (*body)((*join)({y, z})); }

LatentStatistics::LatentStatistics() : LatentSource("LatentStatistics") {
  mean = register_buffer("mean", nn::full({kLatent}, 0.5));
  variance = register_buffer("variance", nn::full({kLatent}, 1.0 / 12.0));
}

void LatentStatistics::observe(const nn::Tensor& codes, const nn::Tensor& /*labels*/) {
  constexpr double kMomentum = 0.9;
  nn::NoGradGuard no_grad;
  const nn::Tensor batch_mean = nn::mean(codes, {0});
  const nn::Tensor centred = codes - batch_mean;
  const nn::Tensor batch_variance = nn::mean(centred * centred, {0});
  nn::copy_(mean, mean * kMomentum + batch_mean * (1.0 - kMomentum));
  nn::copy_(variance, variance * kMomentum + batch_variance * (1.0 - kMomentum));
}

nn::Tensor LatentStatistics::latent_from_noise(const nn::Tensor& noise) const {
  // 200 square roots on the host: the library has no elementwise sqrt.
  std::vector<float> stddev = variance.to_vector<float>();
  for (float& v : stddev) v = std::sqrt(std::max(v, 0.0f));
  return noise * nn::from_vector(stddev, {kLatent}).to(variance.device()) + mean;
}

CodeBank::CodeBank() : LatentSource("CodeBank") {
  codes = register_buffer("codes", nn::full({kBankRows, kLatent}, 0.5));
  labels = register_buffer("labels", nn::zeros({kBankRows, kAttributes}));
  count = register_buffer("count", nn::zeros({1}, nn::TensorOptions().dtype(nn::Dtype::f64)));
}

namespace {

// Writes `rows` [N, width] into the ring `bank` [kBankRows, width] from position `first` on, through the host:
// the bank is small.
void write_ring(nn::Tensor& bank, const nn::Tensor& rows, std::int64_t first) {
  const std::int64_t width = bank.size(1);
  std::vector<float> held = bank.to_vector<float>();
  const std::vector<float> values = rows.to_vector<float>();
  for (std::int64_t r = 0; r < rows.size(0); ++r)
    std::copy_n(values.begin() + r * width, width, held.begin() + ((first + r) % bank.size(0)) * width);
  nn::copy_(bank, nn::from_vector(held, bank.shape()).to(bank.device()));
}

}  // namespace

void CodeBank::observe(const nn::Tensor& batch_codes, const nn::Tensor& batch_labels) {
  const auto taken = static_cast<std::int64_t>(count.to_vector<double>()[0]);
  write_ring(codes, batch_codes, taken);
  write_ring(labels, batch_labels, taken);
  nn::copy_(count, nn::full({1}, static_cast<double>(taken + batch_codes.size(0)),
                            nn::TensorOptions().dtype(nn::Dtype::f64))
                       .to(count.device()));
}

nn::Tensor CodeBank::picked_rows(const nn::Tensor& bank, const nn::Tensor& noise) const {
  const std::vector<float> held_rows = bank.to_vector<float>(), values = noise.to_vector<float>();
  const auto taken = static_cast<std::int64_t>(count.to_vector<double>()[0]);
  const std::int64_t held = std::clamp<std::int64_t>(taken, 1, kBankRows), n = noise.size(0), width = bank.size(1);
  std::vector<float> rows(static_cast<std::size_t>(n * width));
  for (std::int64_t i = 0; i < n; ++i) {
    const double quantile = 0.5 * std::erfc(-values[static_cast<std::size_t>(i * noise.size(1))] / std::sqrt(2.0));
    const std::int64_t row = std::min(held - 1, static_cast<std::int64_t>(quantile * static_cast<double>(held)));
    std::copy_n(held_rows.begin() + row * width, width, rows.begin() + i * width);
  }
  return nn::from_vector(rows, {n, width}).to(bank.device());
}

nn::Tensor CodeBank::latent_from_noise(const nn::Tensor& noise) const { return picked_rows(codes, noise); }

nn::Tensor CodeBank::labels_from_noise(const nn::Tensor& noise) const { return picked_rows(labels, noise); }

std::unique_ptr<LatentSource> make_latent_source(const std::string& z_dist) {
  if (z_dist == "encoder") return std::make_unique<LatentStatistics>();
  if (z_dist == "codes") return std::make_unique<CodeBank>();
  return nullptr;
}

}  // namespace acgan
