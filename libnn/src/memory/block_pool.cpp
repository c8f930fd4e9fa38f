#include "memory/block_pool.hpp"

#include <algorithm>
#include <functional>
#include <memory>

namespace nn::memory {

bool BlockPool::BlockOrder::operator()(const Block* a, const Block* b) const {
  if (a->stream != b->stream) return std::less<const void*>()(a->stream, b->stream);
  if (a->size != b->size) return a->size < b->size;
  return std::less<const char*>()(a->ptr, b->ptr);
}

std::size_t BlockPool::round_size(std::size_t bytes) {
  return std::max<std::size_t>((bytes + kRounding - 1) / kRounding, 1) * kRounding;
}

std::size_t BlockPool::segment_size(std::size_t rounded) {
  if (rounded <= kSmallRequest) return kSegmentRounding;
  return (rounded + kSegmentRounding - 1) / kSegmentRounding * kSegmentRounding;
}

BlockPool::~BlockPool() {
  release_cached_locked();
  for (auto& [ptr, block] : live_) delete block;
  for (Block* block : free_small_) delete block;
  for (Block* block : free_large_) delete block;
}

void* BlockPool::allocate(std::size_t bytes, const void* stream) {
  const std::size_t size = round_size(bytes);
  const bool small = size <= kSmallRequest;
  std::lock_guard lock(mutex_);
  Block* block = take_cached(size, stream, small);
  if (!block) block = new_segment(size, stream, small);
  if (!block) return nullptr;
  split(block, size);
  block->live = true;
  live_.emplace(block->ptr, block);
  stats_.allocated_bytes += block->size;
  stats_.peak_allocated_bytes = std::max(stats_.peak_allocated_bytes, stats_.allocated_bytes);
  ++stats_.allocations;
  return block->ptr;
}

BlockPool::Block* BlockPool::take_cached(std::size_t size, const void* stream, bool small) {
  FreeSet& set = free_set(small);
  Block key;
  key.size = size;
  key.stream = stream;
  const auto it = set.lower_bound(&key);
  if (it == set.end() || (*it)->stream != stream) return nullptr;
  Block* block = *it;
  set.erase(it);
  return block;
}

BlockPool::Block* BlockPool::new_segment(std::size_t size, const void* stream, bool small) {
  const std::size_t bytes = segment_size(size);
  auto block = std::make_unique<Block>();
  void* ptr = source_.allocate(bytes);
  if (!ptr) {
    release_cached_locked();
    ++stats_.retries;
    ptr = source_.allocate(bytes);
  }
  if (!ptr) {
    ++stats_.out_of_memory;
    return nullptr;
  }
  block->ptr = static_cast<char*>(ptr);
  block->size = bytes;
  block->stream = stream;
  block->small = small;
  stats_.reserved_bytes += bytes;
  stats_.peak_reserved_bytes = std::max(stats_.peak_reserved_bytes, stats_.reserved_bytes);
  ++stats_.segment_allocations;
  return block.release();
}

void BlockPool::split(Block* block, std::size_t size) {
  const std::size_t rest = block->size - size;
  if (block->small ? rest < kRounding : rest <= kSmallRequest) return;
  auto* tail = new Block(*block);
  tail->ptr = block->ptr + size;
  tail->size = rest;
  tail->prev = block;
  if (tail->next) tail->next->prev = tail;
  block->next = tail;
  block->size = size;
  free_set(block->small).insert(tail);
}

void BlockPool::free(void* ptr) noexcept {
  std::lock_guard lock(mutex_);
  const auto it = live_.find(ptr);
  if (it == live_.end()) return;
  Block* block = it->second;
  live_.erase(it);
  block->live = false;
  stats_.allocated_bytes -= block->size;
  ++stats_.frees;
  FreeSet& set = free_set(block->small);
  if (Block* prev = block->prev; prev && !prev->live) {
    set.erase(prev);
    prev->size += block->size;
    prev->next = block->next;
    if (prev->next) prev->next->prev = prev;
    delete block;
    block = prev;
  }
  if (Block* next = block->next; next && !next->live) {
    set.erase(next);
    block->size += next->size;
    block->next = next->next;
    if (block->next) block->next->prev = block;
    delete next;
  }
  set.insert(block);
}

void BlockPool::release_cached() noexcept {
  std::lock_guard lock(mutex_);
  release_cached_locked();
}

void BlockPool::release_cached_locked() noexcept {
  for (FreeSet* set : {&free_small_, &free_large_}) {
    for (auto it = set->begin(); it != set->end();) {
      Block* block = *it;
      if (block->prev || block->next) {
        ++it;
        continue;
      }
      source_.release(block->ptr);
      stats_.reserved_bytes -= block->size;
      ++stats_.segment_frees;
      it = set->erase(it);
      delete block;
    }
  }
}

cuda::MemoryStats BlockPool::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace nn::memory
