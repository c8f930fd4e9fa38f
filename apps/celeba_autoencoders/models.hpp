#pragma once
// The two attribute encoders and four autoencoders of a published report on
// face generation with autoencoders, on images in [0, 1]. Every layer keeps
// PyTorch's defaults (weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
// LeakyReLU slope 0.01, batch norm momentum 0.1 and epsilon 1e-5):
//  encoder1  64x64: six Conv 3x3 pad 1 + ReLU + MaxPool 2 (3-8-16-32-64-128-256)
//            -> Dense 128 ReLU -> Dense 40 (sigmoid: attribute probabilities);
//  encoder2  128x128: four Conv 5x5 s2 pad 2 (3-8-16-32-64) and three Conv 3x3
//            s2 pad 1 (-128-256-512), ReLU -> Dense 256 ReLU -> Dense 40 (sigmoid);
//  model1    64: encoder1 (fine-tuned) -> Dense 128 ReLU -> Dense 256 ReLU ->
//            256x1x1 -> six ConvTranspose 4x4 s2 p1 (256-128-64-32-16-8-3),
//            ReLU between, sigmoid last; the latent is encoder1's 40 outputs;
//  model2    64: five Conv 3x3 s2 (3-16-32-64-128-256) ReLU -> Dense 170 ReLU
//            -> Dense 84 (the latent) | Dense 199 -> 398 -> 512, ReLU ->
//            512x1x1 -> six ConvTranspose 4x4 s2 p1 (512-256-128-64-32-16-3);
//  model3    128: encoder2 (frozen) -> Dense 256 -> Dense 512, LeakyReLU ->
//            ConvTranspose 4x4 s2 p1 512-256-128 (LeakyReLU), -64 (ReLU) ->
//            ConvTranspose 6x6 s2 p2 64-32-16-8-3 (ReLU between, sigmoid last);
//  model4    128: six Conv 3x3 s2 p1 + BatchNorm + LeakyReLU (3-16-...-512) ->
//            Dense 512 BN LeakyReLU -> Dense 128 BN (the latent) | Dense 512
//            BN LeakyReLU -> Dense 2048 BN LeakyReLU -> 512x2x2 -> five
//            ConvTranspose 4x4 s2 p1 + BN + LeakyReLU (512-256-...-16) ->
//            ConvTranspose 4x4 s2 p1 16-3, sigmoid.
// The final sigmoids are left out of the modules: the losses take logits
// (a sigmoid and BCE in one stable op), and probabilities()/decode() apply it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nn/nn.hpp>

namespace autoencoders {

enum class ModelKind { encoder1, encoder2, model1, model2, model3, model4 };

// {"encoder1", "encoder2", "model1", "model2", "model3", "model4"}, in the enum's order.
const std::vector<std::string>& model_names();
// nn::Error naming the value and the choices for an unknown name.
ModelKind model_from_name(const std::string& name);
std::string name_of(ModelKind kind);
// 64 for encoder1, model1 and model2; 128 for the others.
std::int64_t image_size_of(ModelKind kind);
bool is_encoder(ModelKind kind);
// The latent size of an autoencoder (40, 84, 40, 128); an encoder's 40 outputs.
std::int64_t latent_size_of(ModelKind kind);
// The encoder an autoencoder starts from: encoder1 for model1, encoder2 for model3.
std::optional<ModelKind> pretrained_encoder_of(ModelKind kind);

inline constexpr std::int64_t kAttributes = 40;

// encoder1 or encoder2: images [N, 3, S, S] -> 40 attribute logits.
class AttributeEncoder : public nn::Module {
 public:
  explicit AttributeEncoder(ModelKind kind);  // encoder1 or encoder2
  nn::Tensor logits(const nn::Tensor& images);
  // sigmoid(logits): the attribute probabilities; forward() is probabilities().
  nn::Tensor probabilities(const nn::Tensor& images);
  nn::Tensor forward(const nn::Tensor& images) override { return probabilities(images); }
  ModelKind kind() const { return kind_; }
  std::shared_ptr<nn::Sequential> body;

 private:
  ModelKind kind_;
};

// model1 ... model4: images [N, 3, S, S] in [0, 1] -> latent [N, L] -> images.
class Autoencoder : public nn::Module {
 public:
  explicit Autoencoder(ModelKind kind);  // model1 ... model4
  nn::Tensor encode(const nn::Tensor& images);
  // The decoder's output before its sigmoid, [N, 3, S, S].
  nn::Tensor decode_logits(const nn::Tensor& latent);
  nn::Tensor decode(const nn::Tensor& latent);  // sigmoid(decode_logits): images in (0, 1)
  nn::Tensor forward(const nn::Tensor& images) override { return decode(encode(images)); }
  ModelKind kind() const { return kind_; }
  // model1 and model3: the AttributeEncoder (its probabilities are the
  // latent); model2 and model4: a Sequential. Registered as "encoder".
  std::shared_ptr<nn::Module> encoder;
  std::shared_ptr<nn::Sequential> decoder;  // registered as "decoder"

 private:
  ModelKind kind_;
};

}  // namespace autoencoders
