#pragma once
// Launchers of the activation kernels (kernels/activation.cu): raw device
// pointers, the element count and the stream to queue on; T is float or double.
#include <cuda_runtime_api.h>

#include <cstdint>

#include "activation_math.hpp"

namespace nn::kernels {

// y[i] = f(x[i]); alpha is leaky_relu's negative slope.
template <class T>
void activation_forward_cuda(Activation kind, const T* x, T alpha, T* y, std::int64_t n, cudaStream_t stream);
// grad_in[i] = grad_out[i] * f'(.) read from saved[i], the forward input
// (relu, leaky_relu) or output (sigmoid, tanh).
template <class T>
void activation_backward_cuda(Activation kind, const T* saved, const T* grad_out, T alpha, T* grad_in,
                              std::int64_t n, cudaStream_t stream);

}  // namespace nn::kernels
