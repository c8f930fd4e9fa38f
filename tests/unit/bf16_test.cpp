#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "bf16_math.hpp"

using nn::kernels::bf16_to_float;
using nn::kernels::float_to_bf16;

namespace {
float from_bits(std::uint32_t bits) { return std::bit_cast<float>(bits); }
std::uint32_t bits_of(float x) { return std::bit_cast<std::uint32_t>(x); }
}  // namespace

// Bit patterns worked out by hand: a float's upper 16 bits are the BF16
// candidate below (towards zero), the lower 16 bits decide the rounding;
// 0x8000 there is exactly halfway.
TEST_CASE("float to BF16 keeps values BF16 can hold exactly", "[bf16]") {
  CHECK(float_to_bf16(1.0f) == 0x3f80);
  CHECK(float_to_bf16(-2.0f) == 0xc000);
  CHECK(float_to_bf16(0.5f) == 0x3f00);
  CHECK(float_to_bf16(3.0f) == 0x4040);
  CHECK(float_to_bf16(1.0f + 0x1p-7f) == 0x3f81);  // the last mantissa bit
  CHECK(float_to_bf16(0.0f) == 0x0000);
  for (float x : {1.0f, -2.0f, 0.15625f, 1.0f + 0x1p-7f, -0x1p-100f, 0x1p100f})
    CHECK(bf16_to_float(float_to_bf16(x)) == x);
}

TEST_CASE("float to BF16 rounds to nearest, ties to even", "[bf16]") {
  CHECK(float_to_bf16(from_bits(0x3f807fff)) == 0x3f80);  // just under halfway: down
  CHECK(float_to_bf16(from_bits(0x3f808001)) == 0x3f81);  // just over halfway: up
  CHECK(float_to_bf16(from_bits(0x3f808000)) == 0x3f80);  // halfway, 0x3f80 even: down
  CHECK(float_to_bf16(from_bits(0x3f818000)) == 0x3f82);  // halfway, 0x3f81 odd: up to 0x3f82
  CHECK(float_to_bf16(from_bits(0xbf808000)) == 0xbf80);  // negative ties by magnitude too
  CHECK(float_to_bf16(from_bits(0xbf818000)) == 0xbf82);
  CHECK(float_to_bf16(from_bits(0x3fffffff)) == 0x4000);  // rounding up carries into the exponent: 2.0
  CHECK(float_to_bf16(0.1f) == 0x3dcd);                   // 0x3dcccccd: over halfway
}

TEST_CASE("float to BF16 at the top of the range: largest finite, overflow, infinities", "[bf16]") {
  const float largest = from_bits(0x7f7f0000);  // (2 - 2^-7) * 2^127
  CHECK(largest == std::ldexp(255.0f, 120));
  CHECK(float_to_bf16(largest) == 0x7f7f);
  CHECK(float_to_bf16(from_bits(0x7f7f7fff)) == 0x7f7f);  // under halfway to 2^128: stays finite
  CHECK(float_to_bf16(from_bits(0x7f7f8000)) == 0x7f80);  // halfway: to even, which is infinity
  CHECK(float_to_bf16(std::numeric_limits<float>::max()) == 0x7f80);
  CHECK(float_to_bf16(-std::numeric_limits<float>::max()) == 0xff80);
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(float_to_bf16(inf) == 0x7f80);
  CHECK(float_to_bf16(-inf) == 0xff80);
  CHECK(bf16_to_float(0x7f80) == inf);
  CHECK(bf16_to_float(0xff80) == -inf);
  CHECK(bf16_to_float(0x7f7f) == largest);
}

TEST_CASE("float to BF16 rounds subnormals like normal numbers", "[bf16]") {
  CHECK(float_to_bf16(from_bits(0x00010000)) == 0x0001);  // the smallest BF16 subnormal, 2^-133
  CHECK(bf16_to_float(0x0001) == std::ldexp(1.0f, -133));
  CHECK(float_to_bf16(from_bits(0x00000001)) == 0x0000);  // the smallest float subnormal: to zero
  CHECK(float_to_bf16(from_bits(0x00008000)) == 0x0000);  // halfway to 2^-133, 0 even: down
  CHECK(float_to_bf16(from_bits(0x00018000)) == 0x0002);  // halfway, 0x0001 odd: up
  CHECK(float_to_bf16(from_bits(0x80018000)) == 0x8002);
  CHECK(float_to_bf16(from_bits(0x007fffff)) == 0x0080);  // the largest float subnormal: up to 2^-126
  CHECK(bf16_to_float(0x0080) == std::numeric_limits<float>::min());
}

TEST_CASE("float to BF16 keeps the sign of zero", "[bf16]") {
  CHECK(float_to_bf16(-0.0f) == 0x8000);
  CHECK(float_to_bf16(from_bits(0x80007fff)) == 0x8000);  // a negative subnormal rounding to -0
  const float back = bf16_to_float(0x8000);
  CHECK(back == 0.0f);
  CHECK(std::signbit(back));
}

TEST_CASE("float to BF16 keeps NaN a NaN, quiet, with its sign", "[bf16]") {
  CHECK(float_to_bf16(std::numeric_limits<float>::quiet_NaN()) == 0x7fc0);
  CHECK(float_to_bf16(from_bits(0xffc00000)) == 0xffc0);
  // A signalling NaN whose payload lies only in the dropped bits would
  // truncate to infinity; it becomes the quiet NaN.
  CHECK(float_to_bf16(from_bits(0x7f800001)) == 0x7fc0);
  // A payload in the kept bits stays, with the quiet bit set.
  CHECK(float_to_bf16(from_bits(0x7fa00000)) == 0x7fe0);
  // The largest NaN pattern must not wrap around into the sign bit.
  CHECK(float_to_bf16(from_bits(0x7fffffff)) == 0x7fff);
  CHECK(float_to_bf16(from_bits(0xffffffff)) == 0xffff);
  CHECK(std::isnan(bf16_to_float(0x7fc0)));
  CHECK(bits_of(bf16_to_float(0xffc1)) == 0xffc10000u);
}
