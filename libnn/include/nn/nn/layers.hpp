#pragma once
// The standard layers. Options take the required sizes in their constructor
// and everything else through chainable setters; the same name without an
// argument reads the option back, e.g.
//   Conv2d(Conv2dOptions(3, 32, 4).stride(2).padding(Padding::same()))
//   conv.options().stride()  // {2, 2}
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

// Dense (fully connected): x [N, in] -> y = x W^T + b [N, out], with weight
// W [out, in] and bias b [out].
//   in, out       feature counts of the input and the output
//   bias          whether b exists (default true)
//   weight_init   W's initialiser, fans (in, out) (default glorot_uniform, Keras)
//   bias_init     b's initialiser (default zeros)
class DenseOptions {
 public:
  DenseOptions(std::int64_t in, std::int64_t out) : in_(in), out_(out) {}

  DenseOptions& bias(bool v) { bias_ = v; return *this; }
  DenseOptions& weight_init(Initializer v) { weight_init_ = v; return *this; }
  DenseOptions& bias_init(Initializer v) { bias_init_ = v; return *this; }

  std::int64_t in() const { return in_; }
  std::int64_t out() const { return out_; }
  bool bias() const { return bias_; }
  const Initializer& weight_init() const { return weight_init_; }
  const Initializer& bias_init() const { return bias_init_; }

 private:
  std::int64_t in_, out_;
  bool bias_ = true;
  Initializer weight_init_ = Initializer::glorot_uniform();
  Initializer bias_init_ = Initializer::zeros();
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

// Conv2d: x [N, in, H, W] -> the cross-correlation with weight
// [out, in, kh, kw] plus bias [out], y [N, out, Ho, Wo] with
// Ho = (H + top + bottom - kh) / stride.h + 1 (likewise Wo).
//   in, out       channels of the input and the output
//   kernel        window size (kh, kw); the constructor's square size or kernel(Size2d)
//   stride        step of the window (default 1)
//   padding       Padding::valid() (default), same() or exact pads; see Padding
//   bias          whether the bias exists (default true)
//   weight_init   the weight's initialiser, fans (in*kh*kw, out*kh*kw) (default glorot_uniform, Keras)
//   bias_init     the bias's initialiser (default zeros)
class Conv2dOptions {
 public:
  Conv2dOptions(std::int64_t in, std::int64_t out, std::int64_t kernel)
      : in_(in), out_(out), kernel_{kernel, kernel} {}

  Conv2dOptions& kernel(Size2d v) { kernel_ = v; return *this; }
  Conv2dOptions& stride(std::int64_t v) { stride_ = {v, v}; return *this; }
  Conv2dOptions& stride(Size2d v) { stride_ = v; return *this; }
  Conv2dOptions& padding(Padding v) { padding_ = v; return *this; }
  Conv2dOptions& bias(bool v) { bias_ = v; return *this; }
  Conv2dOptions& weight_init(Initializer v) { weight_init_ = v; return *this; }
  Conv2dOptions& bias_init(Initializer v) { bias_init_ = v; return *this; }

  std::int64_t in() const { return in_; }
  std::int64_t out() const { return out_; }
  Size2d kernel() const { return kernel_; }
  Size2d stride() const { return stride_; }
  const Padding& padding() const { return padding_; }
  bool bias() const { return bias_; }
  const Initializer& weight_init() const { return weight_init_; }
  const Initializer& bias_init() const { return bias_init_; }

 private:
  std::int64_t in_, out_;
  Size2d kernel_, stride_{1, 1};
  Padding padding_ = Padding::valid();
  bool bias_ = true;
  Initializer weight_init_ = Initializer::glorot_uniform();
  Initializer bias_init_ = Initializer::zeros();
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

// ConvTranspose2d, the adjoint of Conv2d (PyTorch's layout): x [N, in, H, W]
// with weight [in, out, kh, kw] plus bias [out] -> y [N, out, Ho, Wo] with
// Ho = (H - 1) * stride.h - top - bottom + kh + output_padding.h (likewise Wo);
// with Padding::same() the output is H * stride.
//   in, out          channels of the input and the output
//   kernel           window size (kh, kw); the constructor's square size or kernel(Size2d)
//   stride           upsampling step (default 1)
//   padding          Padding::valid() (default), same() or exact pads removed from the output
//   output_padding   extra rows/columns added at the bottom/right (default 0)
//   bias             whether the bias exists (default true)
//   weight_init      the weight's initialiser, fans (out*kh*kw, in*kh*kw) as Keras counts them
//                    (default glorot_uniform)
//   bias_init        the bias's initialiser (default zeros)
class ConvTranspose2dOptions {
 public:
  ConvTranspose2dOptions(std::int64_t in, std::int64_t out, std::int64_t kernel)
      : in_(in), out_(out), kernel_{kernel, kernel} {}

  ConvTranspose2dOptions& kernel(Size2d v) { kernel_ = v; return *this; }
  ConvTranspose2dOptions& stride(std::int64_t v) { stride_ = {v, v}; return *this; }
  ConvTranspose2dOptions& stride(Size2d v) { stride_ = v; return *this; }
  ConvTranspose2dOptions& padding(Padding v) { padding_ = v; return *this; }
  ConvTranspose2dOptions& output_padding(Size2d v) { output_padding_ = v; return *this; }
  ConvTranspose2dOptions& bias(bool v) { bias_ = v; return *this; }
  ConvTranspose2dOptions& weight_init(Initializer v) { weight_init_ = v; return *this; }
  ConvTranspose2dOptions& bias_init(Initializer v) { bias_init_ = v; return *this; }

  std::int64_t in() const { return in_; }
  std::int64_t out() const { return out_; }
  Size2d kernel() const { return kernel_; }
  Size2d stride() const { return stride_; }
  const Padding& padding() const { return padding_; }
  Size2d output_padding() const { return output_padding_; }
  bool bias() const { return bias_; }
  const Initializer& weight_init() const { return weight_init_; }
  const Initializer& bias_init() const { return bias_init_; }

 private:
  std::int64_t in_, out_;
  Size2d kernel_, stride_{1, 1}, output_padding_{0, 0};
  Padding padding_ = Padding::valid();
  bool bias_ = true;
  Initializer weight_init_ = Initializer::glorot_uniform();
  Initializer bias_init_ = Initializer::zeros();
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

// LeakyReLU, elementwise, any shape: y = x for x >= 0, alpha * x below. The
// default slope alpha = 0.3 is Keras' (PyTorch uses 0.01).
class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double alpha = 0.3) : Module("LeakyReLU"), alpha_(alpha) {}
  Tensor forward(const Tensor& x) override { return leaky_relu(x, alpha_); }

 private:
  double alpha_;
};

// ReLU, elementwise, any shape: y = max(x, 0).
class ReLU : public Module {
 public:
  ReLU() : Module("ReLU") {}
  Tensor forward(const Tensor& x) override { return relu(x); }
};

// Sigmoid, elementwise, any shape: y = 1 / (1 + exp(-x)).
class Sigmoid : public Module {
 public:
  Sigmoid() : Module("Sigmoid") {}
  Tensor forward(const Tensor& x) override { return sigmoid(x); }
};

// Tanh, elementwise, any shape: y = tanh(x).
class Tanh : public Module {
 public:
  Tanh() : Module("Tanh") {}
  Tensor forward(const Tensor& x) override { return nn::tanh(x); }
};

// Inverted dropout, any shape: in training mode each element is zeroed with
// probability `rate` and the kept ones are scaled by 1 / (1 - rate); in eval
// mode y = x. Draws from the global generator.
class Dropout : public Module {
 public:
  explicit Dropout(double rate) : Module("Dropout"), rate_(rate) {}
  Tensor forward(const Tensor& x) override { return dropout(x, rate_, is_training()); }

 private:
  double rate_;
};

// Additive noise, any shape: in training mode y = x + N(0, stddev^2) drawn
// per element from the global generator; in eval mode y = x.
class GaussianNoise : public Module {
 public:
  explicit GaussianNoise(double stddev) : Module("GaussianNoise"), stddev_(stddev) {}
  Tensor forward(const Tensor& x) override { return gaussian_noise(x, stddev_, is_training()); }

 private:
  double stddev_;
};

// Batch normalisation over channel dimension 1: BatchNorm1d takes [N, C],
// BatchNorm2d [N, C, H, W], and the output has the input's shape:
// y = (x - mean) / sqrt(var + eps) * weight + bias per channel. Training uses
// the batch's statistics and updates the buffers running_mean and
// running_var; eval mode uses the buffers. See nn::batch_norm.
//   features   C, the channel count
//   eps        added to the variance (default 1e-5)
//   momentum   running = (1 - momentum) * running + momentum * batch (PyTorch's convention, default 0.1)
//   affine     whether the trainable weight (initially 1) and bias (0) exist (default true)
class BatchNormOptions {
 public:
  explicit BatchNormOptions(std::int64_t features) : features_(features) {}

  BatchNormOptions& eps(double v) { eps_ = v; return *this; }
  BatchNormOptions& momentum(double v) { momentum_ = v; return *this; }
  BatchNormOptions& affine(bool v) { affine_ = v; return *this; }

  std::int64_t features() const { return features_; }
  double eps() const { return eps_; }
  double momentum() const { return momentum_; }
  bool affine() const { return affine_; }

 private:
  std::int64_t features_;
  double eps_ = 1e-5, momentum_ = 0.1;
  bool affine_ = true;
};

class BatchNorm : public Module {
 public:
  BatchNorm(BatchNormOptions options, std::int64_t input_dims);
  Tensor forward(const Tensor& x) override;
  Tensor weight, bias, running_mean, running_var;
  const BatchNormOptions& options() const { return options_; }

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

// Max pooling: x [N, C, H, W] -> [N, C, Ho, Wo], the maximum of each
// `kernel` window moved by `stride` (default: the kernel size) over the input
// with `padding` cells that never win; Ho = (H + top + bottom - kh) / stride.h + 1.
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

// Flatten: [N, ...] -> [N, prod(...)], the elements in their order.
class Flatten : public Module {
 public:
  Flatten() : Module("Flatten") {}
  Tensor forward(const Tensor& x) override { return flatten(x); }
};

// Reshape: [N, ...] -> [N, shape...]; the batch dimension is kept and
// prod(shape) must equal the element count per sample.
class Reshape : public Module {
 public:
  explicit Reshape(Shape shape) : Module("Reshape"), shape_(std::move(shape)) {}
  Tensor forward(const Tensor& x) override;

 private:
  Shape shape_;
};

// Concatenate (forward_multi): inputs that agree in every dimension but
// `dim` -> one tensor joined along `dim` in input order (default 1: features
// or channels).
class Concatenate : public Module {
 public:
  explicit Concatenate(std::int64_t dim = 1) : Module("Concatenate"), dim_(dim) {}
  Tensor forward_multi(const std::vector<Tensor>& xs) override { return concat(xs, dim_); }

 private:
  std::int64_t dim_;
};

// Sequential: y = the children applied in the order they were added, each
// to the previous one's output; the shapes are the children's.
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
