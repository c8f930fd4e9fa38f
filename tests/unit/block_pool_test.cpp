// The caching pool behind the CUDA allocator, on a fake segment source: its
// rounding, reuse, splitting, merging, per-stream caches, out-of-memory retry
// and statistics, checked on any machine.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>

#include "memory/block_pool.hpp"

using nn::memory::BlockPool;

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Hands out fake, never dereferenced addresses from a budget of bytes.
class FakeSegments final : public nn::memory::SegmentSource {
 public:
  explicit FakeSegments(std::size_t budget) : budget_(budget) {}
  ~FakeSegments() override { CHECK(live.empty()); }

  void* allocate(std::size_t bytes) override {
    ++calls;
    if (used_ + bytes > budget_) return nullptr;
    used_ += bytes;
    auto* ptr = reinterpret_cast<void*>(next_);
    next_ += bytes + kMiB;  // gaps, so that segments are never adjacent
    live.emplace(ptr, bytes);
    return ptr;
  }

  void release(void* segment) noexcept override {
    const auto it = live.find(segment);
    if (it == live.end()) return;
    used_ -= it->second;
    live.erase(it);
  }

  std::map<void*, std::size_t> live;
  int calls = 0;

 private:
  std::size_t budget_;
  std::size_t used_ = 0;
  std::uintptr_t next_ = std::uintptr_t{1} << 32;
};

// Two distinct stream keys.
int stream_key_a, stream_key_b;
const void* const stream_a = &stream_key_a;
const void* const stream_b = &stream_key_b;

char* as_bytes(void* p) { return static_cast<char*>(p); }

}  // namespace

TEST_CASE("block sizes round to 512 bytes and segments to 2 MiB", "[allocator]") {
  CHECK(BlockPool::round_size(0) == 512);
  CHECK(BlockPool::round_size(1) == 512);
  CHECK(BlockPool::round_size(512) == 512);
  CHECK(BlockPool::round_size(513) == 1024);
  CHECK(BlockPool::segment_size(512) == 2 * kMiB);
  CHECK(BlockPool::segment_size(kMiB) == 2 * kMiB);
  CHECK(BlockPool::segment_size(kMiB + 512) == 2 * kMiB);
  CHECK(BlockPool::segment_size(2 * kMiB + 512) == 4 * kMiB);
}

TEST_CASE("small blocks are carved out of one 2 MiB segment and merged back", "[allocator]") {
  FakeSegments source(64 * kMiB);
  {
    BlockPool pool(source);
    void* a = pool.allocate(1000, stream_a);
    void* b = pool.allocate(3000, stream_a);
    CHECK(source.calls == 1);
    CHECK(as_bytes(b) == as_bytes(a) + 1024);  // a's rounded size
    nn::cuda::MemoryStats s = pool.stats();
    CHECK(s.allocated_bytes == 1024 + 3072);
    CHECK(s.reserved_bytes == 2 * kMiB);
    CHECK(s.segment_allocations == 1);

    pool.free(a);
    CHECK(pool.allocate(600, stream_a) == a);  // best fit: a's 1 KiB hole
    pool.free(a);
    pool.free(b);
    s = pool.stats();
    CHECK(s.allocated_bytes == 0);
    CHECK(s.frees == 3);
    CHECK(s.peak_allocated_bytes == 1024 + 3072);
    // Merged back into one free segment, which the cache then releases.
    pool.release_cached();
    CHECK(source.live.empty());
    CHECK(pool.stats().reserved_bytes == 0);
    CHECK(pool.stats().segment_frees == 1);
  }
}

TEST_CASE("a cached block is reused only on the stream that freed it", "[allocator]") {
  FakeSegments source(64 * kMiB);
  BlockPool pool(source);
  void* a = pool.allocate(4 * kMiB, stream_a);
  pool.free(a);
  void* b = pool.allocate(4 * kMiB, stream_b);
  CHECK(b != a);
  CHECK(source.calls == 2);
  void* c = pool.allocate(4 * kMiB, stream_a);
  CHECK(c == a);
  CHECK(source.calls == 2);
  pool.free(b);
  pool.free(c);
}

TEST_CASE("large blocks split only when the rest is large too", "[allocator]") {
  FakeSegments source(64 * kMiB);
  BlockPool pool(source);
  void* big = pool.allocate(10 * kMiB, stream_a);
  pool.free(big);
  // 10 MiB cached: a 3 MiB request takes its front and leaves 7 MiB cached.
  void* front = pool.allocate(3 * kMiB, stream_a);
  CHECK(front == big);
  void* rest = pool.allocate(7 * kMiB, stream_a);
  CHECK(as_bytes(rest) == as_bytes(big) + 3 * kMiB);
  CHECK(source.calls == 1);
  pool.free(front);
  pool.free(rest);
  // A 9.5 MiB request leaves only 0.5 MiB: the whole 10 MiB block is used.
  void* whole = pool.allocate(9 * kMiB + kMiB / 2, stream_a);
  CHECK(pool.stats().allocated_bytes == 10 * kMiB);
  pool.free(whole);
  // Small requests never come from a large segment.
  void* small = pool.allocate(4096, stream_a);
  CHECK(source.calls == 2);
  pool.free(small);
}

TEST_CASE("out of memory frees the cache and retries once", "[allocator]") {
  FakeSegments source(8 * kMiB);
  BlockPool pool(source);
  void* a = pool.allocate(6 * kMiB, stream_a);
  pool.free(a);  // cached, still reserved
  void* b = pool.allocate(8 * kMiB, stream_a);
  REQUIRE(b != nullptr);
  nn::cuda::MemoryStats s = pool.stats();
  CHECK(s.retries == 1);
  CHECK(s.segment_frees == 1);
  CHECK(s.reserved_bytes == 8 * kMiB);
  CHECK(s.peak_reserved_bytes == 8 * kMiB);
  CHECK(pool.allocate(2 * kMiB, stream_a) == nullptr);
  s = pool.stats();
  CHECK(s.retries == 2);
  CHECK(s.out_of_memory == 1);
  pool.free(b);
}

TEST_CASE("freeing an unknown pointer changes nothing", "[allocator]") {
  FakeSegments source(8 * kMiB);
  BlockPool pool(source);
  int not_from_the_pool = 0;
  pool.free(&not_from_the_pool);
  CHECK(pool.stats().frees == 0);
}
