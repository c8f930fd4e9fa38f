#pragma once
// Philox 4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC'11): a counter-based generator. Draw number i of a stream with key `seed`
// is a pure function of (seed, i), so any thread on any device can produce it.
#include <cstdint>

#include "common.hpp"

namespace nn::kernels {

struct Philox4 {
  std::uint32_t v[4];
};

NN_HD void philox_mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
  const std::uint64_t product = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(product >> 32);
  lo = static_cast<std::uint32_t>(product);
}

// Ten rounds on a 128-bit counter with a 64-bit key.
NN_HD Philox4 philox4x32_10(std::uint64_t counter, std::uint64_t key) {
  std::uint32_t c0 = static_cast<std::uint32_t>(counter), c1 = static_cast<std::uint32_t>(counter >> 32);
  std::uint32_t c2 = 0, c3 = 0;
  std::uint32_t k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    philox_mulhilo(0xD2511F53u, c0, hi0, lo0);
    philox_mulhilo(0xCD9E8D57u, c2, hi1, lo1);
    const std::uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return {{c0, c1, c2, c3}};
}

// The 32-bit draw at absolute position `index` of the stream `seed`.
NN_HD std::uint32_t philox_draw(std::uint64_t seed, std::uint64_t index) {
  return philox4x32_10(index / 4, seed).v[index % 4];
}

// Maps a 32-bit draw to the open interval (0, 1). Floats keep the top 24
// bits so that the result can never round up to 1.
template <class T>
NN_HD T uniform_open01(std::uint32_t bits);
template <>
NN_HD float uniform_open01<float>(std::uint32_t bits) {
  return (static_cast<float>(bits >> 8) + 0.5f) * 5.9604644775390625e-08f;
}
template <>
NN_HD double uniform_open01<double>(std::uint32_t bits) {
  return (static_cast<double>(bits) + 0.5) * 2.3283064365386963e-10;
}

}  // namespace nn::kernels
