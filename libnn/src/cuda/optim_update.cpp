// CUDA optimiser updates: the per-step coefficients converted on the host,
// then one fused kernel per parameter (kernels/optim_update.cu).
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "optim_update_cuda.hpp"

namespace nn::cuda_backend {

void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const kernels::AdamCoefficients<double>& coefficients) {
  const DeviceScope scope(param.device().index);
  visit_dtype(param.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::adam_update_cuda(param.data<T>(), grad.data<T>(), exp_avg.data<T>(), exp_avg_sq.data<T>(),
                              kernels::coefficients_as<T>(coefficients), param.numel(), scope.stream());
  });
}

void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                const kernels::SgdCoefficients<double>& coefficients) {
  const DeviceScope scope(param.device().index);
  visit_dtype(param.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* buffer = momentum_buffer.defined() ? momentum_buffer.data<T>() : nullptr;
    kernels::sgd_update_cuda(param.data<T>(), grad.data<T>(), buffer, kernels::coefficients_as<T>(coefficients),
                             param.numel(), scope.stream());
  });
}

}  // namespace nn::cuda_backend
