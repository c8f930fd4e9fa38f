#pragma once
// Per-element random draws from a reserved Philox range (nn::reserve_random):
// element i of a tensor reads the stream at fixed positions, so the result
// does not depend on how the work is split across threads or devices.
#include <cmath>
#include <cstdint>

#include "philox.hpp"

namespace nn::kernels {

// U(0,1) for element i; one draw per element.
template <class T>
NN_HD T uniform_at(std::uint64_t seed, std::uint64_t offset, std::uint64_t i) {
  return uniform_open01<T>(philox_draw(seed, offset + i));
}

// N(0,1) for element i by Box-Muller; two draws per element.
template <class T>
NN_HD T standard_normal_at(std::uint64_t seed, std::uint64_t offset, std::uint64_t i) {
  const T u1 = uniform_open01<T>(philox_draw(seed, offset + 2 * i));
  const T u2 = uniform_open01<T>(philox_draw(seed, offset + 2 * i + 1));
  const T two_pi = static_cast<T>(6.283185307179586);
  return sqrt(static_cast<T>(-2) * log(u1)) * cos(two_pi * u2);
}

// The values of nn::uniform and nn::normal for element i.
template <class T>
NN_HD T uniform_between_at(T low, T span, std::uint64_t seed, std::uint64_t offset, std::uint64_t i) {
  return low + span * uniform_at<T>(seed, offset, i);
}

template <class T>
NN_HD T normal_at(T mean, T stddev, std::uint64_t seed, std::uint64_t offset, std::uint64_t i) {
  return mean + stddev * standard_normal_at<T>(seed, offset, i);
}

}  // namespace nn::kernels
