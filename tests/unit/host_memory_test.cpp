// Host memory for tensors: 64-byte aligned, and freed blocks reused (except
// under AddressSanitizer, which must see every block's lifetime).
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <vector>

#include "cpu/memory.hpp"

namespace {

bool aligned(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 64 == 0; }

}  // namespace

TEST_CASE("host allocations are aligned to 64 bytes, also of 0 bytes", "[host_memory]") {
  std::vector<void*> blocks;
  for (std::size_t bytes : {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{4096},
                            std::size_t{3} << 20, std::size_t{40} << 20}) {
    INFO(bytes);
    void* p = nn::cpu::allocate(bytes);
    CHECK(aligned(p));
    std::memset(p, 1, bytes);  // writable over its whole size
    blocks.push_back(p);
  }
  // Live blocks never overlap: each is distinct.
  for (std::size_t i = 0; i < blocks.size(); ++i)
    for (std::size_t j = i + 1; j < blocks.size(); ++j) CHECK(blocks[i] != blocks[j]);
  for (void* p : blocks) nn::cpu::deallocate(p);
}

TEST_CASE("freed host memory is reused for a request of the same size, not handed back", "[host_memory]") {
  if (!nn::cpu::caches_freed_memory()) {
    WARN("AddressSanitizer build: host memory is not cached, nothing to reuse");
    return;
  }
  for (std::size_t bytes : {std::size_t{1000}, std::size_t{56} << 20}) {
    INFO(bytes);
    auto* first = static_cast<unsigned char*>(nn::cpu::allocate(bytes));
    std::memset(first, 0xab, bytes);
    nn::cpu::deallocate(first);
    auto* second = static_cast<unsigned char*>(nn::cpu::allocate(bytes));
    CHECK(second == first);
    // The same pages, not fresh zeroed ones the kernel would map again.
    CHECK(second[bytes / 2] == 0xab);
    nn::cpu::deallocate(second);
  }
}
