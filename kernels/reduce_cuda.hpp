#pragma once
// Launchers of the sum kernels (kernels/reduce.cu). Sums accumulate in double
// and are deterministic: no atomics, and the split of the work (hence the
// order of the additions) depends only on the shapes, never on the GPU.
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdint>

#include "strided_index.hpp"

namespace nn::kernels {

// Number of per-block partial sums sum_all_cuda needs as scratch for n values.
inline std::int64_t sum_all_partials(std::int64_t n) {
  constexpr std::int64_t kValuesPerBlock = 4096, kMaxPartials = 1024;
  return std::clamp<std::int64_t>((n + kValuesPerBlock - 1) / kValuesPerBlock, 1, kMaxPartials);
}

// out[0] = sum of x[0..n), in two passes through `partials`
// (sum_all_partials(n) doubles of device scratch).
template <class T>
void sum_all_cuda(const T* x, std::int64_t n, double* partials, T* out, cudaStream_t stream);

// Chunks into which sum_to_cuda splits each output's reduction; 1 means a
// single pass without scratch.
inline std::int64_t sum_to_chunks(std::int64_t reduced) {
  constexpr std::int64_t kValuesPerChunk = 16384, kMaxChunks = 64;
  return std::clamp<std::int64_t>((reduced + kValuesPerChunk - 1) / kValuesPerChunk, 1, kMaxChunks);
}

// out[o] = sum over r in [0, reduced) of x[kept(o) + summed(r)] for o in
// [0, n_out). `partials` holds n_out * sum_to_chunks(reduced) doubles of
// device scratch (unused when that is 1).
template <class T>
void sum_to_cuda(const T* x, const StridedIndex& kept, std::int64_t n_out, const StridedIndex& summed,
                 std::int64_t reduced, double* partials, T* out, cudaStream_t stream);

}  // namespace nn::kernels
