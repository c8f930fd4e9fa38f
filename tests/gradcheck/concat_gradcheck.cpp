#include <catch2/catch.hpp>

#include "support/gradcheck.hpp"

using namespace nn;
using nn::testing::gradcheck;
using nn::testing::random_input;

namespace {
// A random f64 tensor that does not require grad.
Tensor constant_input(const Shape& shape) { return uniform(shape, -1, 1, TensorOptions().dtype(Dtype::f64)); }
}  // namespace

TEST_CASE("gradcheck concat along dim 0", "[gradcheck][concat]") {
  Tensor a = random_input({2, 3}), b = random_input({1, 3});
  const Tensor c = constant_input({3, 3});
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], c, in[1]}, 0); }, {a, b});
}

TEST_CASE("gradcheck concat along the channel dim of NCHW", "[gradcheck][concat]") {
  Tensor a = random_input({2, 1, 2, 2}), b = random_input({2, 2, 2, 2});
  const Tensor c = constant_input({2, 3, 2, 2});
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], in[1], c}, 1); }, {a, b});
  gradcheck([&](const std::vector<Tensor>& in) { return concat({c, in[0]}, 1); }, {a});
}

TEST_CASE("gradcheck concat along the last dim", "[gradcheck][concat]") {
  Tensor a = random_input({2, 2, 3}), b = random_input({2, 2, 1});
  const Tensor c = constant_input({2, 2, 2});
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], c, in[1]}, -1); }, {a, b});
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], in[1]}, 2); }, {a, b});
}
