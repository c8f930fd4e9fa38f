#pragma once
// CPU batch normalisation. x is [N,C] or [N,C,H,W], seen as [N, C, S] with
// S = H*W (1 for [N,C]); every per-channel vector is [C]. Each channel is
// reduced by one thread in a fixed order, so results do not depend on the
// thread count.
#include "nn/tensor.hpp"

namespace nn::cpu {

// mean and invstd = 1/sqrt(biased var + eps) of each channel of x. When
// running_mean and running_var are defined they move toward the batch:
// running = (1 - momentum) * running + momentum * batch (unbiased variance).
void batch_norm_batch_stats(const Tensor& x, double eps, double momentum, const Tensor& running_mean,
                            const Tensor& running_var, const Tensor& mean, const Tensor& invstd);

// mean = running_mean, invstd = 1/sqrt(running_var + eps).
void batch_norm_running_stats(const Tensor& running_mean, const Tensor& running_var, double eps,
                              const Tensor& mean, const Tensor& invstd);

// y = (x - mean) * invstd * weight + bias; undefined weight/bias act as 1/0.
void batch_norm_apply(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                      const Tensor& bias, const Tensor& y);

// Gradients of batch_norm_apply given grad_y. In training the statistics are
// functions of x and grad_x includes their contribution; otherwise they are
// constants. Any of grad_x, grad_weight, grad_bias may be undefined (skipped).
void batch_norm_backward(const Tensor& x, const Tensor& grad_y, const Tensor& mean, const Tensor& invstd,
                         const Tensor& weight, bool training, const Tensor& grad_x, const Tensor& grad_weight,
                         const Tensor& grad_bias);

}  // namespace nn::cpu
