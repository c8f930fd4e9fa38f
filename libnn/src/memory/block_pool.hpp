#pragma once
// A caching pool of device memory blocks, after the design described in the
// header comment of PyTorch's CUDACachingAllocator, independent of CUDA so that
// its bookkeeping is tested on any machine:
// - Requests are rounded up to multiples of 512 bytes.
// - Requests of at most 1 MiB are "small" and carved out of 2 MiB segments;
//   larger ones get a segment rounded up to a multiple of 2 MiB. The two kinds
//   never share a segment, which keeps small blocks from fragmenting the
//   large ones.
// - A request takes the smallest cached block of its kind that fits and was
//   freed on the same stream (work queued on one stream runs in order, so a
//   block freed there can be reused there at once). A block larger than
//   needed is split when the rest is worth keeping (a small block: at least
//   512 bytes; a large one: more than 1 MiB, so that a large block never
//   turns into a small one).
// - A freed block is merged with free neighbours of its segment.
// - When the source is out of memory, every cached segment that holds no live
//   block is released and the request retried once.
#include <cstddef>
#include <mutex>
#include <set>
#include <unordered_map>

#include "nn/cuda.hpp"

namespace nn::memory {

// Where a pool gets its segments (cudaMalloc in the CUDA backend).
class SegmentSource {
 public:
  virtual ~SegmentSource() = default;
  // A new segment, or nullptr when the device is out of memory. Other
  // failures throw.
  virtual void* allocate(std::size_t bytes) = 0;
  virtual void release(void* segment) noexcept = 0;
};

class BlockPool {
 public:
  static constexpr std::size_t kRounding = 512;
  static constexpr std::size_t kSmallRequest = std::size_t{1} << 20;
  static constexpr std::size_t kSegmentRounding = std::size_t{2} << 20;

  explicit BlockPool(SegmentSource& source) : source_(source) {}
  // Releases the cached segments. Segments that still hold a live block are
  // not released (their owner never freed them).
  ~BlockPool();
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  // A block of at least `bytes` for work on `stream` (any stable key), or
  // nullptr when the source is out of memory even after the cache was
  // released.
  void* allocate(std::size_t bytes, const void* stream);
  // Returns a block to the cache of its stream. Unknown pointers are ignored.
  void free(void* ptr) noexcept;
  // Releases every cached segment that holds no live block.
  void release_cached() noexcept;
  cuda::MemoryStats stats() const;

  static std::size_t round_size(std::size_t bytes);
  // The segment obtained from the source for a rounded request.
  static std::size_t segment_size(std::size_t rounded);

 private:
  struct Block {
    char* ptr = nullptr;
    std::size_t size = 0;
    const void* stream = nullptr;
    bool small = false;
    bool live = false;
    Block* prev = nullptr;  // neighbours inside the same segment
    Block* next = nullptr;
  };
  // Free blocks by stream, then size, then address: lower_bound is a best fit.
  struct BlockOrder {
    bool operator()(const Block* a, const Block* b) const;
  };
  using FreeSet = std::set<Block*, BlockOrder>;

  FreeSet& free_set(bool small) { return small ? free_small_ : free_large_; }
  Block* take_cached(std::size_t size, const void* stream, bool small);
  Block* new_segment(std::size_t size, const void* stream, bool small);
  void split(Block* block, std::size_t size);
  void release_cached_locked() noexcept;

  SegmentSource& source_;
  mutable std::mutex mutex_;
  FreeSet free_small_, free_large_;
  std::unordered_map<void*, Block*> live_;
  cuda::MemoryStats stats_;
};

}  // namespace nn::memory
