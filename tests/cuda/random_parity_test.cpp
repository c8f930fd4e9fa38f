// CUDA dropout and Gaussian noise against the CPU backend for the same seed:
// the Philox draws of element i are the same on both devices, so dropout
// masks, outputs and gradients are bitwise equal; the noise goes through the
// device's log and cos, so it agrees to within their rounding.
#include <catch2/catch.hpp>

#include <cmath>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

// The generator's state after the op must match too: both devices reserve
// the same range.
void check_same_state(RandomState a, RandomState b) {
  CHECK(a.seed == b.seed);
  CHECK(a.offset == b.offset);
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA dropout masks and gradients equal the CPU's bitwise", "[cuda][parity][random]", float,
                   double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  for (const double rate : {0.1, 0.5, 0.9}) {
    for (const Shape& shape : {Shape{64, 32, 23, 19}, Shape{(1 << 24) + 517}}) {
      INFO("rate " << rate << ", shape " << shape_str(shape));
      manual_seed(71);
      Tensor x = uniform(shape, 0.5, 2, opts);  // never 0, so a 0 in the output is a dropped element
      x.set_requires_grad(true);
      const Tensor gx = cuda_leaf(x);
      manual_seed(72);
      const Tensor y = dropout(x, rate, true);
      const RandomState after_cpu = random_state();
      manual_seed(72);
      const Tensor gy = dropout(gx, rate, true);
      check_same_state(random_state(), after_cpu);
      check_parity(gy, y, 0, 0);
      const std::vector<double> values = y.to_vector<double>();
      std::size_t dropped = 0;
      for (const double v : values) dropped += v == 0 ? 1 : 0;
      CHECK(std::abs(static_cast<double>(dropped) / static_cast<double>(values.size()) - rate) < 0.01);
      // Backward redraws the same mask.
      const Tensor g = uniform(shape, -1, 1, opts);
      y.backward(g);
      gy.backward(g.to(kCuda));
      check_parity(gx.grad(), x.grad(), 0, 0);
    }
  }
}

TEMPLATE_TEST_CASE("CUDA gaussian_noise draws the CPU's noise", "[cuda][parity][random]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  // A few ulps of the device's log and cos, scaled by the largest normal
  // draw (about 6) and the stddev.
  const double tol = sizeof(TestType) == 4 ? 1e-5 : 1e-13;
  for (const Shape& shape : {Shape{64, 32, 23, 19}, Shape{(1 << 24) + 517}}) {
    INFO("shape " << shape_str(shape));
    manual_seed(73);
    Tensor x = uniform(shape, -1, 1, opts);
    x.set_requires_grad(true);
    const Tensor gx = cuda_leaf(x);
    manual_seed(74);
    const Tensor y = gaussian_noise(x, 0.5, true);
    const RandomState after_cpu = random_state();
    manual_seed(74);
    const Tensor gy = gaussian_noise(gx, 0.5, true);
    check_same_state(random_state(), after_cpu);
    check_parity(gy, y, tol, tol);
    const Tensor g = uniform(shape, -1, 1, opts);
    y.backward(g);
    gy.backward(g.to(kCuda));
    check_parity(gx.grad(), x.grad(), 0, 0);
  }
}

TEST_CASE("CUDA dropout and noise are identities outside training", "[cuda][parity][random]") {
  const Tensor x = uniform({1000}, -1, 1, TensorOptions().device(kCuda));
  const RandomState before = random_state();
  check_parity(dropout(x, 0.5, false), x.to(Device::cpu()), 0, 0);
  check_parity(gaussian_noise(x, 0.5, false), x.to(Device::cpu()), 0, 0);
  check_same_state(random_state(), before);
}
