#pragma once
// Launchers of the fused optimiser updates (kernels/optim_update.cu): one pass
// over a parameter, its gradient and its state, updated in place; raw device
// pointers, the element count and the stream to queue on; T is float or double.
#include <cuda_runtime_api.h>

#include <cstdint>

#include "adam_math.hpp"
#include "sgd_math.hpp"

namespace nn::kernels {

template <class T>
void adam_update_cuda(T* param, const T* grad, T* exp_avg, T* exp_avg_sq, const AdamCoefficients<T>& coefficients,
                      std::int64_t n, cudaStream_t stream);
// momentum_buffer null: plain SGD.
template <class T>
void sgd_update_cuda(T* param, const T* grad, T* momentum_buffer, const SgdCoefficients<T>& coefficients,
                     std::int64_t n, cudaStream_t stream);

}  // namespace nn::kernels
