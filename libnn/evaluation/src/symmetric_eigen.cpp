#include "symmetric_eigen.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "nn/error.hpp"

namespace nn::evaluation::detail {
namespace {

constexpr int kMaxSweeps = 100;

double off_diagonal_norm2(const std::vector<double>& a, std::int64_t n) {
  double s = 0;
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = i + 1; j < n; ++j) s += a[i * n + j] * a[i * n + j];
  return s;
}

// Zeroes a[p][q] (p < q) by the rotation J^T A J on rows/columns p and q and
// accumulates J into v. Works on the full symmetric matrix.
void rotate(std::vector<double>& a, std::vector<double>& v, std::int64_t n, std::int64_t p, std::int64_t q) {
  const double apq = a[p * n + q];
  const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
  // The smaller root of t^2 + 2 theta t - 1 = 0 keeps the rotation angle <= pi/4.
  const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
  const double c = 1 / std::sqrt(t * t + 1);
  const double s = t * c;
  for (std::int64_t k = 0; k < n; ++k) {
    const double akp = a[k * n + p], akq = a[k * n + q];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (std::int64_t k = 0; k < n; ++k) {
    const double apk = a[p * n + k], aqk = a[q * n + k];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  a[p * n + q] = a[q * n + p] = 0;
  for (std::int64_t k = 0; k < n; ++k) {
    const double vkp = v[k * n + p], vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

}  // namespace

SymmetricEigen symmetric_eigen(std::vector<double> a, std::int64_t n) {
  if (n < 0 || static_cast<std::int64_t>(a.size()) != n * n)
    throw Error("symmetric_eigen: expected " + std::to_string(n) + "x" + std::to_string(n) + " values, got " +
                std::to_string(a.size()));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = i + 1; j < n; ++j) a[j * n + i] = a[i * n + j];
  std::vector<double> v(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) v[i * n + i] = 1;

  double diagonal2 = 0;
  for (std::int64_t i = 0; i < n; ++i) diagonal2 += a[i * n + i] * a[i * n + i];
  const double scale2 = diagonal2 + 2 * off_diagonal_norm2(a, n);
  // Converged when the off-diagonal part is at rounding level of the whole matrix.
  const double tolerance2 = scale2 * 1e-30;
  int sweep = 0;
  for (; sweep < kMaxSweeps && off_diagonal_norm2(a, n) > tolerance2; ++sweep) {
    for (std::int64_t p = 0; p < n; ++p)
      for (std::int64_t q = p + 1; q < n; ++q)
        if (a[p * n + q] != 0) rotate(a, v, n, p, q);
  }
  if (sweep == kMaxSweeps && off_diagonal_norm2(a, n) > tolerance2)
    throw Error("symmetric_eigen: no convergence after " + std::to_string(kMaxSweeps) + " sweeps on a " +
                std::to_string(n) + "x" + std::to_string(n) + " matrix");

  SymmetricEigen out;
  out.values.resize(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) out.values[i] = a[i * n + i];
  out.vectors = std::move(v);
  return out;
}

std::vector<double> symmetric_sqrt(const std::vector<double>& matrix, std::int64_t n) {
  const SymmetricEigen e = symmetric_eigen(matrix, n);
  std::vector<double> root(static_cast<std::size_t>(n), 0.0);
  for (std::int64_t k = 0; k < n; ++k) root[k] = std::sqrt(std::max(0.0, e.values[k]));
  std::vector<double> out(static_cast<std::size_t>(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = i; j < n; ++j) {
      double s = 0;
      for (std::int64_t k = 0; k < n; ++k) s += e.vectors[i * n + k] * root[k] * e.vectors[j * n + k];
      out[i * n + j] = out[j * n + i] = s;
    }
  return out;
}

}  // namespace nn::evaluation::detail
