// cuBLAS matrix products against the CPU's BLAS: every transpose combination
// and linear layers, forward and backward, on shapes that no single GEMM tile
// covers; and the TF32 policy measured against an f64 reference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <nn/nn.hpp>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

// Tolerances of f32 and f64 products whose inner dimension is a few hundred.
template <class T>
constexpr double kAtol = sizeof(T) == 4 ? 1e-4 : 1e-11;
template <class T>
constexpr double kRtol = sizeof(T) == 4 ? 1e-5 : 1e-11;

// Restores the TF32 policy when the test leaves, whatever happened.
class Tf32Scope {
 public:
  Tf32Scope() : saved_(tf32_enabled()) {}
  ~Tf32Scope() { set_tf32(saved_); }
  Tf32Scope(const Tf32Scope&) = delete;
  Tf32Scope& operator=(const Tf32Scope&) = delete;

 private:
  bool saved_;
};

Tensor abs_of(const Tensor& t) {
  std::vector<double> v = t.to_vector<double>();
  for (double& e : v) e = std::abs(e);
  return from_vector(v, t.shape(), TensorOptions().dtype(Dtype::f64));
}

// max over elements of |got - want| / (|a| |b|), the scale of the rounding
// error a product of these operands can carry.
double normalised_error(const Tensor& got, const Tensor& want, const Tensor& a, const Tensor& b) {
  const std::vector<double> g = got.to_vector<double>(), w = want.to_vector<double>();
  const std::vector<double> scale = matmul(abs_of(a), abs_of(b)).to_vector<double>();
  double worst = 0;
  for (std::size_t i = 0; i < g.size(); ++i) worst = std::max(worst, std::abs(g[i] - w[i]) / scale[i]);
  return worst;
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA matmul matches the CPU for every transpose combination, forward and backward",
                   "[cuda][parity][matmul]", float, double) {
  const bool ta = GENERATE(false, true);
  const bool tb = GENERATE(false, true);
  INFO("transpose a " << ta << ", transpose b " << tb);
  manual_seed(61);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const std::int64_t m = 300, n = 260, k = 513;
  const Tensor a = uniform(ta ? Shape{k, m} : Shape{m, k}, -1, 1, opts);
  const Tensor b = uniform(tb ? Shape{n, k} : Shape{k, n}, -1, 1, opts);
  const Tensor r = uniform({m, n}, -1, 1, opts);

  Tensor a_cpu = cpu_leaf(a), b_cpu = cpu_leaf(b);
  Tensor a_cuda = cuda_leaf(a), b_cuda = cuda_leaf(b);
  const Tensor y_cpu = matmul(a_cpu, b_cpu, ta, tb), y_cuda = matmul(a_cuda, b_cuda, ta, tb);
  REQUIRE(y_cuda.shape() == Shape{m, n});
  check_named("y", y_cuda, y_cpu, kAtol<TestType>, kRtol<TestType>);

  sum(mul(y_cpu, r)).backward();
  sum(mul(y_cuda, r.to(kCuda))).backward();
  check_named("grad a", a_cuda.grad(), a_cpu.grad(), kAtol<TestType>, kRtol<TestType>);
  check_named("grad b", b_cuda.grad(), b_cpu.grad(), kAtol<TestType>, kRtol<TestType>);
}

TEMPLATE_TEST_CASE("CUDA matmul handles thin and single-row products", "[cuda][parity][matmul]", float, double) {
  manual_seed(62);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  struct Case {
    Shape a, b;
    bool ta, tb;
  };
  const std::vector<Case> cases = {{{1, 700}, {700, 1}, false, false},
                                   {{700, 1}, {1, 650}, false, false},
                                   {{1, 4000}, {3, 4000}, false, true},
                                   {{2000, 3}, {2000, 5}, true, false}};
  for (const Case& c : cases) {
    INFO("a " << shape_str(c.a) << (c.ta ? "^T" : "") << ", b " << shape_str(c.b) << (c.tb ? "^T" : ""));
    const Tensor a = uniform(c.a, -1, 1, opts), b = uniform(c.b, -1, 1, opts);
    check_named("y", matmul(a.to(kCuda), b.to(kCuda), c.ta, c.tb), matmul(a, b, c.ta, c.tb), kAtol<TestType>,
                kRtol<TestType>);
  }
  // An empty inner dimension sums nothing.
  const TensorOptions on_cuda = TensorOptions(opts).device(kCuda);
  const Tensor empty_inner = matmul(ones({17, 0}, on_cuda), ones({0, 9}, on_cuda));
  REQUIRE(empty_inner.shape() == Shape{17, 9});
  CHECK(empty_inner.to_vector<double>() == std::vector<double>(17 * 9, 0.0));
}

TEMPLATE_TEST_CASE("CUDA linear matches the CPU with and without bias, forward and backward",
                   "[cuda][parity][matmul]", float, double) {
  const bool with_bias = GENERATE(true, false);
  INFO("bias " << with_bias);
  manual_seed(63);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor x = uniform({384, 300}, -1, 1, opts), w = uniform({200, 300}, -0.5, 0.5, opts);
  const Tensor b = uniform({200}, -1, 1, opts), r = uniform({384, 200}, -1, 1, opts);

  Tensor x_cpu = cpu_leaf(x), w_cpu = cpu_leaf(w), b_cpu = cpu_leaf(b);
  Tensor x_cuda = cuda_leaf(x), w_cuda = cuda_leaf(w), b_cuda = cuda_leaf(b);
  const Tensor y_cpu = linear(x_cpu, w_cpu, with_bias ? b_cpu : Tensor());
  const Tensor y_cuda = linear(x_cuda, w_cuda, with_bias ? b_cuda : Tensor());
  check_named("y", y_cuda, y_cpu, kAtol<TestType>, kRtol<TestType>);

  sum(mul(y_cpu, r)).backward();
  sum(mul(y_cuda, r.to(kCuda))).backward();
  check_named("grad x", x_cuda.grad(), x_cpu.grad(), kAtol<TestType>, kRtol<TestType>);
  check_named("grad weight", w_cuda.grad(), w_cpu.grad(), kAtol<TestType>, kRtol<TestType>);
  if (with_bias) check_named("grad bias", b_cuda.grad(), b_cpu.grad(), kAtol<TestType>, kRtol<TestType>);
}

// Products of f32 operands against the f64 product of the same (rounded)
// values. Exact FP32 stays within a small multiple of f32's rounding, as
// the CPU does; TF32 rounds the operands to 10 mantissa bits, an error two
// orders of magnitude larger that the exact bound would catch.
TEST_CASE("CUDA f32 matmul is exact FP32 unless TF32 is enabled", "[cuda][parity][matmul][tf32]") {
  const Tf32Scope restore;
  manual_seed(64);
  const Tensor a32 = uniform({512, 1024}, -1, 1), b32 = uniform({1024, 384}, -1, 1);
  const Tensor a = a32.to(Dtype::f64), b = b32.to(Dtype::f64);
  const Tensor reference = matmul(a, b);

  const double cpu_error = normalised_error(matmul(a32, b32), reference, a, b);
  set_tf32(false);
  const double exact_error = normalised_error(matmul(a32.to(kCuda), b32.to(kCuda)), reference, a, b);
  set_tf32(true);
  const double tf32_error = normalised_error(matmul(a32.to(kCuda), b32.to(kCuda)), reference, a, b);
  INFO("normalised error: CPU " << cpu_error << ", CUDA exact " << exact_error << ", CUDA TF32 " << tf32_error);
  CHECK(cpu_error <= 2e-6);
  CHECK(exact_error <= 2e-6);
  CHECK(tf32_error <= 2e-3);
  set_tf32(false);
  CHECK_FALSE(tf32_enabled());
}
