// CUDA max pooling through kernels/pool.cu. Hand-written rather than cuDNN's
// pooling: cuDNN pads symmetrically only (Keras "same" padding may put one
// more row at the bottom than at the top), documents no rule for ties, and
// its backward pass needs x and y kept alive instead of the winners' indices.
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "pool_cuda.hpp"

namespace nn::cuda_backend {
namespace {

kernels::PoolGeometry pool_geometry(const geometry::PatchGeometry& g) {
  kernels::PoolGeometry p;
  p.planes = g.channels;
  p.in_h = g.in_h;
  p.in_w = g.in_w;
  p.out_h = g.out_h;
  p.out_w = g.out_w;
  p.kernel_h = g.kernel_h;
  p.kernel_w = g.kernel_w;
  p.stride_h = g.stride_h;
  p.stride_w = g.stride_w;
  p.pad_top = g.pad_top;
  p.pad_left = g.pad_left;
  return p;
}

}  // namespace

void max_pool2d_forward(const Tensor& x, const geometry::PatchGeometry& g, const Tensor& y, std::int64_t* argmax) {
  const DeviceScope scope(y.device().index);
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::max_pool2d_forward_cuda(x.data<T>(), pool_geometry(g), y.data<T>(), argmax, scope.stream());
  });
}

void max_pool2d_backward(const Tensor& grad_y, const std::int64_t* argmax, const geometry::PatchGeometry& g,
                         const Tensor& grad_x) {
  const DeviceScope scope(grad_x.device().index);
  visit_dtype(grad_x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::max_pool2d_backward_cuda(grad_y.data<T>(), argmax, pool_geometry(g), grad_x.data<T>(),
                                      scope.stream());
  });
}

}  // namespace nn::cuda_backend
