#pragma once
// Host memory for tensor storage and the ops' scratch buffers, aligned to
// 64 bytes (a cache line, and any vector load). Freed memory is cached for
// reuse (memory/block_pool.hpp's pool over aligned host segments): a
// training step allocates the same buffers every time, and fresh large
// allocations are mapped pages that fault in on first touch. Under
// AddressSanitizer every request goes to the C allocator instead, so that
// the sanitizer sees each block's lifetime.
#include <cstddef>
#include <cstdint>
#include <utility>

namespace nn::cpu {

// nn::Error when the host is out of memory; `bytes` may be 0.
void* allocate(std::size_t bytes);
void deallocate(void* ptr) noexcept;
// Sets every byte of [ptr, ptr + bytes) to 0xff (a NaN in f32 and f64).
void poison(void* ptr, std::size_t bytes);
// Whether freed memory is kept for reuse (false under AddressSanitizer).
bool caches_freed_memory();

// n uninitialised values of T from allocate(), given back when it goes: the
// ops' scratch buffers, which every training step asks for again.
template <class T>
class ScratchArray {
 public:
  explicit ScratchArray(std::int64_t n)
      : data_(static_cast<T*>(allocate(sizeof(T) * static_cast<std::size_t>(n > 0 ? n : 0)))) {}
  ~ScratchArray() {
    if (data_) deallocate(data_);
  }
  ScratchArray(ScratchArray&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}
  ScratchArray(const ScratchArray&) = delete;
  ScratchArray& operator=(const ScratchArray&) = delete;
  ScratchArray& operator=(ScratchArray&&) = delete;

  T* get() const { return data_; }
  T& operator[](std::int64_t i) const { return data_[i]; }

 private:
  T* data_;
};

}  // namespace nn::cpu
