#include "celeba_autoencoders/trainer.hpp"

#include <cmath>
#include <string>

namespace autoencoders {
namespace {

std::shared_ptr<AttributeEncoder> build_encoder(ModelKind kind, nn::Device device) {
  if (!is_encoder(kind)) return nullptr;
  auto encoder = std::make_shared<AttributeEncoder>(kind);
  encoder->to(device);
  return encoder;
}

std::shared_ptr<Autoencoder> build_autoencoder(ModelKind kind, nn::Device device) {
  if (is_encoder(kind)) return nullptr;
  auto autoencoder = std::make_shared<Autoencoder>(kind);
  if (kind == ModelKind::model3) autoencoder->encoder->freeze();
  autoencoder->to(device);
  return autoencoder;
}

// What Adam updates: model3's decoder alone, else the whole model.
std::vector<nn::Tensor> trained_parameters(const std::shared_ptr<AttributeEncoder>& encoder,
                                           const std::shared_ptr<Autoencoder>& autoencoder) {
  if (encoder) return encoder->parameters();
  if (autoencoder->kind() == ModelKind::model3) return autoencoder->decoder->parameters();
  return autoencoder->parameters();
}

}  // namespace

Trainer::Trainer(ModelKind kind, double lr, nn::Device device)
    : encoder(build_encoder(kind, device)),
      autoencoder(build_autoencoder(kind, device)),
      optimizer(trained_parameters(encoder, autoencoder), nn::AdamOptions().lr(lr)),
      kind_(kind),
      options_(nn::TensorOptions().device(device)) {}

nn::Module& Trainer::model() {
  if (encoder) return *encoder;
  return *autoencoder;
}

nn::Tensor Trainer::loss(const nn::Tensor& images, const nn::Tensor& labels) {
  if (encoder) return nn::bce_with_logits(encoder->logits(images), labels);
  return nn::bce_with_logits(autoencoder->decode_logits(autoencoder->encode(images)), images);
}

double Trainer::step(const nn::Tensor& images, const nn::Tensor& labels) {
  optimizer.zero_grad();
  const nn::Tensor objective = loss(images, labels);
  objective.backward();
  optimizer.step();
  const double value = objective.item();
  if (!std::isfinite(value))
    throw nn::Error("celeba_autoencoders: the " + name_of(kind_) + " loss became " + std::to_string(value) +
                    " after " + std::to_string(optimizer.steps()) + " steps");
  return value;
}

nn::CheckpointParts Trainer::checkpoint_parts() {
  if (encoder) return {{{"encoder", encoder.get()}}, {{"adam", &optimizer}}};
  return {{{"autoencoder", autoencoder.get()}}, {{"adam", &optimizer}}};
}

}  // namespace autoencoders
