#include "cpu/loss.hpp"

#include <optional>
#include <type_traits>

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

template <LossKind kind, class T>
void forward_typed(const Tensor& pred, const Tensor& target, const Tensor& weights, Reduction reduction,
                   const Tensor& out) {
  const T* p = pred.data<T>();
  const T* y = target.data<T>();
  const WeightAt<T> weight(weights, pred.shape());
  const T eps = static_cast<T>(kBceEpsilon);
  const std::int64_t n = pred.numel();
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
  if (reduction == Reduction::none) {
    parallel_for(n, [&](std::int64_t i) {
      gp[i] = g[i] * weight(i) * kernels::loss_term_grad<kind>(p[i], y[i], eps);
    });
    return;
  }
  const T scale = reduction == Reduction::mean ? static_cast<T>(1.0 / static_cast<double>(n)) : T(1);
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
