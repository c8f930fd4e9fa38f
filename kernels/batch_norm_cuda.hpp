#pragma once
// Launchers of the batch norm kernels (kernels/batch_norm.cu) for fixed
// statistics (inference); training runs through cuDNN (cuda/batch_norm.cpp).
// The contracts are those of nn::cpu::batch_norm_* (cpu/batch_norm.hpp).
#include <cuda_runtime_api.h>

#include <cstdint>

namespace nn::kernels {

// x as [n, c, s]: element (i, ch, j) sits at (i * c + ch) * s + j.
struct ChannelLayout {
  std::int64_t n = 0, c = 0, s = 1;
};

// mean = running_mean, invstd = 1 / sqrt(running_var + eps), over c channels.
template <class T>
void batch_norm_running_stats_cuda(const T* running_mean, const T* running_var, double eps, T* mean, T* invstd,
                                   std::int64_t c, cudaStream_t stream);

// y = (x - mean) * (invstd * weight) + bias per channel; a null weight or
// bias acts as 1 or 0.
template <class T>
void batch_norm_apply_cuda(const T* x, const T* mean, const T* invstd, const T* weight, const T* bias, T* y,
                           const ChannelLayout& l, cudaStream_t stream);

// Gradients of batch_norm_apply with mean and invstd held constant:
// grad_x = weight * invstd * grad_y, grad_weight = sum(grad_y * xhat),
// grad_bias = sum(grad_y) per channel. Null outputs are skipped, a null
// weight acts as 1. The sums accumulate in double in a fixed order.
template <class T>
void batch_norm_backward_fixed_stats_cuda(const T* x, const T* grad_y, const T* mean, const T* invstd,
                                          const T* weight, T* grad_x, T* grad_weight, T* grad_bias,
                                          const ChannelLayout& l, cudaStream_t stream);

}  // namespace nn::kernels
