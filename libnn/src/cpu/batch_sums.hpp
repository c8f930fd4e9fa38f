#pragma once
// A sum over the batch computed in threads: each thread adds its share of
// the batch into a zeroed buffer of its own (the first thread into the
// result itself), and the buffers are added in thread order, so the result
// depends on the thread count but not on timing.
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "cpu/memory.hpp"
#include "cpu/parallel.hpp"

namespace nn::cpu {

// out[0, size) = the sum of what body(first, count, sums) adds into `sums`
// for the threads' shares [first, first + count) of [0, batch).
template <class T, class Body>
void sum_over_batch(std::int64_t batch, std::int64_t size, T* out, Body&& body) {
  std::vector<std::optional<ScratchArray<T>>> partial(static_cast<std::size_t>(omp_get_max_threads()));
  const int threads = parallel_shares(batch, [&](std::int64_t first, std::int64_t count, int thread) {
    T* sums = thread == 0 ? out : partial[static_cast<std::size_t>(thread)].emplace(size).get();
    std::fill(sums, sums + size, T(0));
    body(first, count, sums);
  });
  for (int t = 1; t < threads; ++t) {
    const T* sums = partial[static_cast<std::size_t>(t)]->get();
    for (std::int64_t i = 0; i < size; ++i) out[i] += sums[i];
  }
}

}  // namespace nn::cpu
