#pragma once
// The one branch between the backends. Every op of the seam runs its work on
// the tensors' device through
//
//   detail::on_backend("op", out.device(),
//                      [&] { cpu::op(...); },
//                      [&](auto...) { cuda_backend::op(...); });
//
// A build without CUDA declares the cuda_backend:: functions but defines none
// of them. The CUDA callable is called only inside the
// `if constexpr (cuda_backend::compiled)` branch below, which such a build
// discards; written as a generic lambda, its body is a template that is then
// never instantiated, so nothing refers to the missing definitions.
#include <utility>

#include "cuda/backend.hpp"
#include "nn/device.hpp"
#include "ops/checks.hpp"

namespace nn::detail {

// on_cpu() for a CPU device, on_cuda() for a CUDA device, returning what it
// returns; nn::Error naming `op` for a CUDA device in a build without CUDA.
template <class OnCpu, class OnCuda>
decltype(auto) on_backend(const char* op, Device device, OnCpu&& on_cpu, OnCuda&& on_cuda) {
  if (device.is_cpu()) return std::forward<OnCpu>(on_cpu)();
  if constexpr (cuda_backend::compiled)
    return std::forward<OnCuda>(on_cuda)();
  else
    no_cuda_backend(op, device);
}

}  // namespace nn::detail
