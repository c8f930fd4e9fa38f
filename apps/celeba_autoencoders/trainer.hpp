#pragma once
// One training step of an encoder or an autoencoder, as the report trains
// them: Adam with PyTorch's defaults but the rate; an encoder learns the 40
// attributes with mean BCE, an autoencoder reconstructs its input with mean
// BCE over every pixel and channel. model3's encoder is frozen: Adam holds
// only its decoder, and the encoder gets no gradients.
#include <cstdint>
#include <memory>

#include <nn/nn.hpp>

#include "celeba_autoencoders/models.hpp"

namespace autoencoders {

class Trainer {
 public:
  // Builds the model from the global generator on `device`.
  Trainer(ModelKind kind, double lr, nn::Device device);

  // The objective of a batch (images [N, 3, S, S] in [0, 1], labels [N, 40]
  // of 0/1), a scalar in the graph; the model's mode is left as it is.
  nn::Tensor loss(const nn::Tensor& images, const nn::Tensor& labels);
  // One Adam step on the batch; returns the loss read back from the device
  // and raises nn::Error if it is not finite.
  double step(const nn::Tensor& images, const nn::Tensor& labels);

  ModelKind kind() const { return kind_; }
  nn::Module& model();
  nn::TensorOptions options() const { return options_; }
  // The model under "encoder" (encoders) or "autoencoder", and "adam".
  nn::CheckpointParts checkpoint_parts();

  std::shared_ptr<AttributeEncoder> encoder;  // encoders only
  std::shared_ptr<Autoencoder> autoencoder;   // autoencoders only
  nn::Adam optimizer;

 private:
  ModelKind kind_;
  nn::TensorOptions options_;
};

}  // namespace autoencoders
