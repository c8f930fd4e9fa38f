// CUDA max pooling against the CPU, bit for bit: the same winners (ties go
// to the first cell in row-major order), hence the same maxima, and the same
// gradient sums in the same order. With and without padding, asymmetric
// (Keras "same") padding included.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

struct PoolCase {
  Shape x;
  Size2d kernel, stride;
  Padding2d padding;
};

const std::vector<PoolCase>& pool_cases() {
  static const std::vector<PoolCase> cases = {
      {{8, 24, 32, 32}, {2, 2}, {2, 2}, {}},
      {{8, 16, 33, 35}, {3, 3}, {2, 2}, {1, 1, 1, 1}},
      {{4, 16, 31, 30}, {3, 3}, {1, 1}, {1, 1, 1, 1}},
      {{4, 8, 29, 34}, {4, 4}, {2, 2}, {1, 2, 1, 2}},
      {{2, 8, 37, 23}, {2, 3}, {3, 2}, {0, 1, 1, 0}},
      {{3, 5, 40, 41}, {5, 2}, {1, 3}, {2, 2, 0, 1}},
  };
  return cases;
}

// Values on a grid of quarters, so that most windows hold ties.
Tensor with_ties(const Tensor& x) {
  std::vector<double> v = x.to_vector<double>();
  for (double& e : v) e = std::round(e * 4) / 4;
  return from_vector(v, x.shape(), x.options());
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA max_pool2d matches the CPU bit for bit, forward and backward", "[cuda][parity][pool]",
                   float, double) {
  const bool ties = GENERATE(false, true);
  manual_seed(81);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  for (const PoolCase& c : pool_cases()) {
    INFO("x " << shape_str(c.x) << ", kernel " << c.kernel.h << "x" << c.kernel.w << ", stride " << c.stride.h
              << "x" << c.stride.w << ", padding " << c.padding.top << " " << c.padding.bottom << " "
              << c.padding.left << " " << c.padding.right << ", ties " << ties);
    const Tensor x0 = uniform(c.x, -2, 2, opts);
    const Tensor x = ties ? with_ties(x0) : x0;
    Tensor x_cpu = x.clone();
    x_cpu.set_requires_grad(true);
    Tensor x_cuda = cuda_leaf(x);
    const Tensor y_cpu = max_pool2d(x_cpu, c.kernel, c.stride, c.padding);
    const Tensor y_cuda = max_pool2d(x_cuda, c.kernel, c.stride, c.padding);
    check_parity(y_cuda, y_cpu, 0, 0);

    const Tensor r = uniform(y_cpu.shape(), -1, 1, opts);
    sum(mul(y_cpu, r)).backward();
    sum(mul(y_cuda, r.to(kCuda))).backward();
    check_parity(x_cuda.grad(), x_cpu.grad(), 0, 0);
  }
}

TEMPLATE_TEST_CASE("CUDA max_pool2d without autograd matches the CPU", "[cuda][parity][pool]",
                   float, double) {
  manual_seed(82);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor x = uniform({6, 10, 27, 25}, -1, 1, opts);
  const NoGradGuard no_grad;
  for (const PoolCase& c : pool_cases()) {
    INFO("kernel " << c.kernel.h << "x" << c.kernel.w << ", stride " << c.stride.h << "x" << c.stride.w);
    check_parity(max_pool2d(x.to(kCuda), c.kernel, c.stride, c.padding), max_pool2d(x, c.kernel, c.stride, c.padding),
                 0, 0);
  }
}
