#pragma once
// Per-element loss terms and their derivatives with respect to the
// prediction p (the target y is a constant), shared by the CPU loops and the
// CUDA launchers.
#include <cmath>
#include <type_traits>

#include "activation_math.hpp"
#include "common.hpp"

namespace nn::kernels {

enum class LossKind { bce, bce_with_logits, mae, mse };

// Calls fn(std::integral_constant<LossKind, kind>{}) for the runtime kind, so
// the CPU loops and the CUDA launchers compile one body per loss.
template <class Fn>
void visit_loss(LossKind kind, Fn&& fn) {
  switch (kind) {
    case LossKind::bce: return fn(std::integral_constant<LossKind, LossKind::bce>{});
    case LossKind::bce_with_logits: return fn(std::integral_constant<LossKind, LossKind::bce_with_logits>{});
    case LossKind::mae: return fn(std::integral_constant<LossKind, LossKind::mae>{});
    case LossKind::mse: return fn(std::integral_constant<LossKind, LossKind::mse>{});
  }
}

template <class T>
NN_HD T clamp_to(T v, T lo, T hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// Binary cross-entropy on a probability clipped to [eps, 1 - eps] like Keras.
// The complement is clipped on its own, so that 1 - p keeps its precision in
// f32 where 1 - eps rounds.
template <class T>
NN_HD T bce_term(T p, T y, T eps) {
  using std::log;
  const T pc = clamp_to(p, eps, T(1) - eps);
  const T qc = clamp_to(T(1) - p, eps, T(1) - eps);
  return -(y * log(pc) + (T(1) - y) * log(qc));
}

// Zero where the clip is active, as the gradient of a clip is.
template <class T>
NN_HD T bce_term_grad(T p, T y, T eps) {
  const T q = T(1) - p;
  if (p < eps || q < eps) return T(0);
  return (T(1) - y) / q - y / p;
}

// max(x, 0) - x y + log(1 + exp(-|x|)): the BCE of sigmoid(x), finite for any x.
template <class T>
NN_HD T bce_logits_term(T x, T y) {
  using std::exp;
  using std::fabs;
  using std::log1p;
  return (x > T(0) ? x : T(0)) - x * y + log1p(exp(-fabs(x)));
}

template <class T>
NN_HD T bce_logits_term_grad(T x, T y) {
  return sigmoid_value(x) - y;
}

// |p - y|; its derivative is taken as 0 where p == y.
template <class T>
NN_HD T mae_term(T p, T y) {
  using std::fabs;
  return fabs(p - y);
}

template <class T>
NN_HD T mae_term_grad(T p, T y) {
  return p > y ? T(1) : (p < y ? T(-1) : T(0));
}

template <class T>
NN_HD T mse_term(T p, T y) {
  const T d = p - y;
  return d * d;
}

template <class T>
NN_HD T mse_term_grad(T p, T y) {
  return T(2) * (p - y);
}

// eps is BCE's clipping bound; the other kinds ignore it.
template <LossKind kind, class T>
NN_HD T loss_term(T p, T y, T eps) {
  if constexpr (kind == LossKind::bce) return bce_term(p, y, eps);
  if constexpr (kind == LossKind::bce_with_logits) return bce_logits_term(p, y);
  if constexpr (kind == LossKind::mae) return mae_term(p, y);
  if constexpr (kind == LossKind::mse) return mse_term(p, y);
}

template <LossKind kind, class T>
NN_HD T loss_term_grad(T p, T y, T eps) {
  if constexpr (kind == LossKind::bce) return bce_term_grad(p, y, eps);
  if constexpr (kind == LossKind::bce_with_logits) return bce_logits_term_grad(p, y);
  if constexpr (kind == LossKind::mae) return mae_term_grad(p, y);
  if constexpr (kind == LossKind::mse) return mse_term_grad(p, y);
}

}  // namespace nn::kernels
