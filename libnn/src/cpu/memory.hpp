#pragma once
// Host memory for tensor storage and the ops' scratch buffers, aligned to
// 64 bytes (a cache line, and any vector load).
#include <cstddef>

namespace nn::cpu {

// nn::Error when the host is out of memory; `bytes` may be 0.
void* allocate(std::size_t bytes);
void deallocate(void* ptr) noexcept;
// Sets every byte of [ptr, ptr + bytes) to 0xff (a NaN in f32 and f64).
void poison(void* ptr, std::size_t bytes);

}  // namespace nn::cpu
