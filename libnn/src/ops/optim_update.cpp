// Dispatch seam for the optimisers' in-place update steps.
#include "ops/optim_update.hpp"

#include "cpu/optim_update.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {

void check_like_param(const char* op, const Tensor& param, const Tensor& t, const char* what) {
  detail::check_compatible(op, param, t, what);
  detail::check_same_shape(op, param, t, what);
}

}  // namespace

void adam_update_(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                  const kernels::AdamCoefficients<double>& coefficients) {
  constexpr const char* kOp = "adam_update_";
  detail::check_defined(kOp, param, "param");
  check_like_param(kOp, param, grad, "grad");
  check_like_param(kOp, param, exp_avg, "exp_avg");
  check_like_param(kOp, param, exp_avg_sq, "exp_avg_sq");
  detail::on_backend(
      kOp, param.device(), [&] { cpu::adam_update(param, grad, exp_avg, exp_avg_sq, coefficients); },
      [&](auto...) { cuda_backend::adam_update(param, grad, exp_avg, exp_avg_sq, coefficients); });
}

void sgd_update_(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                 const kernels::SgdCoefficients<double>& coefficients) {
  constexpr const char* kOp = "sgd_update_";
  detail::check_defined(kOp, param, "param");
  check_like_param(kOp, param, grad, "grad");
  if (momentum_buffer.defined()) check_like_param(kOp, param, momentum_buffer, "momentum_buffer");
  detail::on_backend(
      kOp, param.device(), [&] { cpu::sgd_update(param, grad, momentum_buffer, coefficients); },
      [&](auto...) { cuda_backend::sgd_update(param, grad, momentum_buffer, coefficients); });
}

}  // namespace nn
