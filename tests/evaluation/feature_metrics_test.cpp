#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "nn/error.hpp"
#include "nn/evaluation/feature_metrics.hpp"
#include "nn/tensor.hpp"
#include "evaluation/rotations.hpp"

using nn::evaluation::frechet_distance;
using nn::evaluation::mean_pairwise_distance;
using Catch::Matchers::Contains;

namespace {

const nn::TensorOptions kF64 = nn::TensorOptions().dtype(nn::Dtype::f64);

// Row-major [rows, cols] values on the host.
struct Samples {
  int rows = 0, cols = 0;
  std::vector<double> v;
  double& at(int r, int c) { return v[static_cast<std::size_t>(r * cols + c)]; }
  nn::Tensor tensor() const { return nn::from_vector<double>(v, {rows, cols}, kF64); }
};

Samples gaussian(int rows, int cols, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal;
  Samples s{rows, cols, std::vector<double>(static_cast<std::size_t>(rows * cols))};
  for (double& x : s.v) x = normal(engine);
  return s;
}

// Gaussian draws made exactly white: every column has mean 0, the columns are
// orthogonal, and each has sample variance 1 (denominator rows - 1).
Samples white(int rows, int cols, std::uint64_t seed) {
  Samples s = gaussian(rows, cols, seed);
  for (int c = 0; c < cols; ++c) {
    double mean = 0;
    for (int r = 0; r < rows; ++r) mean += s.at(r, c);
    for (int r = 0; r < rows; ++r) s.at(r, c) -= mean / rows;
    for (int p = 0; p < c; ++p) {  // modified Gram-Schmidt against the earlier columns
      double dot = 0;
      for (int r = 0; r < rows; ++r) dot += s.at(r, c) * s.at(r, p);
      for (int r = 0; r < rows; ++r) s.at(r, c) -= dot * s.at(r, p);
    }
    double norm2 = 0;
    for (int r = 0; r < rows; ++r) norm2 += s.at(r, c) * s.at(r, c);
    for (int r = 0; r < rows; ++r) s.at(r, c) /= std::sqrt(norm2);
  }
  for (double& x : s.v) x *= std::sqrt(rows - 1.0);
  return s;
}

// Rows x -> mean + q diag(sqrt(variances)) x: sample mean `mean`, sample
// covariance q diag(variances) q^T when x is white.
Samples transform(const Samples& x, const std::vector<double>& q, const std::vector<double>& variances,
                  const std::vector<double>& mean) {
  const int d = x.cols;
  Samples y{x.rows, d, std::vector<double>(x.v.size())};
  for (int r = 0; r < x.rows; ++r)
    for (int i = 0; i < d; ++i) {
      double s = mean[i];
      for (int k = 0; k < d; ++k) s += q[i * d + k] * std::sqrt(variances[k]) * x.v[r * d + k];
      y.at(r, i) = s;
    }
  return y;
}

std::vector<double> identity(int d) {
  std::vector<double> q(static_cast<std::size_t>(d * d), 0.0);
  for (int i = 0; i < d; ++i) q[i * d + i] = 1;
  return q;
}

// A rotation of R^4 by hand: two Givens rotations in disjoint planes, then a
// third coupling them.
std::vector<double> rotation4() { return nn::testing::rotation4({{0, 1, 0.6}, {2, 3, -0.9}, {1, 2, 1.3}}); }

double squared_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

}  // namespace

TEST_CASE("frechet_distance of a set with itself is 0", "[frechet]") {
  const nn::Tensor a = gaussian(40, 6, 1).tensor();
  CHECK(std::abs(frechet_distance(a, a)) < 1e-9);
  CHECK(std::abs(frechet_distance(a, a.clone())) < 1e-9);
}

TEST_CASE("frechet_distance with diagonal covariances matches the closed form from the sample statistics",
          "[frechet]") {
  // Columns uncorrelated in the sample, so both sample covariances are diagonal.
  const std::vector<double> var_a = {0.5, 2.0, 1.0, 4.0}, var_b = {1.5, 0.3, 1.0, 9.0};
  const std::vector<double> mu_a = {0.0, 1.0, -2.0, 0.5}, mu_b = {0.3, -1.0, -2.0, 2.0};
  const Samples a = transform(white(50, 4, 2), identity(4), var_a, mu_a);
  const Samples b = transform(white(30, 4, 3), identity(4), var_b, mu_b);

  // The statistics, measured from the samples themselves.
  const auto column_stats = [](const Samples& s, int c) {
    double mean = 0, var = 0;
    for (int r = 0; r < s.rows; ++r) mean += s.v[r * s.cols + c];
    mean /= s.rows;
    for (int r = 0; r < s.rows; ++r) var += (s.v[r * s.cols + c] - mean) * (s.v[r * s.cols + c] - mean);
    return std::pair{mean, var / (s.rows - 1)};
  };
  double expected = 0;
  for (int c = 0; c < 4; ++c) {
    const auto [ma, sa] = column_stats(a, c);
    const auto [mb, sb] = column_stats(b, c);
    expected += (ma - mb) * (ma - mb) + sa + sb - 2 * std::sqrt(sa * sb);
  }
  const double by_hand = squared_distance(mu_a, mu_b) + 0.5 + 1.5 - 2 * std::sqrt(0.75) + 2.0 + 0.3 -
                         2 * std::sqrt(0.6) + 0 + 4.0 + 9.0 - 2 * 6.0;
  REQUIRE(expected == Approx(by_hand).epsilon(1e-12));
  CHECK(frechet_distance(a.tensor(), b.tensor()) == Approx(expected).epsilon(1e-10));
}

TEST_CASE("frechet_distance with commuting non-diagonal covariances", "[frechet]") {
  // Ca = Q diag(l) Q^T and Cb = Q diag(m) Q^T share eigenvectors, so
  // tr((Ca Cb)^1/2) = sum sqrt(l_i m_i).
  const std::vector<double> q = rotation4();
  const std::vector<double> l = {3.0, 0.5, 1.0, 2.0}, m = {1.0, 2.0, 4.0, 0.1};
  const std::vector<double> mu_a = {1.0, 0.0, 0.0, -1.0}, mu_b = {0.0, 0.5, 0.0, 1.0};
  const nn::Tensor a = transform(white(60, 4, 4), q, l, mu_a).tensor();
  const nn::Tensor b = transform(white(45, 4, 5), q, m, mu_b).tensor();
  double expected = squared_distance(mu_a, mu_b);
  for (int i = 0; i < 4; ++i) expected += l[i] + m[i] - 2 * std::sqrt(l[i] * m[i]);
  CHECK(frechet_distance(a, b) == Approx(expected).epsilon(1e-10));

  SECTION("against the identity covariance: tr(Ca) + D - 2 tr(Ca^1/2)") {
    const nn::Tensor unit = transform(white(45, 4, 6), identity(4), {1, 1, 1, 1}, mu_a).tensor();
    double expected_unit = 0;
    for (const double li : l) expected_unit += li + 1 - 2 * std::sqrt(li);
    CHECK(frechet_distance(a, unit) == Approx(expected_unit).epsilon(1e-10));
  }
}

TEST_CASE("frechet_distance: shifting one set by a constant adds the squared shift", "[frechet]") {
  const Samples a = gaussian(30, 5, 7), b = gaussian(25, 5, 8);
  const std::vector<double> shift = {1.0, -2.0, 0.5, 0.0, 3.0};
  Samples shifted = b;
  for (int r = 0; r < shifted.rows; ++r)
    for (int c = 0; c < 5; ++c) shifted.at(r, c) += shift[c];
  const double base = frechet_distance(a.tensor(), b.tensor());
  const double shifted_self = frechet_distance(b.tensor(), shifted.tensor());
  CHECK(shifted_self == Approx(1 + 4 + 0.25 + 9).epsilon(1e-10));

  // Against another set the mean term changes by |mu_a - mu_b - shift|^2 - |mu_a - mu_b|^2.
  std::vector<double> mean_a(5, 0.0), mean_b(5, 0.0), mean_shifted(5, 0.0);
  for (int r = 0; r < a.rows; ++r)
    for (int c = 0; c < 5; ++c) mean_a[c] += a.v[r * 5 + c] / a.rows;
  for (int r = 0; r < b.rows; ++r)
    for (int c = 0; c < 5; ++c) mean_b[c] += b.v[r * 5 + c] / b.rows;
  for (int c = 0; c < 5; ++c) mean_shifted[c] = mean_b[c] + shift[c];
  const double change = squared_distance(mean_a, mean_shifted) - squared_distance(mean_a, mean_b);
  CHECK(frechet_distance(a.tensor(), shifted.tensor()) == Approx(base + change).epsilon(1e-10));
}

TEST_CASE("frechet_distance is symmetric and positive between different sets", "[frechet]") {
  const nn::Tensor a = gaussian(20, 8, 9).tensor();
  Samples b = gaussian(35, 8, 10);
  for (double& x : b.v) x = 1.5 * x + 0.2;
  const double ab = frechet_distance(a, b.tensor()), ba = frechet_distance(b.tensor(), a);
  CHECK(ab > 0.1);
  CHECK(ab == Approx(ba).epsilon(1e-10));
}

TEST_CASE("frechet_distance reads f32 tensors in f64", "[frechet]") {
  const Samples a = gaussian(12, 3, 11), b = gaussian(15, 3, 12);
  // Values that f32 holds exactly give the same result through either dtype.
  const auto rounded = [](const Samples& s) {
    Samples r = s;
    for (double& x : r.v) x = static_cast<float>(x);
    return r;
  };
  const Samples ra = rounded(a), rb = rounded(b);
  const nn::TensorOptions f32 = nn::TensorOptions().dtype(nn::Dtype::f32);
  const nn::Tensor fa = nn::from_vector<double>(ra.v, {12, 3}, f32), fb = nn::from_vector<double>(rb.v, {15, 3}, f32);
  CHECK(frechet_distance(fa, fb) == Approx(frechet_distance(ra.tensor(), rb.tensor())).epsilon(1e-14));
}

TEST_CASE("frechet_distance rejects mismatched features, too few samples and non-matrices", "[frechet]") {
  const nn::Tensor a = gaussian(5, 3, 13).tensor();
  CHECK_THROWS_WITH(frechet_distance(a, gaussian(5, 4, 14).tensor()),
                    Contains("frechet_distance") && Contains("[5, 3]") && Contains("[5, 4]"));
  CHECK_THROWS_WITH(frechet_distance(a, gaussian(1, 3, 15).tensor()),
                    Contains("frechet_distance") && Contains("[1, 3]"));
  CHECK_THROWS_WITH(frechet_distance(nn::from_vector<double>({1, 2, 3, 4}, {4}, kF64), a),
                    Contains("frechet_distance") && Contains("[4]"));
  CHECK_THROWS_AS(frechet_distance(nn::Tensor(), a), nn::Error);
}

TEST_CASE("mean_pairwise_distance of three points", "[pairwise]") {
  // A 3-4-5 right triangle: (0,0), (3,0), (0,4).
  const nn::Tensor points = nn::from_vector<double>({0, 0, 3, 0, 0, 4}, {3, 2}, kF64);
  CHECK(mean_pairwise_distance(points) == Approx((3.0 + 4.0 + 5.0) / 3).epsilon(1e-15));
  CHECK(mean_pairwise_distance(points.to(nn::Dtype::f32)) == Approx(4.0).epsilon(1e-15));
  CHECK(mean_pairwise_distance(nn::from_vector<double>({1, 2, 1, 2}, {2, 2}, kF64)) == 0.0);
  CHECK_THROWS_WITH(mean_pairwise_distance(nn::from_vector<double>({1, 2}, {1, 2}, kF64)),
                    Contains("mean_pairwise_distance") && Contains("[1, 2]"));
}
