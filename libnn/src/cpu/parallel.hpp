#pragma once
// Parallel loops over elements for the CPU backend (OpenMP). Small loops run
// serially: a parallel region costs more than it saves below a few thousand
// elements.
#include <cstdint>

namespace nn::cpu {

inline constexpr std::int64_t kParallelGrain = 16384;

template <class Fn>
void parallel_for(std::int64_t n, Fn&& fn) {
#pragma omp parallel for schedule(static) if (n >= kParallelGrain)
  for (std::int64_t i = 0; i < n; ++i) fn(i);
}

}  // namespace nn::cpu
