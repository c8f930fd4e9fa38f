#pragma once
// A counter-based random stream for work outside the tensor ops (shuffling,
// procedural images): the Philox 4x32-10 generator behind nn::manual_seed,
// keyed by a 64-bit key and starting at a 64-bit block counter. Every draw is
// a pure function of (key, counter, position), so independent streams (one
// per sample, say) need no shared state and give the same numbers anywhere.
#include <array>
#include <cstdint>

namespace nn {

// One Philox block: four 32-bit draws.
using RandomBlock = std::array<std::uint32_t, 4>;

// The block at `counter` of the stream `key`.
RandomBlock random_block(std::uint64_t key, std::uint64_t counter);

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t key, std::uint64_t counter = 0) : key_(key), counter_(counter) {}

  // The next 32-bit draw. Blocks are made four draws at a time; this part
  // stays inline because callers draw in tight loops.
  std::uint32_t next_uint32() {
    if (used_ == 4) {
      block_ = random_block(key_, counter_++);
      used_ = 0;
    }
    return block_[used_++];
  }
  // The block at the next unused counter; draws left over from the current
  // block stay for next_uint32.
  RandomBlock next_block() { return random_block(key_, counter_++); }
  // Uniform in [0, 1) with 32 random bits: next_uint32() / 2^32.
  double next_double() { return next_uint32() * (1.0 / 4294967296.0); }

 private:
  std::uint64_t key_, counter_;
  RandomBlock block_{};
  int used_ = 4;
};

}  // namespace nn
