#pragma once
// SGD's per-element update (PyTorch's formulation, no dampening), shared by the
// CPU loop and the CUDA fused kernel:
//   buf = momentum * buf + g;  p -= lr * (nesterov ? g + momentum * buf : buf)
// and without momentum simply p -= lr * g.
#include "common.hpp"

namespace nn::kernels {

template <class T>
struct SgdCoefficients {
  T lr;
  T momentum;
  bool nesterov;
};

template <class T>
NN_HD SgdCoefficients<T> coefficients_as(const SgdCoefficients<double>& c) {
  return {static_cast<T>(c.lr), static_cast<T>(c.momentum), c.nesterov};
}

template <class T>
NN_HD void sgd_apply(T& param, T grad, const SgdCoefficients<T>& c) {
  param -= c.lr * grad;
}

template <class T>
NN_HD void sgd_momentum_apply(T& param, T& momentum_buffer, T grad, const SgdCoefficients<T>& c) {
  momentum_buffer = c.momentum * momentum_buffer + grad;
  param -= c.lr * (c.nesterov ? grad + c.momentum * momentum_buffer : momentum_buffer);
}

}  // namespace nn::kernels
