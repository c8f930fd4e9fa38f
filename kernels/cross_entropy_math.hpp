#pragma once
// Softmax cross-entropy of one row of logits, shared by the CPU loops and the
// CUDA launchers. A row is walked in index order with double accumulators, so
// both backends add the same terms in the same order. The log-sum-exp is
// shifted by the row's maximum: no exp() sees a positive argument, so huge
// logits cannot overflow.
#include <cmath>
#include <cstdint>

#include "common.hpp"

namespace nn::kernels {

// The smoothed target distribution of one row, q_j = keep * t_j + spread with
// keep = 1 - s and spread = s / C for label smoothing s: t is the one-hot row
// of `class_id` when `probs` is null, otherwise the row of C probabilities.
template <class T>
struct SmoothedTarget {
  const T* probs;
  std::int64_t class_id;
  double keep, spread;

  NN_HD double operator[](std::int64_t j) const {
    const double t = probs ? static_cast<double>(probs[j]) : (j == class_id ? 1.0 : 0.0);
    return keep * t + spread;
  }
};

// log(sum_j exp(x_j)) over `classes` >= 1 logits.
template <class T>
NN_HD double log_sum_exp(const T* x, std::int64_t classes) {
  using std::exp;
  using std::log;
  double top = static_cast<double>(x[0]);
  for (std::int64_t j = 1; j < classes; ++j) top = static_cast<double>(x[j]) > top ? static_cast<double>(x[j]) : top;
  double total = 0;
  for (std::int64_t j = 0; j < classes; ++j) total += exp(static_cast<double>(x[j]) - top);
  return top + log(total);
}

// -sum_j q_j log softmax(x)_j = sum_j q_j (lse - x_j).
template <class T>
NN_HD double cross_entropy_row(const T* x, std::int64_t classes, const SmoothedTarget<T>& q) {
  const double lse = log_sum_exp(x, classes);
  double loss = 0;
  for (std::int64_t j = 0; j < classes; ++j) loss += q[j] * (lse - static_cast<double>(x[j]));
  return loss;
}

// grad_j = g (softmax(x)_j sum_k q_k - q_j): the derivative of
// g * cross_entropy_row with respect to x_j.
template <class T>
NN_HD void cross_entropy_row_grad(const T* x, std::int64_t classes, const SmoothedTarget<T>& q, double g, T* grad) {
  using std::exp;
  const double lse = log_sum_exp(x, classes);
  double mass = 0;
  for (std::int64_t j = 0; j < classes; ++j) mass += q[j];
  for (std::int64_t j = 0; j < classes; ++j)
    grad[j] = static_cast<T>(g * (exp(static_cast<double>(x[j]) - lse) * mass - q[j]));
}

// The index of the largest of `classes` values, the first one on ties.
template <class T>
NN_HD std::int64_t argmax_row(const T* x, std::int64_t classes) {
  std::int64_t best = 0;
  for (std::int64_t j = 1; j < classes; ++j)
    if (x[j] > x[best]) best = j;
  return best;
}

}  // namespace nn::kernels
