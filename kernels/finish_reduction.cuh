#pragma once
// The last step of a reduction to one value: the double total that
// sum_all_cuda left in device memory, divided (1 for a sum, the count for a
// mean) and stored in the output's dtype. Launched with one element.
#include <cstdint>

namespace nn::kernels {

template <class T>
struct FinishReduction {
  const double* total;
  double divisor;
  T* out;
  __device__ void operator()(std::int64_t) const { out[0] = static_cast<T>(total[0] / divisor); }
};

}  // namespace nn::kernels
