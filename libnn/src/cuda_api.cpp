// nn/cuda.hpp: the user-facing CUDA functions, valid in every build.
#include "nn/cuda.hpp"

#include <atomic>
#include <string>

#include "cuda/backend.hpp"
#include "nn/error.hpp"

namespace nn {
namespace {
std::atomic<bool> g_tf32{false};
std::atomic<bool> g_deterministic{true};
}  // namespace

void set_tf32(bool enabled) { g_tf32 = enabled; }
bool tf32_enabled() { return g_tf32; }

void set_deterministic(bool enabled) { g_deterministic = enabled; }
bool deterministic() { return g_deterministic; }

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

Event::Event(int device) : device_(device), handle_(nullptr) {
  if (device < 0 || device >= device_count())
    throw Error("cuda::Event: no device cuda:" + std::to_string(device) + " (" + std::to_string(device_count()) +
                " visible)");
  if constexpr (cuda_backend::compiled) handle_ = cuda_backend::event_create(device);
}

Event::~Event() {
  if constexpr (cuda_backend::compiled) cuda_backend::event_destroy(handle_);
}

void Event::record() {
  if constexpr (cuda_backend::compiled) cuda_backend::event_record(handle_, device_);
}

double Event::elapsed_ms_since(const Event& start) const {
  if (start.device_ != device_)
    throw Error("cuda::Event: elapsed time between devices cuda:" + std::to_string(start.device_) + " and cuda:" +
                std::to_string(device_));
  if constexpr (cuda_backend::compiled)
    return cuda_backend::event_elapsed_ms(start.handle_, handle_, device_);
  else
    return 0.0;
}

}  // namespace cuda
}  // namespace nn
