#include "cpu/reduce.hpp"

#include <vector>

#include "cpu/broadcast.hpp"

namespace nn::cpu {
namespace {
// Fixed chunks keep the summation order independent of the thread count.
constexpr std::int64_t kSumChunk = 4096;
}  // namespace

void sum_all(const Tensor& x, const Tensor& out) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    const std::int64_t n = x.numel();
    const std::int64_t chunks = (n + kSumChunk - 1) / kSumChunk;
    std::vector<double> partial(static_cast<std::size_t>(chunks), 0.0);
#pragma omp parallel for schedule(static) if (chunks > 4)
    for (std::int64_t c = 0; c < chunks; ++c) {
      double acc = 0;
      const std::int64_t end = std::min(n, (c + 1) * kSumChunk);
      for (std::int64_t i = c * kSumChunk; i < end; ++i) acc += in[i];
      partial[static_cast<std::size_t>(c)] = acc;
    }
    double total = 0;
    for (double p : partial) total += p;
    out.data<T>()[0] = static_cast<T>(total);
  });
}

void sum_to(const Tensor& x, const Tensor& out) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    T* y = out.data<T>();
    const std::int64_t n_out = out.numel();
    for (std::int64_t i = 0; i < n_out; ++i) y[i] = 0;
    const BroadcastIndex index(out.shape(), x.shape());
    const std::int64_t inner = x.shape().empty() ? 1 : x.shape().back();
    const std::int64_t rows = inner ? x.numel() / inner : 0;
    const std::int64_t stride = index.inner_stride();
    for (std::int64_t r = 0; r < rows; ++r) {
      const T* row = in + r * inner;
      T* target = y + index(r * inner);
      if (stride == 0) {
        T acc = 0;
        for (std::int64_t j = 0; j < inner; ++j) acc += row[j];
        *target += acc;
      } else {
        for (std::int64_t j = 0; j < inner; ++j) target[j] += row[j];
      }
    }
  });
}

}  // namespace nn::cpu
