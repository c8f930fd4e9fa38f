#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn::testing;

TEST_CASE("gradcheck relu and leaky_relu away from the kink", "[gradcheck][activation]") {
  check_relu_and_leaky_relu({});
}

TEST_CASE("gradcheck sigmoid and tanh", "[gradcheck][activation]") { check_sigmoid_and_tanh({}); }

TEST_CASE("gradcheck dropout in training and eval mode", "[gradcheck][random]") {
  check_dropout(GENERATE(0.25, 0.5), {});
}

TEST_CASE("gradcheck gaussian_noise in training and eval mode", "[gradcheck][random]") {
  check_gaussian_noise({});
}
