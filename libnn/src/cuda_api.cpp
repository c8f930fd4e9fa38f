// nn/cuda.hpp: the user-facing CUDA functions, valid in every build.
#include "nn/cuda.hpp"

#include <atomic>
#include <string>

#include "cuda/backend.hpp"
#include "nn/error.hpp"

namespace nn {
namespace {
std::atomic<bool> g_tf32{false};
}  // namespace

void set_tf32(bool enabled) { g_tf32 = enabled; }
bool tf32_enabled() { return g_tf32; }

namespace cuda {

int device_count() {
  if constexpr (cuda_backend::compiled)
    return cuda_backend::device_count();
  else
    return 0;
}

MemoryStats memory_stats(int device) {
  if (device < 0 || device >= device_count())
    throw Error("cuda::memory_stats: no device cuda:" + std::to_string(device) + " (" +
                std::to_string(device_count()) + " visible)");
  if constexpr (cuda_backend::compiled)
    return cuda_backend::memory_stats(device);
  else
    return {};
}

void empty_cache() {
  if constexpr (cuda_backend::compiled) cuda_backend::empty_cache();
}

void synchronize() {
  if constexpr (cuda_backend::compiled) cuda_backend::synchronize();
}

}  // namespace cuda
}  // namespace nn
