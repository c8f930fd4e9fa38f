#pragma once
// The CPU backend's deterministic sum, used by every reduction to a scalar:
// fixed chunks of kSumChunk terms, each accumulated in double, and the chunk
// sums added in chunk order. The order of additions, and so the result, does
// not depend on the thread count.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace nn::cpu {

inline constexpr std::int64_t kSumChunk = 4096;

// The sum of chunk_sum(begin, end), the double sum of one chunk's terms in
// index order, over the chunks of [0, n), added in chunk order.
template <class ChunkSum>
double ordered_chunk_sums(std::int64_t n, const ChunkSum& chunk_sum) {
  const std::int64_t chunks = (n + kSumChunk - 1) / kSumChunk;
  std::vector<double> partial(static_cast<std::size_t>(chunks), 0.0);
#pragma omp parallel for schedule(static) if (chunks > 4)
  for (std::int64_t c = 0; c < chunks; ++c)
    partial[static_cast<std::size_t>(c)] = chunk_sum(c * kSumChunk, std::min(n, (c + 1) * kSumChunk));
  double total = 0;
  for (double p : partial) total += p;
  return total;
}

// Sum of term(i) for i in [0, n).
template <class Term>
double ordered_sum(std::int64_t n, const Term& term) {
  return ordered_chunk_sums(n, [&term](std::int64_t begin, std::int64_t end) {
    double acc = 0;
    for (std::int64_t i = begin; i < end; ++i) acc += static_cast<double>(term(i));
    return acc;
  });
}

}  // namespace nn::cpu
