// Elementwise arithmetic with broadcasting on every device and dtype, against
// a naive reference computed in double on the host.
#include <catch2/catch.hpp>

#include <cmath>
#include <utility>

#include "support/device_types.hpp"
#include "support/naive.hpp"

using namespace nn;
using nn::testing::naive_broadcast;
using nn::testing::naive_sum_to;

namespace {

// Random values on the CPU, moved to the case's device.
template <class Case>
Tensor random_on(const Shape& shape, double low, double high) {
  return uniform(shape, low, high, TensorOptions().dtype(dtype_of<typename Case::Scalar>())).to(Case::device());
}

void check_close(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(std::abs(got[i] - want[i]) <= tol * (1 + std::abs(want[i])));
  }
}

}  // namespace

TEMPLATE_TEST_CASE("binary ops broadcast like a naive reference", "[typed][elementwise]", NN_DEVICE_DTYPES) {
  manual_seed(11);
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{2, 3, 4}, {2, 3, 4}}, {{2, 3, 4}, {}},        {{}, {2, 3, 4}},          {{2, 3, 4}, {4}},
      {{2, 3, 4}, {3, 1}},    {{3, 1}, {1, 4}},       {{2, 1, 4, 1}, {3, 1, 5}}, {{1, 2, 1, 1}, {4, 2, 3, 3}},
      {{0, 3}, {3}},          {{5, 1, 1, 1, 1, 2}, {1, 1, 1, 1, 3, 1}}};
  for (const auto& [sa, sb] : cases) {
    INFO("a " << shape_str(sa) << ", b " << shape_str(sb));
    const Tensor a = random_on<TestType>(sa, -2, 2);
    const Tensor b = random_on<TestType>(sb, 0.5, 2);  // away from 0 for div
    const Shape so = broadcast_shapes("test", sa, sb);
    const std::vector<double> x = naive_broadcast(a.to_vector<double>(), sa, so);
    const std::vector<double> y = naive_broadcast(b.to_vector<double>(), sb, so);
    std::vector<double> sum(x.size()), diff(x.size()), prod(x.size()), quot(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      sum[i] = x[i] + y[i];
      diff[i] = x[i] - y[i];
      prod[i] = x[i] * y[i];
      quot[i] = x[i] / y[i];
    }
    const Tensor c = add(a, b);
    CHECK(c.shape() == so);
    CHECK(c.device() == TestType::device());
    check_close(c.to_vector<double>(), sum, TestType::tolerance);
    check_close(sub(a, b).to_vector<double>(), diff, TestType::tolerance);
    check_close(mul(a, b).to_vector<double>(), prod, TestType::tolerance);
    check_close(div(a, b).to_vector<double>(), quot, TestType::tolerance);
  }
}

TEMPLATE_TEST_CASE("scalar arithmetic is an affine map", "[typed][elementwise]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor x = from_vector<double>({1, -2, 3.5, 0.25, -8, 6}, {2, 3}, opts);
  CHECK(((x * 2.0) + 1.0).to_vector<double>() == std::vector<double>{3, -3, 8, 1.5, -15, 13});
  CHECK((-x).to_vector<double>() == std::vector<double>{-1, 2, -3.5, -0.25, 8, -6});
  CHECK((x / 4.0 - 0.5).to_vector<double>() == std::vector<double>{-0.25, -1, 0.375, -0.4375, -2.5, 1});
}

TEMPLATE_TEST_CASE("gradients of broadcast operands are summed back", "[typed][elementwise]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor a = from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3}, opts).set_requires_grad(true);
  const Tensor b = from_vector<double>({0.5, -1, 2}, {3}, opts).set_requires_grad(true);
  sum(mul(a, b)).backward();
  CHECK(a.grad().device() == TestType::device());
  CHECK(a.grad().to_vector<double>() == std::vector<double>{0.5, -1, 2, 0.5, -1, 2});
  CHECK(b.grad().to_vector<double>() == std::vector<double>{5, 7, 9});
}

TEMPLATE_TEST_CASE("sum_to of large broadcasts matches a naive reference", "[typed][elementwise][reduce]",
                   NN_DEVICE_DTYPES) {
  manual_seed(12);
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{4, 5}, {5}},         {{4, 5}, {4, 1}},     {{2, 3, 4, 5}, {1, 3, 1, 1}}, {{2, 3, 4}, {}},
      {{40000, 3}, {3}},     {{3, 40000}, {3, 1}}, {{7, 50, 3}, {7, 1, 3}},      {{100, 10}, {1, 10}},
      {{2, 70000}, {1, 1}},  {{0, 4}, {4}},        {{6, 1, 2}, {6, 1, 2}}};
  for (const auto& [sx, so] : cases) {
    INFO("x " << shape_str(sx) << " to " << shape_str(so));
    const Tensor x = random_on<TestType>(sx, -1, 1);
    const std::vector<double> values = x.to_vector<double>();
    std::vector<double> magnitudes(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) magnitudes[i] = std::abs(values[i]);
    const std::vector<double> want = naive_sum_to(values, sx, so);
    const std::vector<double> scale = naive_sum_to(magnitudes, sx, so);
    const Tensor y = sum_to(x, so);
    CHECK(y.shape() == so);
    const std::vector<double> got = y.to_vector<double>();
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO("element " << i);
      CHECK(std::abs(got[i] - want[i]) <= TestType::tolerance * (1 + scale[i]));
    }
  }
}
