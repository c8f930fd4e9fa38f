#include "cpu/memory.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "nn/error.hpp"

namespace nn::cpu {
namespace {
constexpr std::size_t kAlignment = 64;
}  // namespace

void* allocate(std::size_t bytes) {
  // aligned_alloc wants a multiple of the alignment, and never 0.
  const std::size_t rounded = (std::max<std::size_t>(bytes, 1) + kAlignment - 1) / kAlignment * kAlignment;
  void* data = std::aligned_alloc(kAlignment, rounded);
  if (!data) throw Error("allocate: out of host memory allocating " + std::to_string(bytes) + " bytes");
  return data;
}

void deallocate(void* ptr) noexcept { std::free(ptr); }

void poison(void* ptr, std::size_t bytes) { std::memset(ptr, 0xff, bytes); }

}  // namespace nn::cpu
