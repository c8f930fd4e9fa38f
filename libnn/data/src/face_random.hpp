#pragma once
// The random draws behind one synthetic face: a Philox 4x32-10 stream keyed
// by the generator's seed, with the counter made of the face's index and a
// stream number, so every face (and each of its aspects) is a pure function
// of (seed, index) whatever order or thread draws it.
#include <cstdint>

#include "philox.hpp"

namespace nn::apps {

enum class FaceStream : std::uint32_t { attributes = 1, geometry = 2, noise = 3 };

class FaceRandom {
 public:
  FaceRandom(std::uint64_t seed, std::uint64_t index, FaceStream stream)
      : key_(seed), counter_((index << 32) | (static_cast<std::uint64_t>(stream) << 24)) {}

  std::uint32_t bits() {
    if (used_ == 4) {
      block_ = kernels::philox4x32_10(counter_++, key_);
      used_ = 0;
    }
    return block_.v[used_++];
  }
  // Four fresh 32-bit draws at once (for per-pixel noise).
  kernels::Philox4 block() { return kernels::philox4x32_10(counter_++, key_); }
  // Uniform in [0, 1).
  double uniform() { return bits() * (1.0 / 4294967296.0); }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  bool chance(double p) { return uniform() < p; }
  int below(int n) { return static_cast<int>(uniform() * n); }

 private:
  std::uint64_t key_, counter_;
  kernels::Philox4 block_{};
  int used_ = 4;
};

}  // namespace nn::apps
