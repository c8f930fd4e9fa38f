#pragma once
// In-place optimiser updates on the CPU: one pass over a parameter, its
// gradient and its state, all the same shape and dtype.
#include "adam_math.hpp"
#include "nn/tensor.hpp"
#include "sgd_math.hpp"

namespace nn::cpu {

void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const kernels::AdamCoefficients<double>& coefficients);
// momentum_buffer is undefined for plain SGD.
void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                const kernels::SgdCoefficients<double>& coefficients);

}  // namespace nn::cpu
