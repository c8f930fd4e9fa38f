#pragma once
// Label smoothing of 0/1 targets by an amount s, shared by the CPU loops and
// the CUDA launchers. One-sided: y (1 - s), so fakes stay 0. Two-sided:
// y (1 - s) + s/2, pulling both labels towards 1/2.
#include "common.hpp"

namespace nn::kernels {

template <class T>
NN_HD T smooth_label(T y, T amount, bool two_sided) {
  return y * (T(1) - amount) + (two_sided ? amount / T(2) : T(0));
}

}  // namespace nn::kernels
