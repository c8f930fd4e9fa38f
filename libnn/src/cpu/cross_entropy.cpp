#include "cpu/cross_entropy.hpp"

#include <cstdint>
#include <vector>

#include "cpu/ordered_sum.hpp"
#include "cross_entropy_math.hpp"

namespace nn::cpu {
namespace {

// Row loops go parallel only when there is enough work in them.
constexpr std::int64_t kParallelElements = 16384;

// The smoothed target of row i: class ids for a 1-d target, probabilities otherwise.
template <class T>
kernels::SmoothedTarget<T> row_target(const Tensor& target, std::int64_t classes, double smoothing, std::int64_t i) {
  const double keep = 1.0 - smoothing, spread = smoothing / static_cast<double>(classes);
  if (target.dim() == 1) return {nullptr, static_cast<std::int64_t>(target.data<T>()[i]), keep, spread};
  return {target.data<T>() + i * classes, 0, keep, spread};
}

template <class T>
void forward_typed(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                   const Tensor& out) {
  const std::int64_t rows = logits.size(0), classes = logits.size(1);
  const T* x = logits.data<T>();
  std::vector<double> losses(static_cast<std::size_t>(rows));
#pragma omp parallel for schedule(static) if (rows * classes > kParallelElements)
  for (std::int64_t i = 0; i < rows; ++i)
    losses[static_cast<std::size_t>(i)] =
        kernels::cross_entropy_row(x + i * classes, classes, row_target<T>(target, classes, smoothing, i));
  if (reduction == Reduction::none) {
    T* o = out.data<T>();
    for (std::int64_t i = 0; i < rows; ++i) o[i] = static_cast<T>(losses[static_cast<std::size_t>(i)]);
    return;
  }
  // The CPU's one summation order, which the CUDA reduction follows too.
  double total = ordered_sum(rows, [&](std::int64_t i) { return losses[static_cast<std::size_t>(i)]; });
  if (reduction == Reduction::mean) total /= static_cast<double>(rows);
  out.data<T>()[0] = static_cast<T>(total);
}

template <class T>
void backward_typed(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                    const Tensor& grad_out, const Tensor& grad_logits) {
  const std::int64_t rows = logits.size(0), classes = logits.size(1);
  const T* x = logits.data<T>();
  const T* g = grad_out.data<T>();
  T* gx = grad_logits.data<T>();
  const double scale = reduction == Reduction::mean ? 1.0 / static_cast<double>(rows) : 1.0;
  const std::int64_t g_stride = reduction == Reduction::none ? 1 : 0;
#pragma omp parallel for schedule(static) if (rows * classes > kParallelElements)
  for (std::int64_t i = 0; i < rows; ++i)
    kernels::cross_entropy_row_grad(x + i * classes, classes, row_target<T>(target, classes, smoothing, i),
                                    static_cast<double>(g[i * g_stride]) * scale, gx + i * classes);
}

}  // namespace

void cross_entropy_forward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                           const Tensor& out) {
  visit_dtype(logits.dtype(), [&](auto tag) {
    forward_typed<decltype(tag)>(logits, target, smoothing, reduction, out);
  });
}

void cross_entropy_backward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                            const Tensor& grad_out, const Tensor& grad_logits) {
  visit_dtype(logits.dtype(), [&](auto tag) {
    backward_typed<decltype(tag)>(logits, target, smoothing, reduction, grad_out, grad_logits);
  });
}

void argmax_rows(const Tensor& x, const Tensor& out) {
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const std::int64_t rows = x.size(0), classes = x.size(1);
    const T* v = x.data<T>();
    T* o = out.data<T>();
    for (std::int64_t i = 0; i < rows; ++i) o[i] = static_cast<T>(kernels::argmax_row(v + i * classes, classes));
  });
}

}  // namespace nn::cpu
