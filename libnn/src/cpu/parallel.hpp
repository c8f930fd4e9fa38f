#pragma once
// Parallel loops over elements for the CPU backend (OpenMP). Small loops run
// serially: a parallel region costs more than it saves below a few thousand
// elements.
#include <omp.h>

#include <cstdint>

namespace nn::cpu {

inline constexpr std::int64_t kParallelGrain = 16384;

// Calls range(begin, end) once per thread of the team, on that thread's
// contiguous share of [0, n); without `parallel` once, on all of it.
template <class Range>
void parallel_ranges(std::int64_t n, bool parallel, Range&& range) {
  if (!parallel) return range(std::int64_t{0}, n);
#pragma omp parallel
  {
    const std::int64_t thread = omp_get_thread_num(), threads = omp_get_num_threads();
    range(n * thread / threads, n * (thread + 1) / threads);
  }
}

// Each thread runs fn over one contiguous range in a plain loop, which the
// compiler vectorises (an OpenMP worksharing loop over fn(i) it does not).
template <class Fn>
void parallel_for(std::int64_t n, Fn&& fn) {
  parallel_ranges(n, n >= kParallelGrain, [&fn](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) fn(i);
  });
}

}  // namespace nn::cpu
