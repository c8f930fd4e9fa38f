#pragma once
#include "nn/random.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

// out = x with the dropout mask drawn from `rs` applied (kept values scaled by
// 1 / (1 - rate)). Applied to an output gradient it gives the input gradient.
void dropout(const Tensor& x, double rate, RandomState rs, const Tensor& out);
// out = x + stddev * N(0, 1) noise drawn from `rs` (two draws per element).
void gaussian_noise(const Tensor& x, double stddev, RandomState rs, const Tensor& out);

}  // namespace nn::cpu
