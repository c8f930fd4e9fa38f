#pragma once
// Raw memory on a device: what tensor storage and the ops' scratch buffers are
// made of. Tensors allocate through these without knowing the backends; the
// ops seam defines them (ops/device_memory.cpp), handing host memory to cpu/
// and CUDA memory to the caching allocator of cuda/.
#include <cstddef>

#include "nn/device.hpp"

namespace nn::memory {

// `bytes` (may be 0) on `device`: host memory aligned to 64 bytes, CUDA memory
// from the device's caching allocator. nn::Error (nn::CudaError on a CUDA
// device) when the device is out of memory.
void* allocate(std::size_t bytes, Device device);
// Gives back memory that allocate() returned for the same device.
void deallocate(void* ptr, Device device) noexcept;
// Sets every byte of [ptr, ptr + bytes) to 0xff (a NaN in f32 and f64).
void poison(void* ptr, std::size_t bytes, Device device);

}  // namespace nn::memory
