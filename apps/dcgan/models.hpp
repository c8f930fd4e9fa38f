#pragma once
// The generators and discriminators of three published DCGANs, on images in
// [-1, 1] with `channels` channels (3 for faces, 1 for Fashion-MNIST) and a
// latent z of 100 values:
//  radford64   64x64, the PyTorch DCGAN example: transposed convolutions
//              with batch norm and ReLU in G, strided convolutions with batch
//              norm and LeakyReLU 0.2 in D, no biases, N(0, 0.02) weights;
//  wlu128      128x128, a Keras DCGAN: 5x5 convolutions and 3x3 transposed
//              convolutions, Keras' defaults (biases, glorot_uniform,
//              LeakyReLU 0.3, batch norm momentum 0.99 and epsilon 1e-3);
//  tutorial28  28x28, a TensorFlow tutorial's DCGAN: 5x5 kernels, LeakyReLU
//              0.2, TF's layer defaults, and a D whose batch norm always
//              normalises with the batch's own statistics.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nn/nn.hpp>

namespace dcgan {

enum class Architecture { radford64, wlu128, tutorial28 };

// {"radford64", "wlu128", "tutorial28"}, in the enum's order.
const std::vector<std::string>& architecture_names();
// nn::Error naming the value and the choices for an unknown name.
Architecture architecture_from_name(const std::string& name);
std::string name_of(Architecture a);
// The side of the square images an architecture generates and judges.
std::int64_t image_size_of(Architecture a);

inline constexpr std::int64_t kLatent = 100;

// Batch norm that normalises with the statistics of the batch it is given in
// eval mode too (where it leaves the running statistics alone), as a layer
// built with training=True always does in TensorFlow; in training mode it is
// nn::BatchNorm2d.
class BatchStatisticsNorm2d : public nn::BatchNorm2d {
 public:
  explicit BatchStatisticsNorm2d(nn::BatchNormOptions options) : nn::BatchNorm2d(options) {}
  nn::Tensor forward(const nn::Tensor& x) override;
};

// G: z [N, 100] -> images [N, C, S, S] in (-1, 1); forward() is generate().
class Generator : public nn::Module {
 public:
  Generator(Architecture a, std::int64_t channels);
  nn::Tensor generate(const nn::Tensor& z);
  nn::Tensor forward(const nn::Tensor& z) override { return generate(z); }
  Architecture architecture() const { return architecture_; }
  std::int64_t channels() const { return channels_; }
  std::shared_ptr<nn::Sequential> body;

 private:
  Architecture architecture_;
  std::int64_t channels_;
};

// D: images [N, C, S, S] -> logits [N, 1], the probability of real before its
// sigmoid (the losses take logits); forward() is logits().
class Discriminator : public nn::Module {
 public:
  Discriminator(Architecture a, std::int64_t channels);
  nn::Tensor logits(const nn::Tensor& images);
  nn::Tensor forward(const nn::Tensor& images) override { return logits(images); }
  Architecture architecture() const { return architecture_; }
  std::int64_t channels() const { return channels_; }
  std::shared_ptr<nn::Sequential> body;

 private:
  Architecture architecture_;
  std::int64_t channels_;
};

}  // namespace dcgan
