// The index geometry the CUDA kernels use, evaluated on the host: every
// broadcast read and every summed element must be the one a naive coordinate
// walk picks.
#include <catch2/catch.hpp>

#include <utility>
#include <vector>

#include "geometry/strided.hpp"
#include "nn/error.hpp"
#include "support/naive.hpp"

using namespace nn;
using nn::testing::broadcast_source;
using nn::testing::coordinates;

namespace {
using Case = std::pair<Shape, Shape>;
}

TEST_CASE("broadcast geometry reads the element a coordinate walk reads", "[geometry]") {
  const std::vector<Case> cases = {{{2, 3, 4}, {2, 3, 4}}, {{}, {2, 3}},        {{4}, {2, 3, 4}},
                                   {{3, 1}, {2, 3, 4}},    {{1, 3, 1, 1}, {5, 3, 4, 4}},
                                   {{2, 1, 4, 1}, {2, 3, 4, 5}}, {{1}, {1}}};
  for (const auto& [input, output] : cases) {
    INFO(shape_str(input) << " read as " << shape_str(output));
    const auto index = geometry::strided_indices("test", output, {geometry::broadcast_strides(input, output)})[0];
    for (std::int64_t i = 0; i < shape_numel(output); ++i)
      REQUIRE(kernels::strided_offset(index, i) == broadcast_source(coordinates(i, output), input));
  }
}

TEST_CASE("broadcast geometry merges dimensions that every operand allows", "[geometry]") {
  const Shape out{8, 16, 5, 5};
  const auto same = geometry::strided_indices("test", out, {geometry::contiguous_strides(out)});
  CHECK(same[0].dims == 1);
  const auto bias = geometry::strided_indices(
      "test", out, {geometry::contiguous_strides(out), geometry::broadcast_strides({1, 16, 1, 1}, out)});
  CHECK(bias[0].dims == 3);  // [8, 16, 25]
  CHECK(bias[1].dims == 3);
  const auto scalar = geometry::strided_indices("test", out, {geometry::broadcast_strides({}, out)});
  CHECK(scalar[0].dims == 1);
  CHECK(scalar[0].strides[0] == 0);
}

TEST_CASE("geometry with too many dimensions is refused", "[geometry]") {
  const Shape out{2, 3, 2, 3, 2, 3, 2, 3, 2};
  const Shape alternating{2, 1, 2, 1, 2, 1, 2, 1, 2};
  CHECK_THROWS_AS(geometry::strided_indices("test", out, {geometry::broadcast_strides(alternating, out)}), Error);
}

TEST_CASE("sum_to geometry visits every input element once, for its output", "[geometry]") {
  const std::vector<Case> cases = {{{4, 5}, {5}},          {{4, 5}, {4, 1}},      {{2, 3, 4, 5}, {1, 3, 1, 1}},
                                   {{2, 3, 4}, {}},        {{7, 5, 3}, {7, 1, 3}}, {{2, 3}, {2, 3}},
                                   {{3, 1, 4}, {1, 1, 4}}, {{0, 4}, {4}}};
  for (const auto& [x, out] : cases) {
    INFO(shape_str(x) << " summed to " << shape_str(out));
    const auto g = geometry::sum_to_geometry("test", x, out);
    CHECK(g.reduced * shape_numel(out) == shape_numel(x));
    std::vector<int> visits(static_cast<std::size_t>(shape_numel(x)), 0);
    for (std::int64_t o = 0; o < shape_numel(out); ++o) {
      for (std::int64_t r = 0; r < g.reduced; ++r) {
        const std::int64_t i = kernels::strided_offset(g.kept, o) + kernels::strided_offset(g.summed, r);
        REQUIRE(i >= 0);
        REQUIRE(i < shape_numel(x));
        ++visits[static_cast<std::size_t>(i)];
        REQUIRE(broadcast_source(coordinates(i, x), out) == o);
      }
    }
    for (int v : visits) REQUIRE(v == 1);
  }
}
