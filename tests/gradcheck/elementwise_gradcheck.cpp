#include <catch2/catch.hpp>

#include "support/gradcheck.hpp"

using namespace nn;
using nn::testing::gradcheck;
using nn::testing::random_input;

namespace {
Tensor binary(const std::string& op, const Tensor& a, const Tensor& b) {
  if (op == "add") return add(a, b);
  if (op == "sub") return sub(a, b);
  if (op == "mul") return mul(a, b);
  return div(a, b);
}
}  // namespace

TEST_CASE("gradcheck add/sub/mul/div with broadcasting", "[gradcheck][elementwise]") {
  const std::string op = GENERATE("add", "sub", "mul", "div");
  // same shape, scalar, per-channel NCHW, per-feature, both sides broadcasting
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{2, 3}, {2, 3}}, {{2, 3}, {}}, {{}, {2, 3}}, {{2, 3, 2, 2}, {1, 3, 1, 1}}, {{4, 3}, {3}}, {{3, 1}, {1, 4}}};
  for (const auto& [sa, sb] : cases) {
    INFO(op << " " << shape_str(sa) << " with " << shape_str(sb));
    // Divisors kept away from zero.
    Tensor a = random_input(sa);
    Tensor b = op == "div" ? random_input(sb, 0.5, 1.5) : random_input(sb);
    gradcheck([&](const std::vector<Tensor>& in) { return binary(op, in[0], in[1]); }, {a, b});
  }
}

TEST_CASE("gradcheck scalar arithmetic and neg", "[gradcheck][elementwise]") {
  Tensor x = random_input({3, 2});
  gradcheck([](const std::vector<Tensor>& in) { return (in[0] * 2.5 + 1.0) / 4.0 - 3.0; }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return -in[0]; }, {x});
}

TEST_CASE("gradcheck sum and mean", "[gradcheck][reduce]") {
  Tensor x = random_input({2, 3, 4});
  gradcheck([](const std::vector<Tensor>& in) { return sum(in[0]); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return mean(in[0]); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return sum(in[0], {0, 2}); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return mean(in[0], {1}, true); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return sum_to(in[0], {3, 1}); }, {x});
}

TEST_CASE("gradcheck matmul with every transpose combination", "[gradcheck][matmul]") {
  const bool ta = GENERATE(false, true);
  const bool tb = GENERATE(false, true);
  Tensor a = ta ? random_input({4, 3}) : random_input({3, 4});
  Tensor b = tb ? random_input({2, 4}) : random_input({4, 2});
  gradcheck([&](const std::vector<Tensor>& in) { return matmul(in[0], in[1], ta, tb); }, {a, b});
}

TEST_CASE("gradcheck linear with and without bias", "[gradcheck][matmul]") {
  Tensor x = random_input({3, 4}), w = random_input({2, 4}), b = random_input({2});
  gradcheck([](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); }, {x, w, b});
  gradcheck([](const std::vector<Tensor>& in) { return linear(in[0], in[1], Tensor()); }, {x, w});
}

TEST_CASE("gradcheck reshape, flatten, slice_batch, dtype round trip", "[gradcheck][shape]") {
  Tensor x = random_input({2, 3, 2});
  gradcheck([](const std::vector<Tensor>& in) { return mul(reshape(in[0], {3, -1}), 2.0); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return flatten(in[0]); }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return in[0].slice_batch(1, 2) * 3.0; }, {x});
  gradcheck([](const std::vector<Tensor>& in) { return in[0].clone() * 3.0; }, {x});
}
