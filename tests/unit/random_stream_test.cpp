#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include <nn/random_stream.hpp>

#include "philox.hpp"

using namespace nn;

TEST_CASE("random_block is Philox 4x32-10 of (counter, key)", "[random][stream]") {
  // The published known answer for a zero counter and key.
  CHECK(random_block(0, 0) == RandomBlock{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u});
  for (const std::uint64_t key : {std::uint64_t{1}, std::uint64_t{0x0123456789abcdefULL}}) {
    for (const std::uint64_t counter : {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{1} << 40}) {
      const kernels::Philox4 expected = kernels::philox4x32_10(counter, key);
      CHECK(random_block(key, counter) == RandomBlock{expected.v[0], expected.v[1], expected.v[2], expected.v[3]});
    }
  }
}

TEST_CASE("RandomStream draws its blocks in counter order, four draws each", "[random][stream]") {
  RandomStream stream(99, 5);
  std::vector<std::uint32_t> drawn, expected;
  for (int i = 0; i < 10; ++i) drawn.push_back(stream.next_uint32());
  for (std::uint64_t counter = 5; counter < 8; ++counter)
    for (std::uint32_t v : random_block(99, counter)) expected.push_back(v);
  expected.resize(10);
  CHECK(drawn == expected);
}

TEST_CASE("RandomStream::next_block takes the next counter and keeps the current block's rest", "[random][stream]") {
  RandomStream stream(3);
  CHECK(stream.next_uint32() == random_block(3, 0)[0]);
  CHECK(stream.next_block() == random_block(3, 1));
  CHECK(stream.next_uint32() == random_block(3, 0)[1]);
  CHECK(stream.next_uint32() == random_block(3, 0)[2]);
  CHECK(stream.next_uint32() == random_block(3, 0)[3]);
  CHECK(stream.next_uint32() == random_block(3, 2)[0]);
}

TEST_CASE("RandomStream::next_double is the 32-bit draw over 2^32", "[random][stream]") {
  RandomStream doubles(11, 2), bits(11, 2);
  for (int i = 0; i < 100; ++i) {
    const double u = doubles.next_double();
    CHECK(u == static_cast<double>(bits.next_uint32()) / 4294967296.0);
    CHECK((u >= 0.0 && u < 1.0));
  }
}
