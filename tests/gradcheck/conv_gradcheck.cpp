#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>

#include "support/gradcheck.hpp"

using namespace nn;
using nn::testing::gradcheck;
using nn::testing::random_input;

namespace {

struct ConvCase {
  Shape x, w;
  Size2d stride;
  Padding2d padding;
  bool bias;
  Size2d output_padding;
};

std::string describe(const ConvCase& c) {
  return "x " + shape_str(c.x) + " w " + shape_str(c.w) + " stride " + std::to_string(c.stride.h) + "x" +
         std::to_string(c.stride.w) + " pad " + std::to_string(c.padding.top) + "/" +
         std::to_string(c.padding.bottom) + "/" + std::to_string(c.padding.left) + "/" +
         std::to_string(c.padding.right);
}

// Inputs for x, weight and (when used) bias; a bias-free call gets no bias input.
std::vector<Tensor> conv_inputs(const ConvCase& c, std::int64_t bias_size) {
  std::vector<Tensor> in{random_input(c.x), random_input(c.w)};
  if (c.bias) in.push_back(random_input({bias_size}));
  return in;
}

Tensor bias_of(const std::vector<Tensor>& in) { return in.size() > 2 ? in[2] : Tensor(); }

}  // namespace

TEST_CASE("gradcheck conv2d", "[gradcheck][conv]") {
  const std::vector<ConvCase> cases = {
      {{2, 2, 5, 4}, {3, 2, 3, 3}, {1, 1}, {1, 1, 1, 1}, true, {}},
      // Keras `same`, 4x4 stride 2, asymmetric along the odd width.
      {{1, 2, 6, 5}, {2, 2, 4, 4}, {2, 2}, {1, 1, 1, 2}, false, {}},
      // Even kernel, stride 1, `same`: the extra cell at the bottom/right.
      {{2, 2, 4, 5}, {2, 2, 2, 2}, {1, 1}, {0, 1, 0, 1}, true, {}},
      {{2, 1, 5, 7}, {2, 1, 2, 3}, {2, 1}, {0, 1, 1, 0}, true, {}},
      {{1, 3, 7, 6}, {2, 3, 3, 3}, {2, 2}, {0, 0, 0, 0}, false, {}},
      // Stride 1, fewer output than input channels (the output-side lowering).
      {{2, 3, 5, 4}, {1, 3, 3, 2}, {1, 1}, {1, 2, 0, 1}, true, {}},
  };
  for (const ConvCase& c : cases) {
    INFO(describe(c));
    gradcheck(
        [&](const std::vector<Tensor>& in) { return conv2d(in[0], in[1], bias_of(in), c.stride, c.padding); },
        conv_inputs(c, c.w[0]));
  }
}

TEST_CASE("gradcheck conv_transpose2d", "[gradcheck][conv]") {
  const std::vector<ConvCase> cases = {
      // Keras `same`, 3x3 stride 2: padding 0/1, output twice the input.
      {{2, 3, 3, 2}, {3, 2, 3, 3}, {2, 2}, {0, 1, 0, 1}, true, {0, 0}},
      {{1, 2, 3, 3}, {2, 2, 4, 4}, {2, 2}, {1, 1, 1, 1}, false, {0, 0}},
      {{1, 2, 2, 3}, {2, 3, 3, 2}, {2, 3}, {1, 0, 0, 1}, true, {1, 2}},
      {{2, 2, 3, 2}, {2, 1, 5, 5}, {1, 1}, {2, 2, 2, 2}, true, {0, 0}},
      {{1, 2, 2, 2}, {2, 2, 5, 5}, {2, 2}, {1, 2, 1, 2}, false, {0, 1}},
  };
  for (const ConvCase& c : cases) {
    INFO(describe(c) << " output_padding " << c.output_padding.h << "x" << c.output_padding.w);
    gradcheck(
        [&](const std::vector<Tensor>& in) {
          return conv_transpose2d(in[0], in[1], bias_of(in), c.stride, c.padding, c.output_padding);
        },
        conv_inputs(c, c.w[1]));
  }
}

TEST_CASE("gradcheck max_pool2d", "[gradcheck][pool]") {
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
    gradcheck([&](const std::vector<Tensor>& in) { return max_pool2d(in[0], c.kernel, c.stride, c.padding); },
              {x});
  }
}
