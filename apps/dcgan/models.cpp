#include "dcgan/models.hpp"

#include <algorithm>

namespace dcgan {
namespace {

// radford64: PyTorch's batch norm defaults; weights N(0, 0.02), scales N(1, 0.02).
constexpr double kRadfordStd = 0.02;
constexpr double kRadfordLeak = 0.2;
// wlu128 and tutorial28: Keras and TF's batch norm momentum 0.99 is libnn's
// 0.01 (libnn weighs the new batch), epsilon 1e-3.
constexpr double kKerasBnMomentum = 0.01;
constexpr double kKerasBnEps = 1e-3;
constexpr double kKerasLeak = 0.3;  // Keras' LeakyReLU default
constexpr double kTutorialLeak = 0.2;

const nn::Initializer kRadfordWeights = nn::Initializer::normal(0.0, kRadfordStd);

void radford_bn(nn::Sequential& s, std::int64_t channels) {
  const auto bn = s.emplace<nn::BatchNorm2d>(nn::BatchNormOptions(channels));
  nn::Initializer::normal(1.0, kRadfordStd).apply(bn->weight, channels, channels);
}

nn::BatchNormOptions keras_bn(std::int64_t channels) {
  return nn::BatchNormOptions(channels).momentum(kKerasBnMomentum).eps(kKerasBnEps);
}

// A 4x4 transposed convolution without bias: stride 1 unpadded (1x1 -> 4x4)
// or stride 2 with 1 pixel cropped per side (doubles the size).
void radford_up(nn::Sequential& s, std::int64_t in, std::int64_t out, std::int64_t stride) {
  s.emplace<nn::ConvTranspose2d>(nn::ConvTranspose2dOptions(in, out, 4)
                                     .stride(stride)
                                     .padding(stride == 1 ? nn::Padding::valid() : nn::Padding::symmetric(1, 1))
                                     .bias(false)
                                     .weight_init(kRadfordWeights));
}

// A 4x4 convolution without bias: stride 2 padded 1 per side (halves the
// size) or stride 1 unpadded (4x4 -> 1x1).
void radford_down(nn::Sequential& s, std::int64_t in, std::int64_t out, std::int64_t stride) {
  s.emplace<nn::Conv2d>(nn::Conv2dOptions(in, out, 4)
                            .stride(stride)
                            .padding(stride == 1 ? nn::Padding::valid() : nn::Padding::symmetric(1, 1))
                            .bias(false)
                            .weight_init(kRadfordWeights));
}

// Keras-style layers keep libnn's defaults: bias, glorot_uniform, zero bias.
void keras_conv(nn::Sequential& s, std::int64_t in, std::int64_t out, std::int64_t stride) {
  s.emplace<nn::Conv2d>(nn::Conv2dOptions(in, out, 5).stride(stride).padding(nn::Padding::same()));
}

void keras_up(nn::Sequential& s, std::int64_t in, std::int64_t out, std::int64_t kernel, nn::Padding padding) {
  s.emplace<nn::ConvTranspose2d>(nn::ConvTranspose2dOptions(in, out, kernel).stride(2).padding(padding));
}

void build_generator(nn::Sequential& s, Architecture a, std::int64_t c) {
  switch (a) {
    case Architecture::radford64:
      s.emplace<nn::Reshape>(nn::Shape{kLatent, 1, 1});
      radford_up(s, kLatent, 512, 1);  // 4x4
      radford_bn(s, 512);
      s.emplace<nn::ReLU>();
      for (const auto& [in, out] : {std::pair<std::int64_t, std::int64_t>{512, 256}, {256, 128}, {128, 64}}) {
        radford_up(s, in, out, 2);  // 8, 16, 32
        radford_bn(s, out);
        s.emplace<nn::ReLU>();
      }
      radford_up(s, 64, c, 2);  // 64
      break;
    case Architecture::wlu128: {
      // The source's order, batch norm before or after the activation as it has it.
      const nn::Padding same = nn::Padding::same();
      s.emplace<nn::Dense>(nn::DenseOptions(kLatent, 512 * 4 * 4));
      s.emplace<nn::Reshape>(nn::Shape{512, 4, 4});
      s.emplace<nn::BatchNorm2d>(keras_bn(512));
      keras_up(s, 512, 512, 3, same);  // 8
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      s.emplace<nn::BatchNorm2d>(keras_bn(512));
      keras_up(s, 512, 256, 3, same);  // 16
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      s.emplace<nn::BatchNorm2d>(keras_bn(256));
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      keras_up(s, 256, 128, 3, same);  // 32
      s.emplace<nn::BatchNorm2d>(keras_bn(128));
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      keras_up(s, 128, 64, 3, same);  // 64
      s.emplace<nn::BatchNorm2d>(keras_bn(64));
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      keras_up(s, 64, c, 3, same);  // 128
      break;
    }
    case Architecture::tutorial28:
      s.emplace<nn::Dense>(nn::DenseOptions(kLatent, 512 * 2 * 2));
      s.emplace<nn::Reshape>(nn::Shape{512, 2, 2});
      s.emplace<nn::BatchNorm2d>(keras_bn(512));
      s.emplace<nn::LeakyReLU>(kTutorialLeak);
      keras_up(s, 512, 256, 5, nn::Padding::valid());  // 7
      s.emplace<nn::BatchNorm2d>(keras_bn(256));
      s.emplace<nn::LeakyReLU>(kTutorialLeak);
      keras_up(s, 256, 128, 5, nn::Padding::same());  // 14
      s.emplace<nn::BatchNorm2d>(keras_bn(128));
      s.emplace<nn::LeakyReLU>(kTutorialLeak);
      keras_up(s, 128, c, 5, nn::Padding::same());  // 28
      break;
  }
  s.emplace<nn::Tanh>();
}

void build_discriminator(nn::Sequential& s, Architecture a, std::int64_t c) {
  switch (a) {
    case Architecture::radford64:
      radford_down(s, c, 64, 2);  // 32
      s.emplace<nn::LeakyReLU>(kRadfordLeak);
      for (const auto& [in, out] : {std::pair<std::int64_t, std::int64_t>{64, 128}, {128, 256}, {256, 512}}) {
        radford_down(s, in, out, 2);  // 16, 8, 4
        radford_bn(s, out);
        s.emplace<nn::LeakyReLU>(kRadfordLeak);
      }
      radford_down(s, 512, 1, 1);  // 1x1
      s.emplace<nn::Flatten>();
      break;
    case Architecture::wlu128:
      keras_conv(s, c, 64, 2);  // 64
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      keras_conv(s, 64, 128, 2);  // 32
      s.emplace<nn::BatchNorm2d>(keras_bn(128));
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      keras_conv(s, 128, 256, 2);  // 16
      s.emplace<nn::BatchNorm2d>(keras_bn(256));
      s.emplace<nn::LeakyReLU>(kKerasLeak);
      keras_conv(s, 256, 512, 2);  // 8, no batch norm or activation after it
      s.emplace<nn::Flatten>();
      s.emplace<nn::Dense>(nn::DenseOptions(512 * 8 * 8, 1));
      break;
    case Architecture::tutorial28:
      keras_conv(s, c, 64, 2);  // 14
      s.emplace<nn::LeakyReLU>(kTutorialLeak);
      keras_conv(s, 64, 128, 2);  // 7
      s.emplace<BatchStatisticsNorm2d>(keras_bn(128));
      s.emplace<nn::LeakyReLU>(kTutorialLeak);
      keras_conv(s, 128, 256, 1);  // 7
      s.emplace<BatchStatisticsNorm2d>(keras_bn(256));
      s.emplace<nn::LeakyReLU>(kTutorialLeak);
      s.emplace<nn::Flatten>();
      s.emplace<nn::Dense>(nn::DenseOptions(256 * 7 * 7, 1));
      break;
  }
}

}  // namespace

const std::vector<std::string>& architecture_names() {
  static const std::vector<std::string> names = {"radford64", "wlu128", "tutorial28"};
  return names;
}

Architecture architecture_from_name(const std::string& name) {
  const auto& names = architecture_names();
  const auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) {
    std::string choices;
    for (const std::string& n : names) choices += (choices.empty() ? "" : ", ") + n;
    throw nn::Error("dcgan: unknown architecture '" + name + "' (choices: " + choices + ")");
  }
  return static_cast<Architecture>(found - names.begin());
}

std::string name_of(Architecture a) { return architecture_names().at(static_cast<std::size_t>(a)); }

std::int64_t image_size_of(Architecture a) {
  switch (a) {
    case Architecture::radford64:
      return 64;
    case Architecture::wlu128:
      return 128;
    case Architecture::tutorial28:
      return 28;
  }
  throw nn::Error("dcgan: unknown architecture");
}

nn::Tensor BatchStatisticsNorm2d::forward(const nn::Tensor& x) {
  const bool update = is_training();
  return nn::batch_norm(x, weight, bias, update ? running_mean : nn::Tensor(), update ? running_var : nn::Tensor(),
                        true, options().momentum(), options().eps());
}

Generator::Generator(Architecture a, std::int64_t channels)
    : nn::Module("Generator"), architecture_(a), channels_(channels) {
  body = register_module("body", std::make_shared<nn::Sequential>());
  build_generator(*body, a, channels);
}

nn::Tensor Generator::generate(const nn::Tensor& z) {
  if (z.dim() != 2 || z.size(1) != kLatent)
    throw nn::Error("dcgan::Generator(" + name_of(architecture_) + "): z must be [N, " + std::to_string(kLatent) +
                    "], got " + nn::shape_str(z.shape()));
  return (*body)(z);
}

Discriminator::Discriminator(Architecture a, std::int64_t channels)
    : nn::Module("Discriminator"), architecture_(a), channels_(channels) {
  body = register_module("body", std::make_shared<nn::Sequential>());
  build_discriminator(*body, a, channels);
}

nn::Tensor Discriminator::logits(const nn::Tensor& images) {
  const std::int64_t s = image_size_of(architecture_);
  if (images.dim() != 4 || images.size(1) != channels_ || images.size(2) != s || images.size(3) != s)
    throw nn::Error("dcgan::Discriminator(" + name_of(architecture_) + "): images must be [N, " +
                    std::to_string(channels_) + ", " + std::to_string(s) + ", " + std::to_string(s) + "], got " +
                    nn::shape_str(images.shape()));
  return (*body)(images);
}

}  // namespace dcgan
