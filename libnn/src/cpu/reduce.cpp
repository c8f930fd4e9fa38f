#include "cpu/reduce.hpp"

#include "cpu/broadcast.hpp"
#include "cpu/ordered_sum.hpp"

namespace nn::cpu {

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
