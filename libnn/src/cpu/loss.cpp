#include "cpu/loss.hpp"

#include <optional>
#include <type_traits>

#include "cpu/bce_logits_f32.hpp"
#include "cpu/broadcast.hpp"
#include "cpu/ordered_sum.hpp"
#include "cpu/parallel.hpp"
#include "label_smoothing_math.hpp"

namespace nn::cpu {
namespace {
using kernels::LossKind;

// The weight of element i of a tensor shaped `shape`: 1 without weights,
// otherwise the weights broadcast to `shape`.
template <class T>
class WeightAt {
 public:
  WeightAt(const Tensor& weights, const Shape& shape) {
    if (!weights.defined()) return;
    if (weights.numel() == 1) {
      constant_ = weights.data<T>()[0];
      return;
    }
    data_ = weights.data<T>();
    if (weights.shape() != shape) index_.emplace(weights.shape(), shape);
  }

  T operator()(std::int64_t i) const {
    if (!data_) return constant_;
    return index_ ? data_[(*index_)(i)] : data_[i];
  }

 private:
  T constant_ = T(1);
  const T* data_ = nullptr;
  std::optional<BroadcastIndex> index_;
};

// BCE with logits on f32: the terms and gradients come from the vectorised
// loops, the weights, products and sums are those of the general loops below.
void bce_logits_forward_f32(const float* x, const float* y, const WeightAt<float>& weight, std::int64_t n,
                            Reduction reduction, const Tensor& out) {
  if (reduction == Reduction::none) {
    float* o = out.data<float>();
    parallel_ranges(n, n >= kParallelGrain, [&](std::int64_t begin, std::int64_t end) {
      bce_logits_terms_f32(x + begin, y + begin, end - begin, o + begin);
      for (std::int64_t i = begin; i < end; ++i) o[i] = weight(i) * o[i];
    });
    return;
  }
  double total = ordered_chunk_sums(n, [&](std::int64_t begin, std::int64_t end) {
    float terms[kSumChunk];
    bce_logits_terms_f32(x + begin, y + begin, end - begin, terms);
    double acc = 0;
    for (std::int64_t i = begin; i < end; ++i) acc += static_cast<double>(weight(i) * terms[i - begin]);
    return acc;
  });
  if (reduction == Reduction::mean) total /= static_cast<double>(n);
  out.data<float>()[0] = static_cast<float>(total);
}

// grad_pred = g * weight * (sigmoid(x) - y), with g per element
// (`g_per_element`) or the scalar g[0] * scale.
void bce_logits_backward_f32(const float* x, const float* y, const WeightAt<float>& weight, std::int64_t n,
                             const float* g, bool g_per_element, float scale, float* gp) {
  parallel_ranges(n, n >= kParallelGrain, [&](std::int64_t begin, std::int64_t end) {
    bce_logits_gradients_f32(x + begin, y + begin, end - begin, gp + begin);
    const float g0 = g[0] * scale;
    for (std::int64_t i = begin; i < end; ++i) gp[i] = (g_per_element ? g[i] : g0) * weight(i) * gp[i];
  });
}

template <LossKind kind, class T>
void forward_typed(const Tensor& pred, const Tensor& target, const Tensor& weights, Reduction reduction,
                   const Tensor& out) {
  const T* p = pred.data<T>();
  const T* y = target.data<T>();
  const WeightAt<T> weight(weights, pred.shape());
  const T eps = static_cast<T>(kBceEpsilon);
  const std::int64_t n = pred.numel();
  if constexpr (kind == LossKind::bce_with_logits && std::is_same_v<T, float>)
    return bce_logits_forward_f32(p, y, weight, n, reduction, out);
  const auto term = [&](std::int64_t i) { return weight(i) * kernels::loss_term<kind>(p[i], y[i], eps); };
  if (reduction == Reduction::none) {
    T* o = out.data<T>();
    parallel_for(n, [&](std::int64_t i) { o[i] = term(i); });
    return;
  }
  double total = ordered_sum(n, term);
  if (reduction == Reduction::mean) total /= static_cast<double>(n);
  out.data<T>()[0] = static_cast<T>(total);
}

template <LossKind kind, class T>
void backward_typed(const Tensor& pred, const Tensor& target, const Tensor& weights, Reduction reduction,
                    const Tensor& grad_out, const Tensor& grad_pred) {
  const T* p = pred.data<T>();
  const T* y = target.data<T>();
  const T* g = grad_out.data<T>();
  T* gp = grad_pred.data<T>();
  const WeightAt<T> weight(weights, pred.shape());
  const T eps = static_cast<T>(kBceEpsilon);
  const std::int64_t n = pred.numel();
  const T scale = reduction == Reduction::mean ? static_cast<T>(1.0 / static_cast<double>(n)) : T(1);
  if constexpr (kind == LossKind::bce_with_logits && std::is_same_v<T, float>)
    return bce_logits_backward_f32(p, y, weight, n, g, reduction == Reduction::none, scale, gp);
  if (reduction == Reduction::none) {
    parallel_for(n, [&](std::int64_t i) {
      gp[i] = g[i] * weight(i) * kernels::loss_term_grad<kind>(p[i], y[i], eps);
    });
    return;
  }
  const T g0 = g[0] * scale;
  parallel_for(n, [&](std::int64_t i) {
    gp[i] = g0 * weight(i) * kernels::loss_term_grad<kind>(p[i], y[i], eps);
  });
}

}  // namespace

void loss_forward(LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                  Reduction reduction, const Tensor& out) {
  visit_dtype(pred.dtype(), [&](auto tag) {
    using T = decltype(tag);
    visit_loss(kind, [&](auto k) {
      forward_typed<decltype(k)::value, T>(pred, target, weights, reduction, out);
    });
  });
}

void loss_backward(LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                   Reduction reduction, const Tensor& grad_out, const Tensor& grad_pred) {
  visit_dtype(pred.dtype(), [&](auto tag) {
    using T = decltype(tag);
    visit_loss(kind, [&](auto k) {
      backward_typed<decltype(k)::value, T>(pred, target, weights, reduction, grad_out, grad_pred);
    });
  });
}

void smooth_labels(const Tensor& target, double amount, bool two_sided, const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* y = target.data<T>();
    T* o = out.data<T>();
    const T s = static_cast<T>(amount);
    parallel_for(out.numel(), [&](std::int64_t i) { o[i] = kernels::smooth_label(y[i], s, two_sided); });
  });
}

}  // namespace nn::cpu
