#pragma once
// Adam's per-element update, shared by the CPU loop and the CUDA fused kernel.
// The bias corrections depend only on the step count, so the host folds them
// into two per-step scalars (in double) and both epsilon conventions become
//   p -= step_size * m / (sqrt(v) / sqrt_bias_correction2 + eps)
// pytorch: step_size = lr / (1 - b1^t),                 sqrt_bias_correction2 = sqrt(1 - b2^t)
// keras:   step_size = lr * sqrt(1 - b2^t) / (1 - b1^t), sqrt_bias_correction2 = 1
#include <cmath>

#include "common.hpp"

namespace nn::kernels {

template <class T>
struct AdamCoefficients {
  T beta1, one_minus_beta1;
  T beta2, one_minus_beta2;
  T step_size;
  T sqrt_bias_correction2;
  T eps;
};

template <class T>
NN_HD AdamCoefficients<T> coefficients_as(const AdamCoefficients<double>& c) {
  return {static_cast<T>(c.beta1),     static_cast<T>(c.one_minus_beta1),
          static_cast<T>(c.beta2),     static_cast<T>(c.one_minus_beta2),
          static_cast<T>(c.step_size), static_cast<T>(c.sqrt_bias_correction2),
          static_cast<T>(c.eps)};
}

// One element: updates the moments, then the parameter, in place.
template <class T>
NN_HD void adam_apply(T& param, T& exp_avg, T& exp_avg_sq, T grad, const AdamCoefficients<T>& c) {
  using std::sqrt;
  exp_avg = c.beta1 * exp_avg + c.one_minus_beta1 * grad;
  exp_avg_sq = c.beta2 * exp_avg_sq + c.one_minus_beta2 * grad * grad;
  const T denom = sqrt(exp_avg_sq) / c.sqrt_bias_correction2 + c.eps;
  param -= c.step_size * (exp_avg / denom);
}

}  // namespace nn::kernels
