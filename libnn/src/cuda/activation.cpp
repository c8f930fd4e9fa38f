// CUDA activations: launches kernels/activation.cu on the device's stream.
#include "activation_cuda.hpp"
#include "cuda/backend.hpp"
#include "cuda/context.hpp"

namespace nn::cuda_backend {

void activation_forward(kernels::Activation kind, const Tensor& x, double alpha, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::activation_forward_cuda(kind, x.data<T>(), static_cast<T>(alpha), out.data<T>(), out.numel(),
                                     scope.stream());
  });
}

void activation_backward(kernels::Activation kind, const Tensor& saved, const Tensor& grad_out, double alpha,
                         const Tensor& grad_in) {
  const DeviceScope scope(grad_in.device().index);
  visit_dtype(grad_in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::activation_backward_cuda(kind, saved.data<T>(), grad_out.data<T>(), static_cast<T>(alpha),
                                      grad_in.data<T>(), grad_in.numel(), scope.stream());
  });
}

}  // namespace nn::cuda_backend
