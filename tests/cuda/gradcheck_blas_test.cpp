// The f64 gradient checks of matmul, linear, batch norm and max pooling run
// on CUDA (tests/gradcheck/ holds the CPU ones): central differences through
// the cuBLAS, cuDNN and pooling kernels against their backward passes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>

#include "support/gradcheck_cases.hpp"

using namespace nn;
using namespace nn::testing;

namespace {
const Device kDevice = Device::cuda(0);
const GradcheckOptions kOnCuda{.device = kDevice};
const TensorOptions kF64OnCuda = TensorOptions().dtype(Dtype::f64).device(kDevice);
}  // namespace

TEST_CASE("CUDA gradcheck matmul with every transpose combination", "[cuda][gradcheck][matmul]") {
  const bool transpose_a = GENERATE(false, true);
  const bool transpose_b = GENERATE(false, true);
  check_matmul(transpose_a, transpose_b, kOnCuda);
}

TEST_CASE("CUDA gradcheck linear with and without bias", "[cuda][gradcheck][matmul]") { check_linear(kOnCuda); }

// Training batch norm has d sum(y) / dx = 0, so these check the full output
// Jacobian (and one randomly weighted sum), never a plain sum.
TEST_CASE("CUDA gradcheck batch_norm in training", "[cuda][gradcheck][batch_norm]") {
  const Shape shape = GENERATE(Shape{4, 3}, Shape{2, 3, 2, 2});
  INFO("input " << shape_str(shape));
  Tensor x = random_input(shape);
  Tensor w = random_input({3}, 0.5, 1.5), b = random_input({3});
  SECTION("with weight and bias") {
    gradcheck([](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], {}, {}, true); },
              {x, w, b}, kOnCuda);
  }
  SECTION("without weight and bias") {
    gradcheck([](const std::vector<Tensor>& in) { return batch_norm(in[0], {}, {}, {}, {}, true); }, {x},
              kOnCuda);
  }
  SECTION("updating running buffers, which stay out of the graph") {
    const Tensor rm = zeros({3}, kF64OnCuda), rv = ones({3}, kF64OnCuda);
    gradcheck(
        [&](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], rm, rv, true, 0.2, 1e-3); },
        {x, w, b}, kOnCuda);
    CHECK_FALSE(rm.requires_grad());
  }
  SECTION("a randomly weighted sum of the output") {
    const Tensor r = uniform(shape, -1, 1, kF64OnCuda);
    gradcheck([&](const std::vector<Tensor>& in) { return sum(batch_norm(in[0], in[1], in[2], {}, {}, true) * r); },
              {x, w, b}, kOnCuda);
  }
  SECTION("only the affine parameters require grad") {
    const Tensor fixed = x.detach().to(kDevice);
    gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(fixed, in[0], in[1], {}, {}, true); }, {w, b},
              kOnCuda);
  }
}

TEST_CASE("CUDA gradcheck batch_norm in inference", "[cuda][gradcheck][batch_norm]") {
  const Shape shape = GENERATE(Shape{3, 2}, Shape{2, 2, 2, 3});
  INFO("input " << shape_str(shape));
  Tensor x = random_input(shape);
  Tensor w = random_input({2}, 0.5, 1.5), b = random_input({2});
  const Tensor rm = uniform({2}, -0.5, 0.5, kF64OnCuda), rv = uniform({2}, 0.5, 1.5, kF64OnCuda);
  gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], rm, rv, false); },
            {x, w, b}, kOnCuda);
  gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(in[0], {}, {}, rm, rv, false); }, {x}, kOnCuda);
}

TEST_CASE("CUDA gradcheck max_pool2d", "[cuda][gradcheck][pool]") {
  struct PoolCase {
    Shape x;
    Size2d kernel, stride;
    Padding2d padding;
  };
  const std::vector<PoolCase> cases = {
      {{2, 2, 4, 4}, {2, 2}, {2, 2}, {}},
      {{1, 2, 5, 5}, {3, 3}, {2, 2}, {1, 1, 1, 1}},
      {{1, 1, 5, 6}, {3, 3}, {1, 1}, {0, 1, 1, 0}},
      {{2, 1, 4, 7}, {2, 3}, {1, 2}, {}},
  };
  std::mt19937 rng(5);
  for (const PoolCase& c : cases) {
    // Distinct values 0.1 apart, so finite differences never cross a tie.
    std::vector<double> values(static_cast<std::size_t>(shape_numel(c.x)));
    std::iota(values.begin(), values.end(), 0.0);
    std::shuffle(values.begin(), values.end(), rng);
    for (double& v : values) v = 0.1 * v - 1.0;
    Tensor x = from_vector(values, c.x, TensorOptions().dtype(Dtype::f64));
    x.set_requires_grad(true);
    INFO("x " << shape_str(c.x));
    gradcheck([&](const std::vector<Tensor>& in) { return max_pool2d(in[0], c.kernel, c.stride, c.padding); }, {x},
              kOnCuda);
  }
}
