#pragma once
// CUDA-versus-CPU comparisons shared by the parity tests of tests/cuda/.
#include <nn/nn.hpp>

namespace nn::testing {

inline const Device kCuda = Device::cuda(0);

// |cuda - cpu| <= atol + rtol * |cpu| elementwise (a NaN never passes); zero
// tolerances demand bitwise-equal values.
void check_parity(const Tensor& on_cuda, const Tensor& on_cpu, double atol, double rtol);

// Tolerances for results of the same math whose rounding may differ on the
// device (FMA contraction, the device's exp, log, tanh).
struct Tolerance {
  double atol, rtol;
};
template <class T>
inline constexpr Tolerance kRounding = sizeof(T) == 4 ? Tolerance{1e-6, 1e-5} : Tolerance{1e-14, 1e-12};

template <class T>
void check_close(const Tensor& on_cuda, const Tensor& on_cpu) {
  check_parity(on_cuda, on_cpu, kRounding<T>.atol, kRounding<T>.rtol);
}

// check_parity with the compared tensor's name in failures.
void check_named(const char* what, const Tensor& on_cuda, const Tensor& on_cpu, double atol, double rtol);

// A CPU leaf's values on the GPU, as a new leaf requiring grad.
Tensor cuda_leaf(const Tensor& on_cpu);

// A copy of a CPU tensor as a new CPU leaf requiring grad, cuda_leaf's twin.
Tensor cpu_leaf(const Tensor& on_cpu);

}  // namespace nn::testing
