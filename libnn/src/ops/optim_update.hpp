#pragma once
// Dispatch seam for the optimisers' in-place update steps. They write straight
// into the parameter's storage and are never recorded by autograd. Every
// tensor must match the parameter's shape, dtype and device.
#include "adam_math.hpp"
#include "nn/tensor.hpp"
#include "sgd_math.hpp"

namespace nn {

void adam_update_(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                  const kernels::AdamCoefficients<double>& coefficients);
// momentum_buffer may be undefined (plain SGD).
void sgd_update_(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                 const kernels::SgdCoefficients<double>& coefficients);

}  // namespace nn
