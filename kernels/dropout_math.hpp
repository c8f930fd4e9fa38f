#pragma once
// Inverted dropout, shared by the CPU loops and the CUDA launchers. Element i
// is kept when its uniform draw from the reserved Philox range reaches the
// rate, so the mask is a pure function of (seed, offset, i) and backward can
// recompute it instead of storing it.
#include <cmath>  // before random_math.hpp, whose Box-Muller calls log, sqrt, cos
#include <cstdint>

#include "common.hpp"
#include "random_math.hpp"

namespace nn::kernels {

template <class T>
NN_HD bool dropout_keep(std::uint64_t seed, std::uint64_t offset, std::uint64_t i, T rate) {
  return uniform_at<T>(seed, offset, i) >= rate;
}

// Kept values are scaled by 1 / (1 - rate) so the expectation is unchanged.
// The same map sends the output gradient to the input gradient.
template <class T>
NN_HD T dropout_apply(T x, bool keep, T scale) {
  return keep ? x * scale : T(0);
}

}  // namespace nn::kernels
