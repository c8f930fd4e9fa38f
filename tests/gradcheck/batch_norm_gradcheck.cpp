#include <catch2/catch.hpp>

#include "support/gradcheck.hpp"

using namespace nn;
using nn::testing::gradcheck;
using nn::testing::random_input;

namespace {
const TensorOptions kF64 = TensorOptions().dtype(Dtype::f64);
}  // namespace

// Training batch norm has d sum(y) / dx = 0, so these check the full output
// Jacobian (and one randomly weighted sum), never a plain sum.
TEST_CASE("gradcheck batch_norm in training", "[gradcheck][batch_norm]") {
  const Shape shape = GENERATE(Shape{4, 3}, Shape{2, 3, 2, 2});
  INFO("input " << shape_str(shape));
  Tensor x = random_input(shape);
  Tensor w = random_input({3}, 0.5, 1.5), b = random_input({3});
  SECTION("with weight and bias") {
    gradcheck([](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], {}, {}, true); },
              {x, w, b});
  }
  SECTION("without weight and bias") {
    gradcheck([](const std::vector<Tensor>& in) { return batch_norm(in[0], {}, {}, {}, {}, true); }, {x});
  }
  SECTION("updating running buffers, which stay out of the graph") {
    const Tensor rm = zeros({3}, kF64), rv = ones({3}, kF64);
    gradcheck(
        [&](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], rm, rv, true, 0.2, 1e-3); },
        {x, w, b});
    CHECK_FALSE(rm.requires_grad());
  }
  SECTION("a randomly weighted sum of the output") {
    const Tensor r = uniform(shape, -1, 1, kF64);
    gradcheck([&](const std::vector<Tensor>& in) { return sum(batch_norm(in[0], in[1], in[2], {}, {}, true) * r); },
              {x, w, b});
  }
  SECTION("only the affine parameters require grad") {
    const Tensor fixed = x.detach();
    gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(fixed, in[0], in[1], {}, {}, true); },
              {w, b});
  }
}

TEST_CASE("gradcheck batch_norm in inference", "[gradcheck][batch_norm]") {
  const Shape shape = GENERATE(Shape{3, 2}, Shape{2, 2, 2, 3});
  INFO("input " << shape_str(shape));
  Tensor x = random_input(shape);
  Tensor w = random_input({2}, 0.5, 1.5), b = random_input({2});
  const Tensor rm = uniform({2}, -0.5, 0.5, kF64), rv = uniform({2}, 0.5, 1.5, kF64);
  gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], rm, rv, false); },
            {x, w, b});
  gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(in[0], {}, {}, rm, rv, false); }, {x});
}
