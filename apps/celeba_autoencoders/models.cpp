#include "celeba_autoencoders/models.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace autoencoders {
namespace {

constexpr std::int64_t kChannels = 3;
constexpr double kLeak = 0.01;  // PyTorch's LeakyReLU default

// PyTorch's default for every weight and bias of a Linear or a convolution:
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)). Its fan_in is the weight's dimension 1
// times the kernel's area, which for a transposed convolution (weight
// [in, out, kh, kw]) counts the OUTPUT channels; the callers pass it so.
nn::Initializer pytorch_default(std::int64_t fan_in) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  return nn::Initializer::uniform(-bound, bound);
}

void dense(nn::Sequential& s, std::int64_t in, std::int64_t out) {
  const nn::Initializer init = pytorch_default(in);
  s.emplace<nn::Dense>(nn::DenseOptions(in, out).weight_init(init).bias_init(init));
}

void conv(nn::Sequential& s, std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
          std::int64_t pad) {
  const nn::Initializer init = pytorch_default(in * kernel * kernel);
  s.emplace<nn::Conv2d>(nn::Conv2dOptions(in, out, kernel)
                            .stride(stride)
                            .padding(nn::Padding::symmetric(pad, pad))
                            .weight_init(init)
                            .bias_init(init));
}

// A stride-2 transposed convolution: with kernel 4 and pad 1, or kernel 6
// and pad 2, it doubles the size.
void up(nn::Sequential& s, std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t pad) {
  const nn::Initializer init = pytorch_default(out * kernel * kernel);
  s.emplace<nn::ConvTranspose2d>(nn::ConvTranspose2dOptions(in, out, kernel)
                                     .stride(2)
                                     .padding(nn::Padding::symmetric(pad, pad))
                                     .weight_init(init)
                                     .bias_init(init));
}

void leaky(nn::Sequential& s) { s.emplace<nn::LeakyReLU>(kLeak); }

void build_encoder1(nn::Sequential& s) {
  const std::int64_t widths[] = {kChannels, 8, 16, 32, 64, 128, 256};
  for (std::size_t i = 0; i + 1 < std::size(widths); ++i) {  // 64 -> 32 -> ... -> 1
    conv(s, widths[i], widths[i + 1], 3, 1, 1);
    s.emplace<nn::ReLU>();
    s.emplace<nn::MaxPool2d>(nn::Size2d{2, 2});
  }
  s.emplace<nn::Flatten>();
  dense(s, 256, 128);
  s.emplace<nn::ReLU>();
  dense(s, 128, kAttributes);
}

void build_encoder2(nn::Sequential& s) {
  const std::int64_t widths[] = {kChannels, 8, 16, 32, 64, 128, 256, 512};
  for (std::size_t i = 0; i + 1 < std::size(widths); ++i) {  // 128 -> 64 -> ... -> 1
    // The first four have 5x5 kernels.
    const bool wide = i < 4;
    conv(s, widths[i], widths[i + 1], wide ? 5 : 3, 2, wide ? 2 : 1);
    s.emplace<nn::ReLU>();
  }
  s.emplace<nn::Flatten>();
  dense(s, 512, 256);
  s.emplace<nn::ReLU>();
  dense(s, 256, kAttributes);
}

void build_model1_decoder(nn::Sequential& s) {
  dense(s, kAttributes, 128);
  s.emplace<nn::ReLU>();
  dense(s, 128, 256);
  s.emplace<nn::ReLU>();
  s.emplace<nn::Reshape>(nn::Shape{256, 1, 1});
  const std::int64_t widths[] = {256, 128, 64, 32, 16, 8, kChannels};
  for (std::size_t i = 0; i + 1 < std::size(widths); ++i) {  // 1 -> 2 -> ... -> 64
    if (i > 0) s.emplace<nn::ReLU>();
    up(s, widths[i], widths[i + 1], 4, 1);
  }
}

void build_model2_encoder(nn::Sequential& s) {
  const std::int64_t widths[] = {kChannels, 16, 32, 64, 128, 256};
  for (std::size_t i = 0; i + 1 < std::size(widths); ++i) {  // unpadded: 64 -> 31 -> 15 -> 7 -> 3 -> 1
    conv(s, widths[i], widths[i + 1], 3, 2, 0);
    s.emplace<nn::ReLU>();
  }
  s.emplace<nn::Flatten>();
  dense(s, 256, 170);
  s.emplace<nn::ReLU>();
  dense(s, 170, 84);
}

void build_model2_decoder(nn::Sequential& s) {
  dense(s, 84, 199);
  s.emplace<nn::ReLU>();
  dense(s, 199, 398);
  s.emplace<nn::ReLU>();
  dense(s, 398, 512);
  s.emplace<nn::ReLU>();
  s.emplace<nn::Reshape>(nn::Shape{512, 1, 1});
  const std::int64_t widths[] = {512, 256, 128, 64, 32, 16, kChannels};
  for (std::size_t i = 0; i + 1 < std::size(widths); ++i) {  // 1 -> 2 -> ... -> 64
    if (i > 0) s.emplace<nn::ReLU>();
    up(s, widths[i], widths[i + 1], 4, 1);
  }
}

void build_model3_decoder(nn::Sequential& s) {
  dense(s, kAttributes, 256);
  leaky(s);
  dense(s, 256, 512);
  leaky(s);
  s.emplace<nn::Reshape>(nn::Shape{512, 1, 1});
  up(s, 512, 256, 4, 1);  // 2
  leaky(s);
  up(s, 256, 128, 4, 1);  // 4
  leaky(s);
  up(s, 128, 64, 4, 1);  // 8
  s.emplace<nn::ReLU>();
  up(s, 64, 32, 6, 2);  // 16
  s.emplace<nn::ReLU>();
  up(s, 32, 16, 6, 2);  // 32
  s.emplace<nn::ReLU>();
  up(s, 16, 8, 6, 2);  // 64
  s.emplace<nn::ReLU>();
  up(s, 8, kChannels, 6, 2);  // 128
}

void build_model4_encoder(nn::Sequential& s) {
  const std::int64_t widths[] = {kChannels, 16, 32, 64, 128, 256, 512};
  for (std::size_t i = 0; i + 1 < std::size(widths); ++i) {  // 128 -> 64 -> ... -> 2
    conv(s, widths[i], widths[i + 1], 3, 2, 1);
    s.emplace<nn::BatchNorm2d>(nn::BatchNormOptions(widths[i + 1]));
    leaky(s);
  }
  s.emplace<nn::Flatten>();
  dense(s, 512 * 2 * 2, 512);
  s.emplace<nn::BatchNorm1d>(nn::BatchNormOptions(512));
  leaky(s);
  dense(s, 512, 128);
  s.emplace<nn::BatchNorm1d>(nn::BatchNormOptions(128));
}

void build_model4_decoder(nn::Sequential& s) {
  dense(s, 128, 512);
  s.emplace<nn::BatchNorm1d>(nn::BatchNormOptions(512));
  leaky(s);
  dense(s, 512, 512 * 2 * 2);
  s.emplace<nn::BatchNorm1d>(nn::BatchNormOptions(512 * 2 * 2));
  leaky(s);
  s.emplace<nn::Reshape>(nn::Shape{512, 2, 2});
  const std::int64_t widths[] = {512, 256, 128, 64, 32, 16};
  for (std::size_t i = 0; i + 1 < std::size(widths); ++i) {  // 2 -> 4 -> ... -> 64
    up(s, widths[i], widths[i + 1], 4, 1);
    s.emplace<nn::BatchNorm2d>(nn::BatchNormOptions(widths[i + 1]));
    leaky(s);
  }
  up(s, 16, kChannels, 4, 1);  // 128
}

void check_images(const std::string& who, ModelKind kind, const nn::Tensor& images) {
  const std::int64_t s = image_size_of(kind);
  if (images.dim() != 4 || images.size(1) != kChannels || images.size(2) != s || images.size(3) != s)
    throw nn::Error("autoencoders::" + who + "(" + name_of(kind) + "): images must be [N, " +
                    std::to_string(kChannels) + ", " + std::to_string(s) + ", " + std::to_string(s) + "], got " +
                    nn::shape_str(images.shape()));
}

}  // namespace

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names = {"encoder1", "encoder2", "model1", "model2", "model3", "model4"};
  return names;
}

ModelKind model_from_name(const std::string& name) {
  const auto& names = model_names();
  const auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) {
    std::string choices;
    for (const std::string& n : names) choices += (choices.empty() ? "" : ", ") + n;
    throw nn::Error("celeba_autoencoders: unknown model '" + name + "' (choices: " + choices + ")");
  }
  return static_cast<ModelKind>(found - names.begin());
}

std::string name_of(ModelKind kind) { return model_names().at(static_cast<std::size_t>(kind)); }

std::int64_t image_size_of(ModelKind kind) {
  switch (kind) {
    case ModelKind::encoder1:
    case ModelKind::model1:
    case ModelKind::model2:
      return 64;
    case ModelKind::encoder2:
    case ModelKind::model3:
    case ModelKind::model4:
      return 128;
  }
  throw nn::Error("celeba_autoencoders: unknown model kind");
}

bool is_encoder(ModelKind kind) { return kind == ModelKind::encoder1 || kind == ModelKind::encoder2; }

std::int64_t latent_size_of(ModelKind kind) {
  switch (kind) {
    case ModelKind::model2:
      return 84;
    case ModelKind::model4:
      return 128;
    default:  // the encoders and the autoencoders built on them: the attributes
      return kAttributes;
  }
}

std::optional<ModelKind> pretrained_encoder_of(ModelKind kind) {
  if (kind == ModelKind::model1) return ModelKind::encoder1;
  if (kind == ModelKind::model3) return ModelKind::encoder2;
  return std::nullopt;
}

AttributeEncoder::AttributeEncoder(ModelKind kind) : nn::Module("AttributeEncoder"), kind_(kind) {
  if (!is_encoder(kind))
    throw nn::Error("autoencoders::AttributeEncoder: " + name_of(kind) + " is not an encoder (encoder1, encoder2)");
  body = register_module("body", std::make_shared<nn::Sequential>());
  if (kind == ModelKind::encoder1)
    build_encoder1(*body);
  else
    build_encoder2(*body);
}

nn::Tensor AttributeEncoder::logits(const nn::Tensor& images) {
  check_images("AttributeEncoder", kind_, images);
  return (*body)(images);
}

nn::Tensor AttributeEncoder::probabilities(const nn::Tensor& images) { return nn::sigmoid(logits(images)); }

Autoencoder::Autoencoder(ModelKind kind) : nn::Module("Autoencoder"), kind_(kind) {
  if (is_encoder(kind))
    throw nn::Error("autoencoders::Autoencoder: " + name_of(kind) + " is not an autoencoder (model1 ... model4)");
  if (const std::optional<ModelKind> pretrained = pretrained_encoder_of(kind)) {
    encoder = register_module("encoder", std::make_shared<AttributeEncoder>(*pretrained));
  } else {
    auto body = register_module("encoder", std::make_shared<nn::Sequential>());
    if (kind == ModelKind::model2)
      build_model2_encoder(*body);
    else
      build_model4_encoder(*body);
    encoder = body;
  }
  decoder = register_module("decoder", std::make_shared<nn::Sequential>());
  switch (kind) {
    case ModelKind::model1:
      build_model1_decoder(*decoder);
      break;
    case ModelKind::model2:
      build_model2_decoder(*decoder);
      break;
    case ModelKind::model3:
      build_model3_decoder(*decoder);
      break;
    default:
      build_model4_decoder(*decoder);
      break;
  }
}

nn::Tensor Autoencoder::encode(const nn::Tensor& images) {
  check_images("Autoencoder", kind_, images);
  // model1 and model3: the attribute probabilities are the latent.
  if (pretrained_encoder_of(kind_)) return static_cast<AttributeEncoder&>(*encoder).probabilities(images);
  return (*encoder)(images);
}

nn::Tensor Autoencoder::decode_logits(const nn::Tensor& latent) {
  const std::int64_t l = latent_size_of(kind_);
  if (latent.dim() != 2 || latent.size(1) != l)
    throw nn::Error("autoencoders::Autoencoder(" + name_of(kind_) + "): the latent must be [N, " + std::to_string(l) +
                    "], got " + nn::shape_str(latent.shape()));
  return (*decoder)(latent);
}

nn::Tensor Autoencoder::decode(const nn::Tensor& latent) { return nn::sigmoid(decode_logits(latent)); }

}  // namespace autoencoders
