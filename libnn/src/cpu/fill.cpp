#include "cpu/fill.hpp"

#include <cmath>
#include <cstring>

#include "cpu/parallel.hpp"
#include "random_math.hpp"

namespace nn::cpu {

void fill(const Tensor& out, double value) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* y = out.data<T>();
    const T v = static_cast<T>(value);
    parallel_for(out.numel(), [&](std::int64_t i) { y[i] = v; });
  });
}

void fill_arange(const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* y = out.data<T>();
    parallel_for(out.numel(), [&](std::int64_t i) { y[i] = static_cast<T>(i); });
  });
}

void fill_uniform(const Tensor& out, double low, double high, RandomState rs) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* y = out.data<T>();
    const T lo = static_cast<T>(low), span = static_cast<T>(high - low);
    parallel_for(out.numel(), [&](std::int64_t i) {
      y[i] = kernels::uniform_between_at(lo, span, rs.seed, rs.offset, static_cast<std::uint64_t>(i));
    });
  });
}

void fill_normal(const Tensor& out, double mean, double stddev, RandomState rs) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* y = out.data<T>();
    const T m = static_cast<T>(mean), s = static_cast<T>(stddev);
    parallel_for(out.numel(), [&](std::int64_t i) {
      y[i] = kernels::normal_at(m, s, rs.seed, rs.offset, static_cast<std::uint64_t>(i));
    });
  });
}

void copy(const Tensor& src, const Tensor& out) {
  if (src.dtype() == out.dtype()) {
    std::memcpy(out.raw_data(), src.raw_data(), src.nbytes());
    return;
  }
  visit_dtype(src.dtype(), [&](auto src_tag) {
    visit_dtype(out.dtype(), [&](auto out_tag) {
      using S = decltype(src_tag);
      using D = decltype(out_tag);
      const S* x = src.data<S>();
      D* y = out.data<D>();
      parallel_for(src.numel(), [&](std::int64_t i) { y[i] = static_cast<D>(x[i]); });
    });
  });
}

}  // namespace nn::cpu
