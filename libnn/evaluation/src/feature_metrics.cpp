#include "nn/evaluation/feature_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "nn/error.hpp"
#include "symmetric_eigen.hpp"

namespace nn::evaluation {
namespace {

// A [rows, cols] set of feature vectors on the host in f64, row-major.
struct HostMatrix {
  std::int64_t rows = 0, cols = 0;
  std::vector<double> values;
};

HostMatrix to_host(const nn::Tensor& t) { return {t.size(0), t.size(1), t.to_vector<double>()}; }

void check_feature_set(const char* op, const char* name, const nn::Tensor& t) {
  if (!t.defined()) throw Error(std::string(op) + ": " + name + " is an undefined tensor");
  if (t.dim() != 2 || t.size(0) < 2)
    throw Error(std::string(op) + ": " + name + " must be [N, D] with N >= 2 samples, got " + shape_str(t.shape()));
}

std::vector<double> column_means(const HostMatrix& m) {
  std::vector<double> mean(static_cast<std::size_t>(m.cols), 0.0);
  for (std::int64_t i = 0; i < m.rows; ++i)
    for (std::int64_t j = 0; j < m.cols; ++j) mean[j] += m.values[i * m.cols + j];
  for (double& x : mean) x /= static_cast<double>(m.rows);
  return mean;
}

// The sample covariance [D, D] with the N - 1 denominator.
std::vector<double> covariance(const HostMatrix& m, const std::vector<double>& mean) {
  const std::int64_t d = m.cols;
  std::vector<double> c(static_cast<std::size_t>(d * d), 0.0);
  std::vector<double> centred(static_cast<std::size_t>(d));
  for (std::int64_t r = 0; r < m.rows; ++r) {
    for (std::int64_t j = 0; j < d; ++j) centred[j] = m.values[r * d + j] - mean[j];
    for (std::int64_t i = 0; i < d; ++i)
      for (std::int64_t j = i; j < d; ++j) c[i * d + j] += centred[i] * centred[j];
  }
  const double denominator = static_cast<double>(m.rows - 1);
  for (std::int64_t i = 0; i < d; ++i)
    for (std::int64_t j = i; j < d; ++j) c[j * d + i] = c[i * d + j] /= denominator;
  return c;
}

// x y for [d, d] row-major matrices.
std::vector<double> matmul(const std::vector<double>& x, const std::vector<double>& y, std::int64_t d) {
  std::vector<double> out(static_cast<std::size_t>(d * d), 0.0);
  for (std::int64_t i = 0; i < d; ++i)
    for (std::int64_t k = 0; k < d; ++k) {
      const double xik = x[i * d + k];
      for (std::int64_t j = 0; j < d; ++j) out[i * d + j] += xik * y[k * d + j];
    }
  return out;
}

double trace(const std::vector<double>& m, std::int64_t d) {
  double t = 0;
  for (std::int64_t i = 0; i < d; ++i) t += m[i * d + i];
  return t;
}

}  // namespace

double frechet_distance(const nn::Tensor& a, const nn::Tensor& b) {
  check_feature_set("frechet_distance", "a", a);
  check_feature_set("frechet_distance", "b", b);
  if (a.size(1) != b.size(1))
    throw Error("frechet_distance: a " + shape_str(a.shape()) + " and b " + shape_str(b.shape()) +
                " have different feature sizes");
  const HostMatrix ha = to_host(a), hb = to_host(b);
  const std::int64_t d = ha.cols;
  const std::vector<double> mean_a = column_means(ha), mean_b = column_means(hb);
  const std::vector<double> cov_a = covariance(ha, mean_a), cov_b = covariance(hb, mean_b);

  double mean_term = 0;
  for (std::int64_t j = 0; j < d; ++j) mean_term += (mean_a[j] - mean_b[j]) * (mean_a[j] - mean_b[j]);
  // tr((Ca Cb)^1/2) = tr((Ca^1/2 Cb Ca^1/2)^1/2), whose argument is symmetric
  // positive semi-definite, so its eigenvalues are real and >= 0 up to rounding.
  const std::vector<double> root_a = detail::symmetric_sqrt(cov_a, d);
  const std::vector<double> middle = matmul(matmul(root_a, cov_b, d), root_a, d);
  double cross_term = 0;
  for (const double lambda : detail::symmetric_eigen(middle, d).values) cross_term += std::sqrt(std::max(0.0, lambda));
  return mean_term + trace(cov_a, d) + trace(cov_b, d) - 2 * cross_term;
}

double mean_pairwise_distance(const nn::Tensor& features) {
  check_feature_set("mean_pairwise_distance", "features", features);
  const HostMatrix m = to_host(features);
  double total = 0;
  for (std::int64_t i = 0; i < m.rows; ++i)
    for (std::int64_t k = i + 1; k < m.rows; ++k) {
      double s = 0;
      for (std::int64_t j = 0; j < m.cols; ++j) {
        const double diff = m.values[i * m.cols + j] - m.values[k * m.cols + j];
        s += diff * diff;
      }
      total += std::sqrt(s);
    }
  const double pairs = static_cast<double>(m.rows) * static_cast<double>(m.rows - 1) / 2;
  return total / pairs;
}

}  // namespace nn::evaluation
