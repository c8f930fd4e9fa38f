#pragma once
#include "nn/tensor.hpp"

namespace nn::cpu {

// out (one element) = sum of x, in an order that does not depend on the
// number of threads.
void sum_all(const Tensor& x, const Tensor& out);
// out = x summed over the dimensions along which out's shape broadcasts to x's.
void sum_to(const Tensor& x, const Tensor& out);

}  // namespace nn::cpu
