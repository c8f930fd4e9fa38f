// Dispatch seam for conv2d and conv_transpose2d, and the size rules they share.
//
// Keras `same` padding. For a convolution the output is ceil(in / stride) and
// the total padding max((out - 1) * stride + k - in, 0) is split with the odd
// cell at the bottom/right. For a transposed convolution Keras wants
// out = in * stride; the op is the adjoint of a `same` convolution on an input
// of in * stride, whose total padding is
// max((in - 1) * stride + k - in * stride, 0) = max(k - stride, 0), the same for
// every `in` and split the same way. With k >= stride that gives
// conv_transpose_output_size = (in - 1) * stride + k - (k - stride) = in * stride.
// With k < stride there is no padding and the size is (in - 1) * stride + k, so
// in * stride needs output_padding = stride - k on top.
#include <algorithm>
#include <string>

#include "cpu/conv.hpp"
#include "geometry/conv_geometry.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {

std::string size_str(Size2d s) { return "(" + std::to_string(s.h) + ", " + std::to_string(s.w) + ")"; }

std::string padding_str(const Padding2d& p) {
  return "(top " + std::to_string(p.top) + ", bottom " + std::to_string(p.bottom) + ", left " +
         std::to_string(p.left) + ", right " + std::to_string(p.right) + ")";
}

// "x [..] and weight [..]": the context every conv error message carries.
std::string operands_str(const Tensor& x, const Tensor& w) {
  return "x " + shape_str(x.shape()) + " and weight " + shape_str(w.shape());
}

// Checks shared by both ops. The weight's dimension `in_dim` must match x's
// channels; the other channel dimension gives the bias length.
void check_operands(const char* op, const Tensor& x, const Tensor& w, const Tensor& b, std::int64_t in_dim,
                    Size2d stride, const Padding2d& padding) {
  detail::check_dim(op, x, 4, "x");
  detail::check_dim(op, w, 4, "weight");
  detail::check_compatible(op, x, w, "weight");
  if (w.size(in_dim) != x.size(1))
    detail::fail(op, "weight " + shape_str(w.shape()) + " expects " + std::to_string(w.size(in_dim)) +
                         " input channels but x " + shape_str(x.shape()) + " has " + std::to_string(x.size(1)));
  if (w.numel() == 0) detail::fail(op, "weight " + shape_str(w.shape()) + " has an empty dimension");
  const std::int64_t out_channels = w.size(1 - in_dim);
  if (b.defined()) {
    detail::check_compatible(op, x, b, "bias");
    if (b.shape() != Shape{out_channels})
      detail::fail(op, "bias " + shape_str(b.shape()) + " does not match " + std::to_string(out_channels) +
                           " output channels of weight " + shape_str(w.shape()));
  }
  if (stride.h <= 0 || stride.w <= 0)
    detail::fail(op, "stride " + size_str(stride) + " must be positive, " + operands_str(x, w));
  if (padding.top < 0 || padding.bottom < 0 || padding.left < 0 || padding.right < 0)
    detail::fail(op, "padding " + padding_str(padding) + " must not be negative, " + operands_str(x, w));
}

// The conv2d from `input` [N,C,H,W] through weight [O,C,kh,kw] to [N,O,out].
geometry::ConvGeometry conv_geometry(const Shape& input, const Shape& weight, Size2d stride, const Padding2d& p,
                                     Size2d out) {
  geometry::PatchGeometry patch;
  patch.channels = input[1];
  patch.in_h = input[2];
  patch.in_w = input[3];
  patch.out_h = out.h;
  patch.out_w = out.w;
  patch.kernel_h = weight[2];
  patch.kernel_w = weight[3];
  patch.stride_h = stride.h;
  patch.stride_w = stride.w;
  patch.pad_top = p.top;
  patch.pad_left = p.left;
  return {input[0], weight[0], patch};
}

Shape input_shape(const geometry::ConvGeometry& g) {
  return {g.batch, g.patch.channels, g.patch.in_h, g.patch.in_w};
}

Shape output_shape(const geometry::ConvGeometry& g) {
  return {g.batch, g.out_channels, g.patch.out_h, g.patch.out_w};
}

Shape weight_shape(const geometry::ConvGeometry& g) {
  return {g.out_channels, g.patch.channels, g.patch.kernel_h, g.patch.kernel_w};
}

// The three passes of the convolution described by g, on x's device.
Tensor conv_pass(const char* op, const geometry::ConvGeometry& g, const Tensor& x, const Tensor& w, const Tensor& b) {
  Tensor y = empty(output_shape(g), x.options());
  detail::on_backend(
      op, y.device(), [&] { cpu::conv2d_forward(x, w, b, g, y); },
      [&](auto...) { cuda_backend::conv2d_forward(x, w, b, g, y); });
  return y;
}

Tensor data_pass(const char* op, const geometry::ConvGeometry& g, const Tensor& grad_y, const Tensor& w,
                 const Tensor& b) {
  Tensor grad_x = empty(input_shape(g), grad_y.options());
  detail::on_backend(
      op, grad_x.device(),
      [&] {
        cpu::conv2d_backward_data(grad_y, w, g, grad_x);
        if (b.defined()) cpu::add_channel_bias(grad_x, b);
      },
      [&](auto...) {
        cuda_backend::conv2d_backward_data(grad_y, w, g, grad_x);
        if (b.defined()) cuda_backend::add_channel_bias(grad_x, b);
      });
  return grad_x;
}

Tensor weight_pass(const char* op, const geometry::ConvGeometry& g, const Tensor& x, const Tensor& grad_y) {
  Tensor grad_w = empty(weight_shape(g), x.options());
  detail::on_backend(
      op, grad_w.device(), [&] { cpu::conv2d_backward_weight(x, grad_y, g, grad_w); },
      [&](auto...) { cuda_backend::conv2d_backward_weight(x, grad_y, g, grad_w); });
  return grad_w;
}

Tensor channel_sum(const Tensor& g) { return sum(g, {0, 2, 3}); }

std::vector<Tensor> defined_inputs(const Tensor& x, const Tensor& w, const Tensor& b) {
  return b.defined() ? std::vector<Tensor>{x, w, b} : std::vector<Tensor>{x, w};
}

void check_size_args(const char* op, std::int64_t k, std::int64_t stride, std::int64_t before, std::int64_t after) {
  if (k <= 0 || stride <= 0 || before < 0 || after < 0)
    detail::fail(op, "kernel " + std::to_string(k) + " and stride " + std::to_string(stride) +
                         " must be positive and padding " + std::to_string(before) + "/" + std::to_string(after) +
                         " not negative");
}

Padding2d split(std::int64_t total_h, std::int64_t total_w) {
  return {total_h / 2, total_h - total_h / 2, total_w / 2, total_w - total_w / 2};
}

}  // namespace

Padding2d same_padding(Size2d input, Size2d kernel, Size2d stride) {
  if (input.h <= 0 || input.w <= 0 || kernel.h <= 0 || kernel.w <= 0 || stride.h <= 0 || stride.w <= 0)
    detail::fail("same_padding", "input " + size_str(input) + ", kernel " + size_str(kernel) + " and stride " +
                                     size_str(stride) + " must be positive");
  const auto total = [](std::int64_t in, std::int64_t k, std::int64_t s) {
    const std::int64_t out = (in + s - 1) / s;
    return std::max<std::int64_t>((out - 1) * s + k - in, 0);
  };
  return split(total(input.h, kernel.h, stride.h), total(input.w, kernel.w, stride.w));
}

Padding2d same_padding_transposed(Size2d kernel, Size2d stride) {
  if (kernel.h <= 0 || kernel.w <= 0 || stride.h <= 0 || stride.w <= 0)
    detail::fail("same_padding_transposed",
                 "kernel " + size_str(kernel) + " and stride " + size_str(stride) + " must be positive");
  return split(std::max<std::int64_t>(kernel.h - stride.h, 0), std::max<std::int64_t>(kernel.w - stride.w, 0));
}

std::int64_t conv_output_size(std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t pad_before,
                              std::int64_t pad_after) {
  check_size_args("conv_output_size", k, stride, pad_before, pad_after);
  const std::int64_t padded = in + pad_before + pad_after;
  return padded < k ? 0 : (padded - k) / stride + 1;
}

std::int64_t conv_transpose_output_size(std::int64_t in, std::int64_t k, std::int64_t stride,
                                        std::int64_t pad_before, std::int64_t pad_after,
                                        std::int64_t output_padding) {
  check_size_args("conv_transpose_output_size", k, stride, pad_before, pad_after);
  return (in - 1) * stride + k - pad_before - pad_after + output_padding;
}

Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b, Size2d stride, Padding2d padding) {
  constexpr const char* op = "conv2d";
  check_operands(op, x, w, b, 1, stride, padding);
  const Size2d out{conv_output_size(x.size(2), w.size(2), stride.h, padding.top, padding.bottom),
                   conv_output_size(x.size(3), w.size(3), stride.w, padding.left, padding.right)};
  if (out.h <= 0 || out.w <= 0)
    detail::fail(op, "x " + shape_str(x.shape()) + " padded by " + padding_str(padding) +
                         " is smaller than the kernel of weight " + shape_str(w.shape()));
  const geometry::ConvGeometry g = conv_geometry(x.shape(), w.shape(), stride, padding, out);
  Tensor y = conv_pass(op, g, x, w, b);
  return record(y, op, defined_inputs(x, w, b),
                [x = x.detach(), w = w.detach(), g](const Tensor& gy, const std::vector<bool>& needs) {
                  std::vector<Tensor> grads(needs.size());
                  if (needs[0]) grads[0] = data_pass(op, g, gy, w, Tensor());
                  if (needs[1]) grads[1] = weight_pass(op, g, x, gy);
                  if (needs.size() > 2 && needs[2]) grads[2] = channel_sum(gy);
                  return grads;
                });
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b, Size2d stride, Padding2d padding,
                        Size2d output_padding) {
  constexpr const char* op = "conv_transpose2d";
  check_operands(op, x, w, b, 0, stride, padding);
  if (output_padding.h < 0 || output_padding.w < 0 || output_padding.h >= stride.h ||
      output_padding.w >= stride.w)
    detail::fail(op, "output_padding " + size_str(output_padding) + " must lie in [0, stride " +
                         size_str(stride) + "), " + operands_str(x, w));
  const Size2d out{
      conv_transpose_output_size(x.size(2), w.size(2), stride.h, padding.top, padding.bottom, output_padding.h),
      conv_transpose_output_size(x.size(3), w.size(3), stride.w, padding.left, padding.right, output_padding.w)};
  if (out.h <= 0 || out.w <= 0)
    detail::fail(op, "output size " + size_str(out) + " is not positive for " + operands_str(x, w) +
                         " with stride " + size_str(stride) + " and padding " + padding_str(padding));
  // The convolution whose adjoint this is: from the output [N, O, out] to x.
  const geometry::ConvGeometry g =
      conv_geometry({x.size(0), w.size(1), out.h, out.w}, w.shape(), stride, padding, {x.size(2), x.size(3)});
  Tensor y = data_pass(op, g, x, w, b);
  return record(y, op, defined_inputs(x, w, b),
                [x = x.detach(), w = w.detach(), g](const Tensor& gy, const std::vector<bool>& needs) {
                  std::vector<Tensor> grads(needs.size());
                  if (needs[0]) grads[0] = conv_pass(op, g, gy, w, Tensor());
                  if (needs[1]) grads[1] = weight_pass(op, g, gy, x);
                  if (needs.size() > 2 && needs[2]) grads[2] = channel_sum(gy);
                  return grads;
                });
}

}  // namespace nn
