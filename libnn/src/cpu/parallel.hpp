#pragma once
// Parallel loops over elements for the CPU backend (OpenMP). Small loops run
// serially: a parallel region costs more than it saves below a few thousand
// elements.
#include <omp.h>

#include <algorithm>
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

// Calls body(first, count, thread) for one share of [0, batch) per thread and
// returns the number of threads. Each thread works through its images alone
// (the convolutions' serial copies and GEMMs on its own buffers); a batch
// smaller than the team runs on the caller's thread, where those steps
// parallelise internally.
template <class Body>
int parallel_shares(std::int64_t batch, Body&& body) {
  const int threads = static_cast<int>(std::min<std::int64_t>(omp_get_max_threads(), batch));
  if (threads <= 1) {
    body(std::int64_t{0}, batch, 0);
    return 1;
  }
  // The team may be smaller than asked for (nested in a parallel region, or
  // OMP_DYNAMIC), so the shares follow the team actually running.
  int team = 1;
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), size = omp_get_num_threads();
    if (t == 0) team = size;
    const std::int64_t first = batch * t / size, last = batch * (t + 1) / size;
    body(first, last - first, t);
  }
  return team;
}

}  // namespace nn::cpu
