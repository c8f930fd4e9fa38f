#pragma once
// Eigen decomposition of a real symmetric matrix by the cyclic Jacobi method,
// in f64. Meant for the small dense covariance matrices of the metrics
// (D up to a few hundred); cost O(D^3) per sweep.
#include <cstdint>
#include <vector>

namespace nn::evaluation::detail {

struct SymmetricEigen {
  std::vector<double> values;   // [n], in no particular order
  std::vector<double> vectors;  // [n, n] row-major; column k is the eigenvector of values[k]
};

// `matrix` is [n, n] row-major and must be symmetric (only its upper triangle
// is read). Throws nn::Error when the sweeps do not converge.
SymmetricEigen symmetric_eigen(std::vector<double> matrix, std::int64_t n);

// The square root V diag(sqrt(max(0, l))) V^T of a symmetric positive
// semi-definite matrix; tiny negative eigenvalues from rounding count as 0.
std::vector<double> symmetric_sqrt(const std::vector<double>& matrix, std::int64_t n);

}  // namespace nn::evaluation::detail
