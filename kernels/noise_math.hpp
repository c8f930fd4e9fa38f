#pragma once
// Additive Gaussian noise, shared by the CPU loops and the CUDA launchers:
// element i adds stddev times the standard normal drawn at its fixed
// positions of the reserved Philox range (two draws per element).
#include <cmath>  // before random_math.hpp, whose Box-Muller calls log, sqrt, cos
#include <cstdint>

#include "common.hpp"
#include "random_math.hpp"

namespace nn::kernels {

template <class T>
NN_HD T gaussian_noise_apply(T x, T stddev, std::uint64_t seed, std::uint64_t offset, std::uint64_t i) {
  return x + stddev * standard_normal_at<T>(seed, offset, i);
}

}  // namespace nn::kernels
