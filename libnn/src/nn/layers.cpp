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
  weight = register_parameter("weight", make_parameter({o.out(), o.in()}, o.weight_init(), o.in(), o.out()));
  if (o.bias()) bias = register_parameter("bias", make_parameter({o.out()}, o.bias_init(), o.in(), o.out()));
}

Tensor Dense::forward(const Tensor& x) {
  check_input("Dense", x, 2, options_.in());
  return linear(x, weight, bias);
}

Conv2d::Conv2d(Conv2dOptions o) : Module("Conv2d"), options_(o) {
  const Size2d k = o.kernel();
  const std::int64_t fan_in = o.in() * k.h * k.w, fan_out = o.out() * k.h * k.w;
  weight = register_parameter("weight", make_parameter({o.out(), o.in(), k.h, k.w}, o.weight_init(), fan_in, fan_out));
  if (o.bias()) bias = register_parameter("bias", make_parameter({o.out()}, o.bias_init(), fan_in, fan_out));
}

Tensor Conv2d::forward(const Tensor& x) {
  check_input("Conv2d", x, 4, options_.in());
  const Padding2d pads = options_.padding().resolve({x.size(2), x.size(3)}, options_.kernel(), options_.stride());
  return conv2d(x, weight, bias, options_.stride(), pads);
}

ConvTranspose2d::ConvTranspose2d(ConvTranspose2dOptions o) : Module("ConvTranspose2d"), options_(o) {
  // Keras counts a transposed kernel's fans with in and out swapped.
  const Size2d k = o.kernel();
  const std::int64_t fan_in = o.out() * k.h * k.w, fan_out = o.in() * k.h * k.w;
  weight = register_parameter("weight", make_parameter({o.in(), o.out(), k.h, k.w}, o.weight_init(), fan_in, fan_out));
  if (o.bias()) bias = register_parameter("bias", make_parameter({o.out()}, o.bias_init(), fan_in, fan_out));
}

Tensor ConvTranspose2d::forward(const Tensor& x) {
  check_input("ConvTranspose2d", x, 4, options_.in());
  const ConvTranspose2dOptions& o = options_;
  const Padding2d pads = o.padding().resolve_transposed(o.kernel(), o.stride());
  // Keras' `same` promises output = input * stride; when the kernel is smaller
  // than the stride no padding can be removed, so the shortfall is added back.
  Size2d extra = o.output_padding();
  if (o.padding().is_same()) {
    extra.h += std::max<std::int64_t>(o.stride().h - o.kernel().h, 0);
    extra.w += std::max<std::int64_t>(o.stride().w - o.kernel().w, 0);
  }
  return conv_transpose2d(x, weight, bias, o.stride(), pads, extra);
}

BatchNorm::BatchNorm(BatchNormOptions o, std::int64_t input_dims)
    : Module(input_dims == 2 ? "BatchNorm1d" : "BatchNorm2d"), options_(o), input_dims_(input_dims) {
  if (o.affine()) {
    weight = register_parameter("weight", ones({o.features()}));
    bias = register_parameter("bias", zeros({o.features()}));
  }
  running_mean = register_buffer("running_mean", zeros({o.features()}));
  running_var = register_buffer("running_var", ones({o.features()}));
}

Tensor BatchNorm::forward(const Tensor& x) {
  check_input(type_name(), x, input_dims_, options_.features());
  return batch_norm(x, weight, bias, running_mean, running_var, is_training(), options_.momentum(), options_.eps());
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
