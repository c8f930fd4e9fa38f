// Dispatch seam for max pooling.
#include <memory>
#include <string>
#include <vector>

#include "cpu/pool.hpp"
#include "geometry/conv_geometry.hpp"
#include "memory/device_memory.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {

// Where a pooling pass keeps the winners' indices for its backward pass, on
// the pooled tensor's device.
std::shared_ptr<std::int64_t[]> argmax_buffer(std::int64_t count, Device device) {
  void* buffer = memory::allocate(static_cast<std::size_t>(count) * sizeof(std::int64_t), device);
  return std::shared_ptr<std::int64_t[]>(static_cast<std::int64_t*>(buffer),
                                         [device](std::int64_t* p) { memory::deallocate(p, device); });
}

void forward(const Tensor& x, const geometry::PatchGeometry& g, const Tensor& y, std::int64_t* argmax) {
  detail::on_backend(
      "max_pool2d", y.device(), [&] { cpu::max_pool2d_forward(x, g, y, argmax); },
      [&](auto...) { cuda_backend::max_pool2d_forward(x, g, y, argmax); });
}

void backward(const Tensor& grad_y, const std::int64_t* argmax, const geometry::PatchGeometry& g,
              const Tensor& grad_x) {
  detail::on_backend(
      "max_pool2d", grad_x.device(), [&] { cpu::max_pool2d_backward(grad_y, argmax, g, grad_x); },
      [&](auto...) { cuda_backend::max_pool2d_backward(grad_y, argmax, g, grad_x); });
}
}  // namespace

Tensor max_pool2d(const Tensor& x, Size2d kernel, Size2d stride, Padding2d padding) {
  constexpr const char* op = "max_pool2d";
  detail::check_dim(op, x, 4, "x");
  const auto setting = [&] {
    return "kernel (" + std::to_string(kernel.h) + ", " + std::to_string(kernel.w) + "), stride (" +
           std::to_string(stride.h) + ", " + std::to_string(stride.w) + "), padding (top " +
           std::to_string(padding.top) + ", bottom " + std::to_string(padding.bottom) + ", left " +
           std::to_string(padding.left) + ", right " + std::to_string(padding.right) + ") for x " +
           shape_str(x.shape());
  };
  if (kernel.h <= 0 || kernel.w <= 0 || stride.h <= 0 || stride.w <= 0)
    detail::fail(op, "kernel and stride must be positive: " + setting());
  // Padding smaller than the kernel keeps a real cell in every window.
  const auto fits = [](std::int64_t pad, std::int64_t k) { return pad >= 0 && pad < k; };
  if (!fits(padding.top, kernel.h) || !fits(padding.bottom, kernel.h) || !fits(padding.left, kernel.w) ||
      !fits(padding.right, kernel.w))
    detail::fail(op, "padding must lie in [0, kernel) on every side: " + setting());
  const std::int64_t out_h = conv_output_size(x.size(2), kernel.h, stride.h, padding.top, padding.bottom);
  const std::int64_t out_w = conv_output_size(x.size(3), kernel.w, stride.w, padding.left, padding.right);
  if (out_h <= 0 || out_w <= 0) detail::fail(op, "the input is smaller than one window: " + setting());

  geometry::PatchGeometry g;
  g.channels = x.size(0) * x.size(1);
  g.in_h = x.size(2);
  g.in_w = x.size(3);
  g.out_h = out_h;
  g.out_w = out_w;
  g.kernel_h = kernel.h;
  g.kernel_w = kernel.w;
  g.stride_h = stride.h;
  g.stride_w = stride.w;
  g.pad_top = padding.top;
  g.pad_left = padding.left;

  Tensor y = empty({x.size(0), x.size(1), out_h, out_w}, x.options());
  const bool tracked = grad_mode_enabled() && x.requires_grad();
  const std::shared_ptr<std::int64_t[]> argmax = tracked ? argmax_buffer(y.numel(), y.device()) : nullptr;
  forward(x, g, y, argmax.get());
  return record(y, op, {x}, [argmax, g, shape = x.shape()](const Tensor& gy, const std::vector<bool>&) {
    Tensor gx = empty(shape, gy.options());
    backward(gy, argmax.get(), g, gx);
    return std::vector<Tensor>{gx};
  });
}

}  // namespace nn
