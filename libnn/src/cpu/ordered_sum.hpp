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

// Sum of term(i) for i in [0, n).
template <class Term>
double ordered_sum(std::int64_t n, const Term& term) {
  const std::int64_t chunks = (n + kSumChunk - 1) / kSumChunk;
  std::vector<double> partial(static_cast<std::size_t>(chunks), 0.0);
#pragma omp parallel for schedule(static) if (chunks > 4)
  for (std::int64_t c = 0; c < chunks; ++c) {
    double acc = 0;
    const std::int64_t end = std::min(n, (c + 1) * kSumChunk);
    for (std::int64_t i = c * kSumChunk; i < end; ++i) acc += static_cast<double>(term(i));
    partial[static_cast<std::size_t>(c)] = acc;
  }
  double total = 0;
  for (double p : partial) total += p;
  return total;
}

}  // namespace nn::cpu
