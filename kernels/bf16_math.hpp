#pragma once
// BF16 (bfloat16) conversion, shared by the CPU loops and the CUDA launchers.
// A BF16 value is the upper half of an IEEE binary32 float: sign, the same
// 8 exponent bits, 7 mantissa bits; here it is stored as those 16 bits in a
// std::uint16_t. These are the building blocks of a later mixed-precision
// policy (BF16 operands for tensor-core products, FP32 master weights and
// reductions); libnn has no BF16 tensor dtype.
#include <cstdint>
#include <cstring>

#include "common.hpp"

namespace nn::kernels {

NN_HD std::uint32_t float_bits(float x) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(x);
#else
  std::uint32_t bits;  // memcpy, not std::bit_cast: the CUDA sources are C++17
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
#endif
}

NN_HD float float_from_bits(std::uint32_t bits) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(bits);
#else
  float x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
#endif
}

// Round to nearest, ties to even, as IEEE conversion does: adding 0x7fff,
// plus 1 when the kept part is odd, carries into the kept bits exactly when
// the dropped 16 bits are over half, or half with an odd kept part. The carry
// may run into the exponent, up to infinity past the largest finite BF16;
// infinities, zeros and subnormals need no case of their own. A NaN keeps
// its sign and upper payload and is made quiet (the top mantissa bit), so
// that a payload only in the dropped bits does not truncate to infinity.
NN_HD std::uint16_t float_to_bf16(float x) {
  const std::uint32_t bits = float_bits(x);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x0040u);
  const std::uint32_t odd = (bits >> 16) & 1u;
  return static_cast<std::uint16_t>((bits + 0x7fffu + odd) >> 16);
}

// Exact: every BF16 value is a float.
NN_HD float bf16_to_float(std::uint16_t bits) { return float_from_bits(static_cast<std::uint32_t>(bits) << 16); }

}  // namespace nn::kernels
