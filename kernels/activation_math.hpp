#pragma once
// Activation functions and their derivatives, shared by the CPU loops and the
// CUDA launchers. The backward of sigmoid and tanh reads the forward output,
// the others read the input.
#include <cmath>
#include <type_traits>

#include "common.hpp"

namespace nn::kernels {

enum class Activation { relu, leaky_relu, sigmoid, tanh };

// Calls fn(std::integral_constant<Activation, kind>{}) for the runtime kind,
// so the CPU loops and the CUDA launchers compile one body per activation.
template <class Fn>
void visit_activation(Activation kind, Fn&& fn) {
  switch (kind) {
    case Activation::relu: return fn(std::integral_constant<Activation, Activation::relu>{});
    case Activation::leaky_relu: return fn(std::integral_constant<Activation, Activation::leaky_relu>{});
    case Activation::sigmoid: return fn(std::integral_constant<Activation, Activation::sigmoid>{});
    case Activation::tanh: return fn(std::integral_constant<Activation, Activation::tanh>{});
  }
}

template <class T>
NN_HD T sigmoid_value(T x) {
  using std::exp;
  return T(1) / (T(1) + exp(-x));
}

template <class T>
NN_HD T tanh_value(T x) {
  using std::tanh;
  return tanh(x);
}

// alpha is the negative slope of leaky_relu (ignored by the others).
template <Activation kind, class T>
NN_HD T activation_forward(T x, T alpha) {
  if constexpr (kind == Activation::relu) return x > T(0) ? x : T(0);
  if constexpr (kind == Activation::leaky_relu) return x > T(0) ? x : alpha * x;
  if constexpr (kind == Activation::sigmoid) return sigmoid_value(x);
  if constexpr (kind == Activation::tanh) return tanh_value(x);
}

// The input gradient from the output gradient g. `saved` is the input x for
// relu and leaky_relu and the output y for sigmoid and tanh. At x == 0 the
// slope is taken from the negative side (0 for relu, alpha for leaky_relu).
template <Activation kind, class T>
NN_HD T activation_backward(T saved, T g, T alpha) {
  if constexpr (kind == Activation::relu) return saved > T(0) ? g : T(0);
  if constexpr (kind == Activation::leaky_relu) return saved > T(0) ? g : alpha * g;
  if constexpr (kind == Activation::sigmoid) return g * saved * (T(1) - saved);
  if constexpr (kind == Activation::tanh) return g * (T(1) - saved * saved);
}

}  // namespace nn::kernels
