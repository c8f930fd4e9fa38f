#pragma once
// CPU fills and conversions used by tensor creation and copies.
#include "nn/random.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

void fill(const Tensor& out, double value);
void fill_arange(const Tensor& out);
void fill_uniform(const Tensor& out, double low, double high, RandomState rs);
void fill_normal(const Tensor& out, double mean, double stddev, RandomState rs);
// Copies src into out element by element, converting dtype; same numel.
void copy(const Tensor& src, const Tensor& out);

}  // namespace nn::cpu
