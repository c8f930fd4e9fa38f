#pragma once
#include "activation_math.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

// out = f(x), same shape; alpha is leaky_relu's negative slope.
void activation_forward(kernels::Activation kind, const Tensor& x, double alpha, const Tensor& out);
// grad_in = grad_out * f'(.), where `saved` is the forward input (relu,
// leaky_relu) or the forward output (sigmoid, tanh); all the same shape.
void activation_backward(kernels::Activation kind, const Tensor& saved, const Tensor& grad_out, double alpha,
                         const Tensor& grad_in);

}  // namespace nn::cpu
