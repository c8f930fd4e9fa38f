// CUDA elementwise arithmetic: picks the geometry and launches kernels/elementwise.cu.
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "elementwise_cuda.hpp"
#include "geometry/strided.hpp"

namespace nn::cuda_backend {

using geometry::broadcast_strides;
using geometry::strided_indices;

void binary(kernels::BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if (a.shape() == out.shape() && b.shape() == out.shape()) {
      kernels::binary_same_shape_cuda(op, a.data<T>(), b.data<T>(), out.data<T>(), out.numel(), scope.stream());
      return;
    }
    const Shape& shape = out.shape();
    const auto idx =
        strided_indices("binary", shape, {broadcast_strides(a.shape(), shape), broadcast_strides(b.shape(), shape)});
    kernels::binary_strided_cuda(op, a.data<T>(), idx[0], b.data<T>(), idx[1], out.data<T>(), out.numel(),
                                 scope.stream());
  });
}

void affine(const Tensor& x, double scale, double shift, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::affine_cuda(x.data<T>(), static_cast<T>(scale), static_cast<T>(shift), out.data<T>(), out.numel(),
                         scope.stream());
  });
}

void broadcast_to(const Tensor& x, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto idx = strided_indices("broadcast_to", out.shape(), {broadcast_strides(x.shape(), out.shape())});
    kernels::gather_cuda(x.data<T>(), idx[0], out.data<T>(), out.numel(), scope.stream());
  });
}

}  // namespace nn::cuda_backend
