#pragma once
// Tensor options named by a test's C++ scalar type.
#include <nn/tensor.hpp>

namespace nn::testing {

// CPU options of T's dtype: float gives f32, double f64.
template <class T>
TensorOptions options_for() {
  return TensorOptions().dtype(dtype_of<T>());
}

}  // namespace nn::testing
