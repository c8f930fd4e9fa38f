#include <catch2/catch.hpp>

#include "support/gradcheck.hpp"

using namespace nn;
using nn::testing::gradcheck;
using nn::testing::random_input;
using nn::testing::random_input_away_from_zero;

TEST_CASE("gradcheck relu and leaky_relu away from the kink", "[gradcheck][activation]") {
  Tensor x = random_input_away_from_zero({3, 4});
  gradcheck([](const std::vector<Tensor>& in) { return relu(in[0]); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return leaky_relu(in[0], 0.3); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return leaky_relu(in[0], 0.2) * in[0]; }, {x});
}

TEST_CASE("gradcheck sigmoid and tanh", "[gradcheck][activation]") {
  Tensor x = random_input({3, 4}, -3.0, 3.0);
  gradcheck([](const std::vector<Tensor>& in) { return sigmoid(in[0]); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return tanh(in[0]); }, {x});
  // The saved output feeds a later op too.
  gradcheck([](const std::vector<Tensor>& in) { Tensor y = sigmoid(in[0]); return tanh(y) * y; }, {x});
}

TEST_CASE("gradcheck dropout in training and eval mode", "[gradcheck][random]") {
  const double rate = GENERATE(0.25, 0.5);
  Tensor x = random_input({4, 5});
  gradcheck([rate](const std::vector<Tensor>& in) { return dropout(in[0], rate, true); }, {x});
  // The mask enters the gradient of a product with the input.
  gradcheck([rate](const std::vector<Tensor>& in) { return dropout(in[0], rate, true) * in[0]; }, {x});
  gradcheck([rate](const std::vector<Tensor>& in) { return dropout(in[0], rate, false) * 2.0; }, {x});
}

TEST_CASE("gradcheck gaussian_noise in training and eval mode", "[gradcheck][random]") {
  Tensor x = random_input({4, 5});
  gradcheck([](const std::vector<Tensor>& in) { return gaussian_noise(in[0], 0.5, true); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return gaussian_noise(in[0], 0.5, true) * in[0]; }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return gaussian_noise(in[0], 0.5, false) * 2.0; }, {x});
}
