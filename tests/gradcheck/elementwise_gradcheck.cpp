#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn::testing;

TEST_CASE("gradcheck add/sub/mul/div with broadcasting", "[gradcheck][elementwise]") {
  check_binary_broadcasting(GENERATE("add", "sub", "mul", "div"), {});
}

TEST_CASE("gradcheck scalar arithmetic and neg", "[gradcheck][elementwise]") { check_scalar_arithmetic({}); }

TEST_CASE("gradcheck sum and mean", "[gradcheck][reduce]") { check_sum_and_mean({}); }

TEST_CASE("gradcheck matmul with every transpose combination", "[gradcheck][matmul]") {
  const bool transpose_a = GENERATE(false, true);
  const bool transpose_b = GENERATE(false, true);
  check_matmul(transpose_a, transpose_b, {});
}

TEST_CASE("gradcheck linear with and without bias", "[gradcheck][matmul]") { check_linear({}); }

TEST_CASE("gradcheck reshape, flatten, slice_batch, dtype round trip", "[gradcheck][shape]") {
  check_shape_ops({});
}
