#include "cpu/batch_norm.hpp"

#include <cmath>
#include <vector>

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

// Rows at least this long are reduced one channel at a time, along the row;
// shorter ones (BatchNorm1d's single elements, 2x2 maps) a block of channels
// at a time, with the channel innermost.
constexpr std::int64_t kLongRow = 16;

// Sum of term(j) for j in [0, s) in a fixed order: four accumulators take
// turns, so that each addition need not wait for the one before it.
template <class Term>
double row_sum(std::int64_t s, const Term& term) {
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  std::int64_t j = 0;
  for (; j + 4 <= s; j += 4) {
    a0 += term(j);
    a1 += term(j + 1);
    a2 += term(j + 2);
    a3 += term(j + 3);
  }
  for (; j < s; ++j) a0 += term(j);
  return (a0 + a1) + (a2 + a3);
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
    // Per channel: the sum, then the centred sum of squares (two passes: it
    // does not cancel catastrophically).
    std::vector<double> sums(static_cast<std::size_t>(l.c)), squares(static_cast<std::size_t>(l.c));
    if (l.s >= kLongRow) {
#pragma omp parallel for schedule(static) if (l.numel() >= kParallelGrain)
      for (std::int64_t ch = 0; ch < l.c; ++ch) {
        double sum = 0;
        for_each_row(l, ch, [&](std::int64_t at) { sum += row_sum(l.s, [&](std::int64_t j) { return in[at + j]; }); });
        const double mu = sum / count;
        double sq = 0;
        for_each_row(l, ch, [&](std::int64_t at) {
          sq += row_sum(l.s, [&](std::int64_t j) {
            const double d = in[at + j] - mu;
            return d * d;
          });
        });
        sums[static_cast<std::size_t>(ch)] = sum;
        squares[static_cast<std::size_t>(ch)] = sq;
      }
    } else {
      parallel_ranges(l.c, l.numel() >= kParallelGrain, [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t i = 0; i < l.n; ++i)
          for (std::int64_t ch = first; ch < last; ++ch)
            for (std::int64_t j = 0; j < l.s; ++j) sums[static_cast<std::size_t>(ch)] += in[(i * l.c + ch) * l.s + j];
        for (std::int64_t i = 0; i < l.n; ++i)
          for (std::int64_t ch = first; ch < last; ++ch) {
            const double mu = sums[static_cast<std::size_t>(ch)] / count;
            for (std::int64_t j = 0; j < l.s; ++j) {
              const double d = in[(i * l.c + ch) * l.s + j] - mu;
              squares[static_cast<std::size_t>(ch)] += d * d;
            }
          }
      });
    }
    for (std::int64_t ch = 0; ch < l.c; ++ch) {
      const double mu = sums[static_cast<std::size_t>(ch)] / count, sq = squares[static_cast<std::size_t>(ch)];
      mean_out[ch] = static_cast<T>(mu);
      invstd_out[ch] = static_cast<T>(1.0 / std::sqrt(sq / count + eps));
      if (rm) rm[ch] = static_cast<T>((1.0 - momentum) * rm[ch] + momentum * mu);
      if (rv) rv[ch] = static_cast<T>((1.0 - momentum) * rv[ch] + momentum * sq / (count - 1.0));
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
    const T* mean_in = mean.data<T>();
    const T* invstd_in = invstd.data<T>();
    // Per channel sum(g) and sum(g * (x - mean)), which times invstd is sum(g * xhat).
    std::vector<double> sum_g(static_cast<std::size_t>(l.c)), sum_g_xc(static_cast<std::size_t>(l.c));
    if (l.s >= kLongRow) {
#pragma omp parallel for schedule(static) if (l.numel() >= kParallelGrain)
      for (std::int64_t ch = 0; ch < l.c; ++ch) {
        const double mu = mean_in[ch];
        double a = 0, b = 0;
        for_each_row(l, ch, [&](std::int64_t at) {
          a += row_sum(l.s, [&](std::int64_t j) { return g[at + j]; });
          b += row_sum(l.s, [&](std::int64_t j) { return g[at + j] * (in[at + j] - mu); });
        });
        sum_g[static_cast<std::size_t>(ch)] = a;
        sum_g_xc[static_cast<std::size_t>(ch)] = b;
      }
    } else {
      parallel_ranges(l.c, l.numel() >= kParallelGrain, [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t i = 0; i < l.n; ++i)
          for (std::int64_t ch = first; ch < last; ++ch) {
            const double mu = mean_in[ch];
            for (std::int64_t j = 0; j < l.s; ++j) {
              const std::int64_t at = (i * l.c + ch) * l.s + j;
              sum_g[static_cast<std::size_t>(ch)] += g[at];
              sum_g_xc[static_cast<std::size_t>(ch)] += g[at] * (in[at] - mu);
            }
          }
      });
    }
#pragma omp parallel for schedule(static) if (l.numel() >= kParallelGrain)
    for (std::int64_t ch = 0; ch < l.c; ++ch) {
      const double mu = mean_in[ch];
      const double istd = invstd_in[ch];
      const double w = optional_at<T>(weight, ch, T(1));
      const double sg = sum_g[static_cast<std::size_t>(ch)];
      const double sg_xhat = sum_g_xc[static_cast<std::size_t>(ch)] * istd;
      if (grad_weight.defined()) grad_weight.data<T>()[ch] = static_cast<T>(sg_xhat);
      if (grad_bias.defined()) grad_bias.data<T>()[ch] = static_cast<T>(sg);
      if (!gx) continue;
      const double scale = w * istd;
      // Training: the batch mean and variance depend on x, which removes the
      // gradient's mean and its projection on xhat.
      const double mean_g = training ? sg / count : 0.0;
      const double mean_g_xhat = training ? sg_xhat / count : 0.0;
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
