#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "symmetric_eigen.hpp"
#include "evaluation/rotations.hpp"

using nn::evaluation::detail::symmetric_eigen;
using nn::evaluation::detail::symmetric_sqrt;

namespace {

// An orthogonal 4x4 matrix: a Givens rotation in the (0, 1) plane, then one in
// the (1, 3) plane, then one in the (2, 3) plane.
std::vector<double> rotation4() { return nn::testing::rotation4({{0, 1, 0.7}, {1, 3, -1.1}, {2, 3, 0.4}}); }

// q diag(d) q^T.
std::vector<double> rotated_diagonal(const std::vector<double>& q, const std::vector<double>& d) {
  const int n = static_cast<int>(d.size());
  std::vector<double> m(static_cast<std::size_t>(n * n), 0.0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k) m[i * n + j] += q[i * n + k] * d[k] * q[j * n + k];
  return m;
}

}  // namespace

TEST_CASE("symmetric_eigen finds the eigenvalues and eigenvectors of a rotated diagonal matrix", "[eigen]") {
  const std::vector<double> d = {5.0, 0.25, -2.0, 1.5};
  const std::vector<double> m = rotated_diagonal(rotation4(), d);
  REQUIRE(std::abs(m[0 * 4 + 1]) > 0.1);  // the test matrix is far from diagonal

  const auto e = symmetric_eigen(m, 4);
  std::vector<double> values = e.values, expected = d;
  std::sort(values.begin(), values.end());
  std::sort(expected.begin(), expected.end());
  for (int k = 0; k < 4; ++k) CHECK(values[k] == Approx(expected[k]).margin(1e-12));
  // Each column k satisfies m v = lambda v and has unit length.
  for (int k = 0; k < 4; ++k) {
    double norm2 = 0;
    for (int i = 0; i < 4; ++i) {
      double mv = 0;
      for (int j = 0; j < 4; ++j) mv += m[i * 4 + j] * e.vectors[j * 4 + k];
      CHECK(mv == Approx(e.values[k] * e.vectors[i * 4 + k]).margin(1e-12));
      norm2 += e.vectors[i * 4 + k] * e.vectors[i * 4 + k];
    }
    CHECK(norm2 == Approx(1.0).margin(1e-12));
  }
}

TEST_CASE("symmetric_eigen of a diagonal and of a 1x1 matrix returns the entries", "[eigen]") {
  const auto diagonal = symmetric_eigen({3.0, 0.0, 0.0, -1.0}, 2);
  CHECK(diagonal.values == std::vector<double>{3.0, -1.0});
  CHECK(symmetric_eigen({7.5}, 1).values == std::vector<double>{7.5});
}

TEST_CASE("symmetric_sqrt squares back to the matrix and clamps negative rounding to zero", "[eigen]") {
  const std::vector<double> q = rotation4();
  const std::vector<double> m = rotated_diagonal(q, {4.0, 9.0, 0.0, 2.25});
  const std::vector<double> root = symmetric_sqrt(m, 4);
  const std::vector<double> expected = rotated_diagonal(q, {2.0, 3.0, 0.0, 1.5});
  for (int i = 0; i < 16; ++i) CHECK(root[i] == Approx(expected[i]).margin(1e-7));

  // An eigenvalue of -1e-18 (rounding in a covariance) has square root 0.
  const std::vector<double> nearly_singular = rotated_diagonal(q, {1.0, 1.0, -1e-18, 1.0});
  const std::vector<double> root2 = symmetric_sqrt(nearly_singular, 4);
  for (int i = 0; i < 16; ++i) CHECK(std::isfinite(root2[i]));
  const std::vector<double> expected2 = rotated_diagonal(q, {1.0, 1.0, 0.0, 1.0});
  for (int i = 0; i < 16; ++i) CHECK(root2[i] == Approx(expected2[i]).margin(1e-7));
}

TEST_CASE("symmetric_eigen rejects values that do not fill an n x n matrix", "[eigen]") {
  CHECK_THROWS_WITH(symmetric_eigen({1.0, 2.0, 3.0}, 2), Catch::Matchers::Contains("symmetric_eigen"));
}
