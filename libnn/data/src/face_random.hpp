#pragma once
// The random draws behind one synthetic face: a counter-based stream keyed by
// the generator's seed, with the counter made of the face's index and a
// stream number, so every face (and each of its aspects) is a pure function
// of (seed, index) whatever order or thread draws it.
#include <cstdint>

#include "nn/random_stream.hpp"

namespace nn::data {

enum class FaceStream : std::uint32_t { attributes = 1, geometry = 2, noise = 3 };

class FaceRandom {
 public:
  FaceRandom(std::uint64_t seed, std::uint64_t index, FaceStream stream)
      : stream_(seed, (index << 32) | (static_cast<std::uint64_t>(stream) << 24)) {}

  std::uint32_t bits() { return stream_.next_uint32(); }
  // Four fresh 32-bit draws at once (for per-pixel noise).
  RandomBlock block() { return stream_.next_block(); }
  // Uniform in [0, 1).
  double uniform() { return stream_.next_double(); }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  bool chance(double p) { return uniform() < p; }
  int below(int n) { return static_cast<int>(uniform() * n); }

 private:
  RandomStream stream_;
};

}  // namespace nn::data
