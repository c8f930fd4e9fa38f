#pragma once
// Launch helpers shared by the .cu files of kernels/: a grid-stride loop over
// a functor, launched on the caller's stream and checked.
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdint>

#include "launch_check.hpp"

namespace nn::kernels {

constexpr int kThreads = 256;
// Enough blocks to fill any current GPU; the loop covers the rest.
constexpr std::int64_t kMaxBlocks = 65536;

inline unsigned grid_for(std::int64_t n) {
  return static_cast<unsigned>(std::clamp<std::int64_t>((n + kThreads - 1) / kThreads, 1, kMaxBlocks));
}

template <class F>
__global__ void for_each_index(std::int64_t n, F f) {
  const std::int64_t step = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n; i += step) f(i);
}

// Calls f(i) for every i in [0, n) on `stream`; f is a functor with a
// __device__ operator()(std::int64_t) const.
template <class F>
void launch_for_each(const char* name, std::int64_t n, const F& f, cudaStream_t stream) {
  if (n <= 0) return;
  for_each_index<<<grid_for(n), kThreads, 0, stream>>>(n, f);
  NN_KERNELS_CHECK_LAUNCH(name);
}

}  // namespace nn::kernels
