#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "nn/autograd.hpp"
#include "nn/error.hpp"
#include "nn/evaluation/attribute_control.hpp"
#include "nn/tensor.hpp"

using nn::evaluation::attribute_control;
using nn::evaluation::AttributeClassifier;
using nn::evaluation::ImageGenerator;
using Catch::Matchers::Contains;

namespace {

constexpr int kN = 10, kA = 4, kZ = 4;

nn::Tensor random_matrix(int rows, int cols, std::uint64_t seed, nn::Dtype dtype, bool binary) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal;
  std::vector<double> v(static_cast<std::size_t>(rows * cols));
  for (double& x : v) x = binary ? (normal(engine) > 0 ? 1.0 : 0.0) : normal(engine);
  return nn::from_vector<double>(v, {rows, cols}, nn::TensorOptions().dtype(dtype));
}

// An "image" is a row whose first kA values the classifier reads back as the
// attribute probabilities: f(y row, z row) per attribute.
template <class PerAttribute>
ImageGenerator generator_of(PerAttribute f) {
  return [f](const nn::Tensor& y, const nn::Tensor& z) {
    const std::vector<double> hy = y.to_vector<double>(), hz = z.to_vector<double>();
    const std::int64_t n = y.size(0);
    std::vector<double> image(static_cast<std::size_t>(n * kA));
    for (std::int64_t r = 0; r < n; ++r)
      for (int a = 0; a < kA; ++a) image[r * kA + a] = f(hy[r * kA + a], hz[r * kZ + a], a);
    return nn::from_vector<double>(image, {n, kA}, nn::TensorOptions().dtype(y.dtype()).device(y.device()));
  };
}

const AttributeClassifier kReadBack = [](const nn::Tensor& images) { return images; };

}  // namespace

TEST_CASE("attribute_control: a generator that ignores y scores exactly 0.5", "[attribute_control]") {
  const nn::Tensor y = random_matrix(kN, kA, 1, nn::Dtype::f32, true);
  const nn::Tensor z = random_matrix(kN, kZ, 2, nn::Dtype::f32, false);
  const auto from_z_only = generator_of([](double, double z, int) { return 1 / (1 + std::exp(-3 * z)); });
  const auto result = attribute_control(from_z_only, kReadBack, y, z, {0, 1, 2, 3});
  CHECK(result.attributes == std::vector<int>{0, 1, 2, 3});
  for (const double accuracy : result.accuracy) CHECK(accuracy == 0.5);
  CHECK(result.macro_mean == 0.5);

  // p = 0.5 exactly counts as off: every off row right, every on row wrong.
  const AttributeClassifier undecided = [](const nn::Tensor& images) {
    return nn::full(images.shape(), 0.5, images.options());
  };
  CHECK(attribute_control(from_z_only, undecided, y, z, {1}).accuracy == std::vector<double>{0.5});
}

TEST_CASE("attribute_control: a generator that draws y, read back, scores 1, and inverting one attribute scores 0",
          "[attribute_control]") {
  const nn::Tensor y = random_matrix(kN, kA, 3, nn::Dtype::f32, true);
  const nn::Tensor z = random_matrix(kN, kZ, 4, nn::Dtype::f32, false);
  const auto draws_y = generator_of([](double y, double, int) { return y; });
  const auto faithful = attribute_control(draws_y, kReadBack, y, z, {0, 1, 2, 3});
  CHECK(faithful.accuracy == std::vector<double>{1.0, 1.0, 1.0, 1.0});
  CHECK(faithful.macro_mean == 1.0);

  const auto inverts_2 = generator_of([](double y, double, int a) { return a == 2 ? 1 - y : y; });
  const auto inverted = attribute_control(inverts_2, kReadBack, y, z, {3, 2, 0});
  CHECK(inverted.attributes == std::vector<int>{3, 2, 0});
  CHECK(inverted.accuracy == std::vector<double>{1.0, 0.0, 1.0});
  CHECK(inverted.macro_mean == Approx(2.0 / 3).epsilon(1e-15));
}

TEST_CASE("attribute_control counts p > 0.5 as on and p <= 0.5 as off, row by row", "[attribute_control]") {
  // Image value y + z: an on row is judged on when z > -0.5, an off row off
  // when z <= 0.5, so each attribute's accuracy follows from z alone.
  const nn::Tensor y = random_matrix(kN, kA, 5, nn::Dtype::f64, true);
  const nn::Tensor z = random_matrix(kN, kZ, 6, nn::Dtype::f64, false);
  const auto noisy = generator_of([](double y, double z, int) { return y + z; });
  const auto result = attribute_control(noisy, kReadBack, y, z, {0, 1, 2, 3});

  const std::vector<double> hz = z.to_vector<double>();
  std::vector<double> expected(kA, 0.0);
  for (int a = 0; a < kA; ++a) {
    for (int r = 0; r < kN; ++r) expected[a] += (hz[r * kZ + a] > -0.5) + (hz[r * kZ + a] <= 0.5);
    expected[a] /= 2 * kN;
  }
  REQUIRE(std::any_of(expected.begin(), expected.end(), [](double e) { return e > 0 && e < 1; }));
  CHECK(result.accuracy == expected);
  double mean = 0;
  for (const double e : expected) mean += e / kA;
  CHECK(result.macro_mean == Approx(mean).epsilon(1e-15));

  SECTION("chunks of 3 rows give the same figures, and no call sees more than 3 rows") {
    std::int64_t most_rows = 0, calls = 0;
    const ImageGenerator counting = [&](const nn::Tensor& cy, const nn::Tensor& cz) {
      most_rows = std::max(most_rows, cy.size(0));
      ++calls;
      return noisy(cy, cz);
    };
    const auto chunked = attribute_control(counting, kReadBack, y, z, {0, 1, 2, 3}, 3);
    CHECK(chunked.accuracy == result.accuracy);
    CHECK(chunked.macro_mean == result.macro_mean);
    CHECK(most_rows == 3);
    CHECK(calls == 4 * 2 * 4);  // 4 attributes, on and off, ceil(10 / 3) chunks
  }
}

TEST_CASE("attribute_control switches only the measured column and runs without autograd", "[attribute_control]") {
  const nn::Tensor y = random_matrix(kN, kA, 7, nn::Dtype::f32, true);
  const nn::Tensor z = random_matrix(kN, kZ, 8, nn::Dtype::f32, false);
  const std::vector<double> base = y.to_vector<double>();
  std::vector<std::vector<double>> seen;
  bool grad_mode_seen = true;
  const ImageGenerator recording = [&](const nn::Tensor& cy, const nn::Tensor&) {
    seen.push_back(cy.to_vector<double>());
    grad_mode_seen = nn::grad_mode_enabled();
    return cy;
  };
  attribute_control(recording, kReadBack, y, z, {1});
  CHECK_FALSE(grad_mode_seen);
  CHECK(nn::grad_mode_enabled());
  REQUIRE(seen.size() == 2);
  std::vector<double> column_values;
  for (const auto& batch : seen) {
    for (int r = 0; r < kN; ++r)
      for (int a = 0; a < kA; ++a)
        if (a != 1) CHECK(batch[r * kA + a] == base[r * kA + a]);
    column_values.push_back(batch[0 * kA + 1]);
    for (int r = 1; r < kN; ++r) CHECK(batch[r * kA + 1] == batch[1]);
  }
  std::sort(column_values.begin(), column_values.end());
  CHECK(column_values == std::vector<double>{0.0, 1.0});
}

TEST_CASE("attribute_control rejects bad inputs and a classifier of the wrong shape", "[attribute_control]") {
  const nn::Tensor y = random_matrix(kN, kA, 9, nn::Dtype::f32, true);
  const nn::Tensor z = random_matrix(kN, kZ, 10, nn::Dtype::f32, false);
  const auto draws_y = generator_of([](double y, double, int) { return y; });
  const nn::Tensor short_z = random_matrix(kN - 1, kZ, 11, nn::Dtype::f32, false);
  CHECK_THROWS_WITH(attribute_control(draws_y, kReadBack, y, short_z, {0}),
                    Contains("attribute_control") && Contains("[10, 4]") && Contains("[9, 4]"));
  CHECK_THROWS_WITH(attribute_control(draws_y, kReadBack, y, z, {kA}), Contains("attribute_control") && Contains("4"));
  CHECK_THROWS_WITH(attribute_control(draws_y, kReadBack, y, z, {-1}), Contains("attribute_control"));
  CHECK_THROWS_WITH(attribute_control(draws_y, kReadBack, y, z, {}), Contains("attribute_control"));
  CHECK_THROWS_WITH(attribute_control(draws_y, kReadBack, y, z, {0}, 0), Contains("attribute_control"));
  const AttributeClassifier one_column = [](const nn::Tensor& images) { return images.slice_batch(0, 1); };
  CHECK_THROWS_WITH(attribute_control(draws_y, one_column, y, z, {0}),
                    Contains("attribute_control") && Contains("[1, 4]") && Contains("[10, 4]"));
}
