#include "cpu/memory.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "memory/block_pool.hpp"
#include "nn/error.hpp"

namespace nn::cpu {
namespace {

constexpr std::size_t kAlignment = 64;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCaching = false;
#else
constexpr bool kCaching = true;
#endif

void* aligned_block(std::size_t bytes) {
  // aligned_alloc wants a multiple of the alignment, and never 0.
  const std::size_t rounded = (std::max<std::size_t>(bytes, 1) + kAlignment - 1) / kAlignment * kAlignment;
  return std::aligned_alloc(kAlignment, rounded);
}

// The pool's segments; its blocks lie at multiples of 512 bytes in them, so
// they keep the segments' alignment.
class HostSegments final : public memory::SegmentSource {
 public:
  void* allocate(std::size_t bytes) override { return aligned_block(bytes); }
  void release(void* segment) noexcept override { std::free(segment); }
};

// Never destroyed: tensors that outlive static destruction still free into it.
memory::BlockPool& pool() {
  static memory::BlockPool* const instance = new memory::BlockPool(*new HostSegments);
  return *instance;
}

}  // namespace

void* allocate(std::size_t bytes) {
  void* data = kCaching ? pool().allocate(std::max<std::size_t>(bytes, 1), nullptr) : aligned_block(bytes);
  if (!data) throw Error("allocate: out of host memory allocating " + std::to_string(bytes) + " bytes");
  return data;
}

void deallocate(void* ptr) noexcept {
  if (kCaching)
    pool().free(ptr);
  else
    std::free(ptr);
}

void poison(void* ptr, std::size_t bytes) { std::memset(ptr, 0xff, bytes); }

bool caches_freed_memory() { return kCaching; }

}  // namespace nn::cpu
