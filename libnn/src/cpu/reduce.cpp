#include "cpu/reduce.hpp"

#include <algorithm>
#include <optional>

#include "cpu/broadcast.hpp"
#include "cpu/ordered_sum.hpp"
#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {

// x seen as [outer, kept, inner], out being the middle. three_way_view finds
// it when the dimensions out keeps form one contiguous run of x's
// (dimensions of size 1 count as either). Per-channel sums of [N, C, H, W]
// and per-feature sums of [N, F], the bias gradients, are of this form.
struct ThreeWayView {
  std::int64_t outer = 1, kept = 1, inner = 1;
};

std::optional<ThreeWayView> three_way_view(const Shape& x, const Shape& out) {
  const std::size_t lead = x.size() - out.size();
  ThreeWayView v;
  int run = 0;  // 0 before the kept run, 1 inside it, 2 after it
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (x[k] == 1) continue;
    const bool keeps = k >= lead && out[k - lead] == x[k];
    if (keeps && run == 2) return std::nullopt;
    if (keeps) run = 1;
    if (!keeps && run == 1) run = 2;
    (keeps ? v.kept : run == 0 ? v.outer : v.inner) *= x[k];
  }
  return v;
}

// Sum of n consecutive values in eight interleaved double accumulators (which
// the compiler vectorises), combined in a fixed order.
template <class T>
double block_sum(const T* p, std::int64_t n) {
  constexpr std::int64_t kLanes = 8;
  double lanes[kLanes] = {};
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (std::int64_t j = 0; j < kLanes; ++j) lanes[j] += static_cast<double>(p[i + j]);
  double total = 0;
  for (double lane : lanes) total += lane;
  for (; i < n; ++i) total += static_cast<double>(p[i]);
  return total;
}

// y[m] = sum over a, i of x[a, m, i]; each output is summed in the same order
// whatever the number of threads.
template <class T>
void sum_three_way(const T* x, const ThreeWayView& v, T* y) {
  if (v.inner == 1) {
    constexpr std::int64_t kBlock = 256;  // outputs a thread adds up row after row
#pragma omp parallel for schedule(static) if (v.outer * v.kept >= kParallelGrain && v.kept > kBlock)
    for (std::int64_t m0 = 0; m0 < v.kept; m0 += kBlock) {
      const std::int64_t m1 = std::min(v.kept, m0 + kBlock);
      for (std::int64_t m = m0; m < m1; ++m) y[m] = T(0);
      for (std::int64_t a = 0; a < v.outer; ++a)
        for (std::int64_t m = m0; m < m1; ++m) y[m] += x[a * v.kept + m];
    }
    return;
  }
#pragma omp parallel for schedule(static) if (v.outer * v.kept * v.inner >= kParallelGrain && v.kept > 1)
  for (std::int64_t m = 0; m < v.kept; ++m) {
    double acc = 0;
    for (std::int64_t a = 0; a < v.outer; ++a) acc += block_sum(x + (a * v.kept + m) * v.inner, v.inner);
    y[m] = static_cast<T>(acc);
  }
}

// Any other pattern: every row of x's last dimension added to its target.
template <class T>
void sum_rows(const Tensor& x, const Tensor& out, const T* in, T* y) {
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
}

}  // namespace

void sum_all(const Tensor& x, const Tensor& out) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    out.data<T>()[0] = static_cast<T>(ordered_sum(x.numel(), [in](std::int64_t i) { return in[i]; }));
  });
}

void sum_to(const Tensor& x, const Tensor& out) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto view = three_way_view(x.shape(), out.shape());
    if (view) return sum_three_way(x.data<T>(), *view, out.data<T>());
    sum_rows(x, out, x.data<T>(), out.data<T>());
  });
}

}  // namespace nn::cpu
