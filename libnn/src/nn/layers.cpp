#include "nn/nn/layers.hpp"

#include <algorithm>
#include <sstream>

#include "nn/error.hpp"

namespace nn {
namespace {

Tensor make_parameter(const Shape& shape, const Initializer& init, std::int64_t fan_in, std::int64_t fan_out) {
  Tensor t = empty(shape);
  init.apply(t, fan_in, fan_out);
  return t;
}

void check_input(const std::string& layer, const Tensor& x, std::int64_t dims, std::int64_t channels) {
  if (x.dim() != dims || x.size(1) != channels)
    throw Error(layer + ": expected input [N, " + std::to_string(channels) + (dims == 4 ? ", H, W" : "") +
                "], got " + shape_str(x.shape()));
}

}  // namespace

Padding2d Padding::resolve(Size2d input, Size2d kernel, Size2d stride) const {
  switch (kind_) {
    case Kind::valid: return {};
    case Kind::same: return same_padding(input, kernel, stride);
    case Kind::exact: return pads_;
  }
  return {};
}

Padding2d Padding::resolve_transposed(Size2d kernel, Size2d stride) const {
  switch (kind_) {
    case Kind::valid: return {};
    case Kind::same: return same_padding_transposed(kernel, stride);
    case Kind::exact: return pads_;
  }
  return {};
}

std::string Padding::str() const {
  switch (kind_) {
    case Kind::valid: return "valid";
    case Kind::same: return "same";
    case Kind::exact: {
      std::ostringstream os;
      os << '(' << pads_.top << ',' << pads_.bottom << ',' << pads_.left << ',' << pads_.right << ')';
      return os.str();
    }
  }
  return "";
}

Dense::Dense(DenseOptions o) : Module("Dense"), options_(o) {
  weight = register_parameter("weight", make_parameter({o.out_, o.in_}, o.weight_init_, o.in_, o.out_));
  if (o.bias_) bias = register_parameter("bias", make_parameter({o.out_}, o.bias_init_, o.in_, o.out_));
}

Tensor Dense::forward(const Tensor& x) {
  check_input("Dense", x, 2, options_.in_);
  return linear(x, weight, bias);
}

Conv2d::Conv2d(Conv2dOptions o) : Module("Conv2d"), options_(o) {
  const std::int64_t area = o.kernel_.h * o.kernel_.w;
  weight = register_parameter(
      "weight", make_parameter({o.out_, o.in_, o.kernel_.h, o.kernel_.w}, o.weight_init_, o.in_ * area, o.out_ * area));
  if (o.bias_) bias = register_parameter("bias", make_parameter({o.out_}, o.bias_init_, o.in_ * area, o.out_ * area));
}

Tensor Conv2d::forward(const Tensor& x) {
  check_input("Conv2d", x, 4, options_.in_);
  const Padding2d pads = options_.padding_.resolve({x.size(2), x.size(3)}, options_.kernel_, options_.stride_);
  return conv2d(x, weight, bias, options_.stride_, pads);
}

ConvTranspose2d::ConvTranspose2d(ConvTranspose2dOptions o) : Module("ConvTranspose2d"), options_(o) {
  // Keras counts a transposed kernel's fans with in and out swapped.
  const std::int64_t area = o.kernel_.h * o.kernel_.w;
  weight = register_parameter(
      "weight", make_parameter({o.in_, o.out_, o.kernel_.h, o.kernel_.w}, o.weight_init_, o.out_ * area, o.in_ * area));
  if (o.bias_) bias = register_parameter("bias", make_parameter({o.out_}, o.bias_init_, o.out_ * area, o.in_ * area));
}

Tensor ConvTranspose2d::forward(const Tensor& x) {
  check_input("ConvTranspose2d", x, 4, options_.in_);
  const ConvTranspose2dOptions& o = options_;
  const Padding2d pads = o.padding_.resolve_transposed(o.kernel_, o.stride_);
  // Keras' `same` promises output = input * stride; when the kernel is smaller
  // than the stride no padding can be removed, so the shortfall is added back.
  Size2d extra = o.output_padding_;
  if (o.padding_.is_same()) {
    extra.h += std::max<std::int64_t>(o.stride_.h - o.kernel_.h, 0);
    extra.w += std::max<std::int64_t>(o.stride_.w - o.kernel_.w, 0);
  }
  return conv_transpose2d(x, weight, bias, o.stride_, pads, extra);
}

BatchNorm::BatchNorm(BatchNormOptions o, std::int64_t input_dims)
    : Module(input_dims == 2 ? "BatchNorm1d" : "BatchNorm2d"), options_(o), input_dims_(input_dims) {
  if (o.affine_) {
    weight = register_parameter("weight", ones({o.features_}));
    bias = register_parameter("bias", zeros({o.features_}));
  }
  running_mean = register_buffer("running_mean", zeros({o.features_}));
  running_var = register_buffer("running_var", ones({o.features_}));
}

Tensor BatchNorm::forward(const Tensor& x) {
  check_input(type_name(), x, input_dims_, options_.features_);
  return batch_norm(x, weight, bias, running_mean, running_var, is_training(), options_.momentum_, options_.eps_);
}

Tensor Reshape::forward(const Tensor& x) {
  Shape target{x.size(0)};
  target.insert(target.end(), shape_.begin(), shape_.end());
  return reshape(x, target);
}

Tensor Sequential::forward(const Tensor& x) {
  Tensor y = x;
  for (const auto& [name, child] : children()) y = (*child)(y);
  return y;
}

}  // namespace nn
