#pragma once
// Binary elementwise math shared by the CPU loops and CUDA launchers.
#include "common.hpp"

namespace nn::kernels {

enum class BinaryOp { add, sub, mul, div };

template <BinaryOp op, class T>
NN_HD T binary_apply(T a, T b) {
  if constexpr (op == BinaryOp::add) return a + b;
  if constexpr (op == BinaryOp::sub) return a - b;
  if constexpr (op == BinaryOp::mul) return a * b;
  if constexpr (op == BinaryOp::div) return a / b;
}

// y = x * scale + shift
template <class T>
NN_HD T affine_apply(T x, T scale, T shift) {
  return x * scale + shift;
}

}  // namespace nn::kernels
