#include "cpu/batch_norm.hpp"

#include <cmath>

#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {

// x as [n, c, s]: element (i, ch, j) sits at (i * c + ch) * s + j.
struct ChannelLayout {
  explicit ChannelLayout(const Tensor& x)
      : n(x.size(0)), c(x.size(1)), s(x.dim() == 4 ? x.size(2) * x.size(3) : 1) {}
  std::int64_t n, c, s;
  std::int64_t count() const { return n * s; }
  std::int64_t numel() const { return n * c * s; }
};

// Calls fn(offset) for the start of every contiguous run of `s` elements of channel ch.
template <class Fn>
void for_each_row(const ChannelLayout& l, std::int64_t ch, Fn&& fn) {
  for (std::int64_t i = 0; i < l.n; ++i) fn((i * l.c + ch) * l.s);
}

template <class T>
T optional_at(const Tensor& t, std::int64_t ch, T fallback) {
  return t.defined() ? t.data<T>()[ch] : fallback;
}

}  // namespace

void batch_norm_batch_stats(const Tensor& x, double eps, double momentum, const Tensor& running_mean,
                            const Tensor& running_var, const Tensor& mean, const Tensor& invstd) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const ChannelLayout l(x);
    const T* in = x.data<T>();
    T* mean_out = mean.data<T>();
    T* invstd_out = invstd.data<T>();
    T* rm = running_mean.defined() ? running_mean.data<T>() : nullptr;
    T* rv = running_var.defined() ? running_var.data<T>() : nullptr;
    const double count = static_cast<double>(l.count());
#pragma omp parallel for schedule(static) if (l.numel() >= kParallelGrain)
    for (std::int64_t ch = 0; ch < l.c; ++ch) {
      double sum = 0;
      for_each_row(l, ch, [&](std::int64_t at) {
        for (std::int64_t j = 0; j < l.s; ++j) sum += in[at + j];
      });
      const double mu = sum / count;
      // Two passes: the centred sum of squares does not cancel catastrophically.
      double squares = 0;
      for_each_row(l, ch, [&](std::int64_t at) {
        for (std::int64_t j = 0; j < l.s; ++j) {
          const double d = in[at + j] - mu;
          squares += d * d;
        }
      });
      const double var = squares / count;
      mean_out[ch] = static_cast<T>(mu);
      invstd_out[ch] = static_cast<T>(1.0 / std::sqrt(var + eps));
      if (rm) rm[ch] = static_cast<T>((1.0 - momentum) * rm[ch] + momentum * mu);
      if (rv) rv[ch] = static_cast<T>((1.0 - momentum) * rv[ch] + momentum * squares / (count - 1.0));
    }
  });
}

void batch_norm_running_stats(const Tensor& running_mean, const Tensor& running_var, double eps,
                              const Tensor& mean, const Tensor& invstd) {
  visit_dtype(mean.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* rm = running_mean.data<T>();
    const T* rv = running_var.data<T>();
    T* mean_out = mean.data<T>();
    T* invstd_out = invstd.data<T>();
    for (std::int64_t ch = 0; ch < mean.numel(); ++ch) {
      mean_out[ch] = rm[ch];
      invstd_out[ch] = static_cast<T>(1.0 / std::sqrt(static_cast<double>(rv[ch]) + eps));
    }
  });
}

void batch_norm_apply(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                      const Tensor& bias, const Tensor& y) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const ChannelLayout l(x);
    const T* in = x.data<T>();
    T* out = y.data<T>();
#pragma omp parallel for schedule(static) if (l.numel() >= kParallelGrain)
    for (std::int64_t ch = 0; ch < l.c; ++ch) {
      const T mu = mean.data<T>()[ch];
      const T scale = invstd.data<T>()[ch] * optional_at<T>(weight, ch, T(1));
      const T shift = optional_at<T>(bias, ch, T(0));
      for_each_row(l, ch, [&](std::int64_t at) {
        for (std::int64_t j = 0; j < l.s; ++j) out[at + j] = (in[at + j] - mu) * scale + shift;
      });
    }
  });
}

void batch_norm_backward(const Tensor& x, const Tensor& grad_y, const Tensor& mean, const Tensor& invstd,
                         const Tensor& weight, bool training, const Tensor& grad_x, const Tensor& grad_weight,
                         const Tensor& grad_bias) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const ChannelLayout l(x);
    const T* in = x.data<T>();
    const T* g = grad_y.data<T>();
    T* gx = grad_x.defined() ? grad_x.data<T>() : nullptr;
    const double count = static_cast<double>(l.count());
#pragma omp parallel for schedule(static) if (l.numel() >= kParallelGrain)
    for (std::int64_t ch = 0; ch < l.c; ++ch) {
      const double mu = mean.data<T>()[ch];
      const double istd = invstd.data<T>()[ch];
      const double w = optional_at<T>(weight, ch, T(1));
      // sum(g) and sum(g * xhat) with xhat = (x - mean) * invstd.
      double sum_g = 0, sum_g_xhat = 0;
      for_each_row(l, ch, [&](std::int64_t at) {
        for (std::int64_t j = 0; j < l.s; ++j) {
          sum_g += g[at + j];
          sum_g_xhat += g[at + j] * (in[at + j] - mu) * istd;
        }
      });
      if (grad_weight.defined()) grad_weight.data<T>()[ch] = static_cast<T>(sum_g_xhat);
      if (grad_bias.defined()) grad_bias.data<T>()[ch] = static_cast<T>(sum_g);
      if (!gx) continue;
      const double scale = w * istd;
      // Training: the batch mean and variance depend on x, which removes the
      // gradient's mean and its projection on xhat.
      const double mean_g = training ? sum_g / count : 0.0;
      const double mean_g_xhat = training ? sum_g_xhat / count : 0.0;
      for_each_row(l, ch, [&](std::int64_t at) {
        for (std::int64_t j = 0; j < l.s; ++j) {
          const double xhat = (in[at + j] - mu) * istd;
          gx[at + j] = static_cast<T>(scale * (g[at + j] - mean_g - xhat * mean_g_xhat));
        }
      });
    }
  });
}

}  // namespace nn::cpu
