#pragma once
// The standard layers. Options structs take the required sizes in their
// constructor and everything else through chainable setters, e.g.
//   Conv2d(Conv2dOptions(3, 32, 4).stride(2).padding(Padding::same()))
#include <cstdint>
#include <memory>
#include <vector>

#include "nn/nn/init.hpp"
#include "nn/nn/module.hpp"
#include "nn/ops.hpp"

namespace nn {

// How a convolution pads: `valid` (none), `same` with Keras' rules (output =
// ceil(input / stride) for Conv2d, input * stride for ConvTranspose2d, the
// odd extra row/column at the bottom/right), or explicit per side.
class Padding {
 public:
  static Padding valid() { return {Kind::valid, {}}; }
  static Padding same() { return {Kind::same, {}}; }
  static Padding exact(Padding2d pads) { return {Kind::exact, pads}; }
  static Padding symmetric(std::int64_t ph, std::int64_t pw) { return exact(Padding2d::symmetric(ph, pw)); }
  // The pads for a Conv2d on an input of size `input`.
  Padding2d resolve(Size2d input, Size2d kernel, Size2d stride) const;
  // The pads for a ConvTranspose2d.
  Padding2d resolve_transposed(Size2d kernel, Size2d stride) const;
  std::string str() const;
  bool is_same() const { return kind_ == Kind::same; }

 private:
  enum class Kind { valid, same, exact };
  Padding(Kind kind, Padding2d pads) : kind_(kind), pads_(pads) {}
  Kind kind_;
  Padding2d pads_;
};

// Dense: y = x W^T + b, W [out, in]. Default init: glorot_uniform weight,
// zero bias (Keras).
struct DenseOptions {
  DenseOptions(std::int64_t in, std::int64_t out) : in_(in), out_(out) {}
  std::int64_t in_, out_;
  bool bias_ = true;
  Initializer weight_init_ = Initializer::glorot_uniform();
  Initializer bias_init_ = Initializer::zeros();

  DenseOptions& bias(bool v) { bias_ = v; return *this; }
  DenseOptions& weight_init(Initializer v) { weight_init_ = v; return *this; }
  DenseOptions& bias_init(Initializer v) { bias_init_ = v; return *this; }
};

class Dense : public Module {
 public:
  explicit Dense(DenseOptions options);
  Tensor forward(const Tensor& x) override;
  Tensor weight, bias;
  const DenseOptions& options() const { return options_; }

 private:
  DenseOptions options_;
};

// Conv2d: weight [out, in, kh, kw]. Default init: glorot_uniform weight, zero
// bias (Keras).
struct Conv2dOptions {
  Conv2dOptions(std::int64_t in, std::int64_t out, std::int64_t kernel)
      : in_(in), out_(out), kernel_{kernel, kernel} {}
  std::int64_t in_, out_;
  Size2d kernel_, stride_{1, 1};
  Padding padding_ = Padding::valid();
  bool bias_ = true;
  Initializer weight_init_ = Initializer::glorot_uniform();
  Initializer bias_init_ = Initializer::zeros();

  Conv2dOptions& kernel(Size2d v) { kernel_ = v; return *this; }
  Conv2dOptions& stride(std::int64_t v) { stride_ = {v, v}; return *this; }
  Conv2dOptions& stride(Size2d v) { stride_ = v; return *this; }
  Conv2dOptions& padding(Padding v) { padding_ = v; return *this; }
  Conv2dOptions& bias(bool v) { bias_ = v; return *this; }
  Conv2dOptions& weight_init(Initializer v) { weight_init_ = v; return *this; }
  Conv2dOptions& bias_init(Initializer v) { bias_init_ = v; return *this; }
};

class Conv2d : public Module {
 public:
  explicit Conv2d(Conv2dOptions options);
  Tensor forward(const Tensor& x) override;
  Tensor weight, bias;
  const Conv2dOptions& options() const { return options_; }

 private:
  Conv2dOptions options_;
};

// ConvTranspose2d: weight [in, out, kh, kw] (PyTorch's layout). Default init:
// glorot_uniform weight, zero bias (Keras).
struct ConvTranspose2dOptions {
  ConvTranspose2dOptions(std::int64_t in, std::int64_t out, std::int64_t kernel)
      : in_(in), out_(out), kernel_{kernel, kernel} {}
  std::int64_t in_, out_;
  Size2d kernel_, stride_{1, 1}, output_padding_{0, 0};
  Padding padding_ = Padding::valid();
  bool bias_ = true;
  Initializer weight_init_ = Initializer::glorot_uniform();
  Initializer bias_init_ = Initializer::zeros();

  ConvTranspose2dOptions& kernel(Size2d v) { kernel_ = v; return *this; }
  ConvTranspose2dOptions& stride(std::int64_t v) { stride_ = {v, v}; return *this; }
  ConvTranspose2dOptions& stride(Size2d v) { stride_ = v; return *this; }
  ConvTranspose2dOptions& padding(Padding v) { padding_ = v; return *this; }
  ConvTranspose2dOptions& output_padding(Size2d v) { output_padding_ = v; return *this; }
  ConvTranspose2dOptions& bias(bool v) { bias_ = v; return *this; }
  ConvTranspose2dOptions& weight_init(Initializer v) { weight_init_ = v; return *this; }
  ConvTranspose2dOptions& bias_init(Initializer v) { bias_init_ = v; return *this; }
};

class ConvTranspose2d : public Module {
 public:
  explicit ConvTranspose2d(ConvTranspose2dOptions options);
  Tensor forward(const Tensor& x) override;
  Tensor weight, bias;
  const ConvTranspose2dOptions& options() const { return options_; }

 private:
  ConvTranspose2dOptions options_;
};

// LeakyReLU; the default slope 0.3 is Keras' (PyTorch uses 0.01).
class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double alpha = 0.3) : Module("LeakyReLU"), alpha_(alpha) {}
  Tensor forward(const Tensor& x) override { return leaky_relu(x, alpha_); }

 private:
  double alpha_;
};

class ReLU : public Module {
 public:
  ReLU() : Module("ReLU") {}
  Tensor forward(const Tensor& x) override { return relu(x); }
};

class Sigmoid : public Module {
 public:
  Sigmoid() : Module("Sigmoid") {}
  Tensor forward(const Tensor& x) override { return sigmoid(x); }
};

class Tanh : public Module {
 public:
  Tanh() : Module("Tanh") {}
  Tensor forward(const Tensor& x) override { return nn::tanh(x); }
};

// Inverted dropout, active in training mode only.
class Dropout : public Module {
 public:
  explicit Dropout(double rate) : Module("Dropout"), rate_(rate) {}
  Tensor forward(const Tensor& x) override { return dropout(x, rate_, is_training()); }

 private:
  double rate_;
};

// Additive N(0, stddev^2) noise, active in training mode only.
class GaussianNoise : public Module {
 public:
  explicit GaussianNoise(double stddev) : Module("GaussianNoise"), stddev_(stddev) {}
  Tensor forward(const Tensor& x) override { return gaussian_noise(x, stddev_, is_training()); }

 private:
  double stddev_;
};

// Batch normalisation over channel dimension 1: BatchNorm1d takes [N, C],
// BatchNorm2d [N, C, H, W]. Weight 1 and bias 0 are trainable; running_mean
// and running_var are buffers (PyTorch momentum convention, default 0.1).
struct BatchNormOptions {
  explicit BatchNormOptions(std::int64_t features) : features_(features) {}
  std::int64_t features_;
  double eps_ = 1e-5, momentum_ = 0.1;
  bool affine_ = true;

  BatchNormOptions& eps(double v) { eps_ = v; return *this; }
  BatchNormOptions& momentum(double v) { momentum_ = v; return *this; }
  BatchNormOptions& affine(bool v) { affine_ = v; return *this; }
};

class BatchNorm : public Module {
 public:
  BatchNorm(BatchNormOptions options, std::int64_t input_dims);
  Tensor forward(const Tensor& x) override;
  Tensor weight, bias, running_mean, running_var;

 private:
  BatchNormOptions options_;
  std::int64_t input_dims_;
};

class BatchNorm1d : public BatchNorm {
 public:
  explicit BatchNorm1d(BatchNormOptions options) : BatchNorm(options, 2) {}
};

class BatchNorm2d : public BatchNorm {
 public:
  explicit BatchNorm2d(BatchNormOptions options) : BatchNorm(options, 4) {}
};

// Max pooling; the stride defaults to the kernel size.
class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(Size2d kernel) : MaxPool2d(kernel, kernel) {}
  MaxPool2d(Size2d kernel, Size2d stride, Padding2d padding = {})
      : Module("MaxPool2d"), kernel_(kernel), stride_(stride), padding_(padding) {}
  Tensor forward(const Tensor& x) override { return max_pool2d(x, kernel_, stride_, padding_); }

 private:
  Size2d kernel_, stride_;
  Padding2d padding_;
};

// [N, ...] -> [N, prod(...)]
class Flatten : public Module {
 public:
  Flatten() : Module("Flatten") {}
  Tensor forward(const Tensor& x) override { return flatten(x); }
};

// [N, ...] -> [N, shape...]; the batch dimension is kept.
class Reshape : public Module {
 public:
  explicit Reshape(Shape shape) : Module("Reshape"), shape_(std::move(shape)) {}
  Tensor forward(const Tensor& x) override;

 private:
  Shape shape_;
};

// Concatenates its inputs along `dim` (default: features/channels).
class Concatenate : public Module {
 public:
  explicit Concatenate(std::int64_t dim = 1) : Module("Concatenate"), dim_(dim) {}
  Tensor forward_multi(const std::vector<Tensor>& xs) override { return concat(xs, dim_); }

 private:
  std::int64_t dim_;
};

// Runs its children in order.
class Sequential : public Module {
 public:
  Sequential() : Module("Sequential") {}
  template <class M>
  std::shared_ptr<M> add(std::shared_ptr<M> module) {
    return register_module(std::to_string(children().size()), std::move(module));
  }
  template <class M, class... Args>
  std::shared_ptr<M> emplace(Args&&... args) {
    return add(std::make_shared<M>(std::forward<Args>(args)...));
  }
  Tensor forward(const Tensor& x) override;
};

}  // namespace nn
