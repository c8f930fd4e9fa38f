// The CUDA backend against the CPU backend on the same random inputs: larger
// shapes than the typed tests, so that every kernel runs many blocks.
#include <catch2/catch.hpp>

#include <utility>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;
using Catch::Matchers::Contains;

TEMPLATE_TEST_CASE("CUDA elementwise ops match the CPU", "[cuda][parity]", float, double) {
  manual_seed(41);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const std::vector<std::pair<Shape, Shape>> cases = {{{64, 32, 17, 19}, {64, 32, 17, 19}},
                                                      {{64, 32, 17, 19}, {1, 32, 1, 1}},
                                                      {{512, 1000}, {1000}},
                                                      {{1000, 1}, {1, 700}},
                                                      {{300000}, {}}};
  for (const auto& [sa, sb] : cases) {
    INFO("a " << shape_str(sa) << ", b " << shape_str(sb));
    const Tensor a = uniform(sa, -3, 3, opts), b = uniform(sb, 0.25, 4, opts);
    const Tensor ga = a.to(kCuda), gb = b.to(kCuda);
    check_parity(add(ga, gb), add(a, b), 0, 0);
    check_parity(sub(ga, gb), sub(a, b), 0, 0);
    check_parity(mul(ga, gb), mul(a, b), 0, 0);
    check_parity(div(ga, gb), div(a, b), 0, 0);
    check_parity(ga * 0.75 + 2.0, a * 0.75 + 2.0, 1e-6, 1e-6);
  }
}

TEMPLATE_TEST_CASE("CUDA sums match the CPU", "[cuda][parity]", float, double) {
  manual_seed(42);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const double rtol = sizeof(TestType) == 4 ? 1e-5 : 1e-12;
  const Tensor x = uniform({32, 64, 16, 16}, -1, 1, opts);
  const Tensor gx = x.to(kCuda);
  check_parity(sum(gx), sum(x), rtol * 10, rtol);
  check_parity(sum_to(gx, {1, 64, 1, 1}), sum_to(x, {1, 64, 1, 1}), rtol * 100, rtol);
  check_parity(sum_to(gx, {16, 16}), sum_to(x, {16, 16}), rtol * 100, rtol);
  check_parity(sum(gx, {0, 1}), sum(x, {0, 1}), rtol * 100, rtol);
  const Tensor big = uniform({5000000}, 0, 1, opts);
  check_parity(sum(big.to(kCuda)), sum(big), 0, rtol);
  check_parity(mean(big.to(kCuda)), mean(big), 0, rtol);
}

TEST_CASE("CUDA dtype conversion matches the CPU", "[cuda][parity]") {
  manual_seed(43);
  const Tensor x = normal({1000, 333}, 0, 100, TensorOptions().dtype(Dtype::f64));
  check_parity(x.to(kCuda).to(Dtype::f32), x.to(Dtype::f32), 0, 0);
  check_parity(x.to(Dtype::f32).to(kCuda).to(Dtype::f64), x.to(Dtype::f32).to(Dtype::f64), 0, 0);
  const Tensor on_cpu = zeros({1000, 333});
  copy_(on_cpu, x.to(kCuda));
  check_parity(on_cpu.to(kCuda), x.to(Dtype::f32), 0, 0);
}

TEST_CASE("CUDA random fills repeat for a seed and advance the generator", "[cuda][random]") {
  manual_seed(44);
  const Tensor a = uniform({1 << 20}, 0, 1, TensorOptions().device(kCuda));
  const Tensor b = uniform({1 << 20}, 0, 1, TensorOptions().device(kCuda));
  manual_seed(44);
  const Tensor c = uniform({1 << 20}, 0, 1, TensorOptions().device(kCuda));
  CHECK(a.to_vector<float>() == c.to_vector<float>());
  CHECK(a.to_vector<float>() != b.to_vector<float>());
  manual_seed(44);
  check_parity(a, uniform({1 << 20}, 0, 1), 0, 0);
}

TEST_CASE("CUDA ops refuse tensors on different devices", "[cuda]") {
  const Tensor a = ones({2}, TensorOptions().device(kCuda));
  const Tensor b = ones({2});
  CHECK_THROWS_WITH(add(a, b), Contains("add") && Contains("cpu") && Contains("cuda:0"));
  CHECK_THROWS_WITH(zeros({2}, TensorOptions().device(Device::cuda(cuda::device_count()))),
                    Contains("cuda:" + std::to_string(cuda::device_count())));
}
