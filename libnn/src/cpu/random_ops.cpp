#include "cpu/random_ops.hpp"

#include "cpu/parallel.hpp"
#include "dropout_math.hpp"
#include "noise_math.hpp"

namespace nn::cpu {

void dropout(const Tensor& x, double rate, RandomState rs, const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    T* y = out.data<T>();
    const T r = static_cast<T>(rate);
    const T scale = static_cast<T>(1.0 / (1.0 - rate));
    parallel_for(out.numel(), [&](std::int64_t i) {
      const bool keep = kernels::dropout_keep<T>(rs.seed, rs.offset, static_cast<std::uint64_t>(i), r);
      y[i] = kernels::dropout_apply(in[i], keep, scale);
    });
  });
}

void gaussian_noise(const Tensor& x, double stddev, RandomState rs, const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    T* y = out.data<T>();
    const T s = static_cast<T>(stddev);
    parallel_for(out.numel(), [&](std::int64_t i) {
      y[i] = kernels::gaussian_noise_apply(in[i], s, rs.seed, rs.offset, static_cast<std::uint64_t>(i));
    });
  });
}

}  // namespace nn::cpu
