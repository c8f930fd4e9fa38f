#pragma once
// Rotations of R^4 built by hand from Givens rotations, for tests that need
// matrices with known eigenvalues (Q diag(l) Q^T has eigenvalues l).
#include <cmath>
#include <initializer_list>
#include <vector>

namespace nn::testing {

struct Givens {
  int p, r;  // the plane of the rotation
  double angle;
};

// The product of the rotations in order, row-major 4x4.
inline std::vector<double> rotation4(std::initializer_list<Givens> rotations) {
  std::vector<double> q(16, 0.0);
  for (int i = 0; i < 4; ++i) q[i * 4 + i] = 1;
  for (const Givens& g : rotations) {
    const double c = std::cos(g.angle), s = std::sin(g.angle);
    for (int i = 0; i < 4; ++i) {
      const double qp = q[i * 4 + g.p], qr = q[i * 4 + g.r];
      q[i * 4 + g.p] = c * qp - s * qr;
      q[i * 4 + g.r] = s * qp + c * qr;
    }
  }
  return q;
}

}  // namespace nn::testing
