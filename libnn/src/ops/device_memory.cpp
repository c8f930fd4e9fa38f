// Dispatch seam for raw device memory (memory/device_memory.hpp).
#include "memory/device_memory.hpp"

#include "cpu/memory.hpp"
#include "ops/dispatch.hpp"

namespace nn::memory {

void* allocate(std::size_t bytes, Device device) {
  return detail::on_backend(
      "allocate", device, [&] { return cpu::allocate(bytes); },
      [&](auto...) { return cuda_backend::allocate(bytes, device.index); });
}

void deallocate(void* ptr, Device device) noexcept {
  // Only memory from allocate() comes here, so its device's backend exists.
  detail::on_backend(
      "deallocate", device, [&] { cpu::deallocate(ptr); },
      [&](auto...) { cuda_backend::deallocate(ptr, device.index); });
}

void poison(void* ptr, std::size_t bytes, Device device) {
  detail::on_backend(
      "poison", device, [&] { cpu::poison(ptr, bytes); },
      [&](auto...) { cuda_backend::poison(ptr, bytes, device.index); });
}

}  // namespace nn::memory
