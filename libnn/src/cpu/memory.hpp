#pragma once
// Host memory for tensor storage and the ops' scratch buffers, aligned to
// 64 bytes (a cache line, and any vector load). Freed memory is cached for
// reuse (memory/block_pool.hpp's pool over aligned host segments): a
// training step allocates the same buffers every time, and fresh large
// allocations are mapped pages that fault in on first touch. Under
// AddressSanitizer every request goes to the C allocator instead, so that
// the sanitizer sees each block's lifetime.
#include <cstddef>

namespace nn::cpu {

// nn::Error when the host is out of memory; `bytes` may be 0.
void* allocate(std::size_t bytes);
void deallocate(void* ptr) noexcept;
// Sets every byte of [ptr, ptr + bytes) to 0xff (a NaN in f32 and f64).
void poison(void* ptr, std::size_t bytes);
// Whether freed memory is kept for reuse (false under AddressSanitizer).
bool caches_freed_memory();

}  // namespace nn::cpu
