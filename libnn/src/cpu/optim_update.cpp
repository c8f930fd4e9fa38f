#include "cpu/optim_update.hpp"

#include "cpu/parallel.hpp"

namespace nn::cpu {

void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const kernels::AdamCoefficients<double>& coefficients) {
  visit_dtype(param.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = param.data<T>();
    const T* g = grad.data<T>();
    T* m = exp_avg.data<T>();
    T* v = exp_avg_sq.data<T>();
    const auto c = kernels::coefficients_as<T>(coefficients);
    parallel_for(param.numel(), [&](std::int64_t i) { kernels::adam_apply(p[i], m[i], v[i], g[i], c); });
  });
}

void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                const kernels::SgdCoefficients<double>& coefficients) {
  visit_dtype(param.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = param.data<T>();
    const T* g = grad.data<T>();
    const auto c = kernels::coefficients_as<T>(coefficients);
    if (momentum_buffer.defined()) {
      T* buf = momentum_buffer.data<T>();
      parallel_for(param.numel(), [&](std::int64_t i) { kernels::sgd_momentum_apply(p[i], buf[i], g[i], c); });
    } else {
      parallel_for(param.numel(), [&](std::int64_t i) { kernels::sgd_apply(p[i], g[i], c); });
    }
  });
}

}  // namespace nn::cpu
