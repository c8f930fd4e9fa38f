// Sums and means on every device and dtype, against double sums on the host.
#include <catch2/catch.hpp>

#include <cmath>

#include "support/device_types.hpp"

using namespace nn;

TEMPLATE_TEST_CASE("sum of all elements matches a double reference", "[typed][reduce]", NN_DEVICE_DTYPES) {
  manual_seed(21);
  for (const std::int64_t n : {std::int64_t{1}, std::int64_t{255}, std::int64_t{4097}, std::int64_t{300001}}) {
    INFO("n = " << n);
    const Tensor x =
        uniform({n}, -1, 3, TensorOptions().dtype(dtype_of<typename TestType::Scalar>())).to(TestType::device());
    double want = 0, magnitude = 0;
    for (double v : x.to_vector<double>()) {
      want += v;
      magnitude += std::abs(v);
    }
    const Tensor s = sum(x);
    CHECK(s.shape() == Shape{});
    CHECK(std::abs(s.item() - want) <= TestType::tolerance * magnitude);
    CHECK(sum(x).item() == s.item());  // deterministic
    CHECK(std::abs(mean(x).item() - want / static_cast<double>(n)) <=
          TestType::tolerance * magnitude / static_cast<double>(n));
  }
}

TEMPLATE_TEST_CASE("sums and means over dimensions have known values", "[typed][reduce]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor m = from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3}, opts);
  CHECK(sum(m).item() == 21.0);
  CHECK(sum(m, {0}).to_vector<double>() == std::vector<double>{5, 7, 9});
  CHECK(sum(m, {-1}, true).shape() == Shape{2, 1});
  CHECK(sum(m, {-1}, true).to_vector<double>() == std::vector<double>{6, 15});
  CHECK(mean(m, {1}).to_vector<double>() == std::vector<double>{2, 5});
  CHECK(sum(zeros({0, 3}, opts)).item() == 0.0);
}

TEMPLATE_TEST_CASE("the gradient of a sum is broadcast back", "[typed][reduce]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor x = from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3}, opts).set_requires_grad(true);
  const Tensor w = from_vector<double>({1, 10}, {2}, opts);
  sum(mul(sum(x, {1}), w)).backward();
  CHECK(x.grad().device() == TestType::device());
  CHECK(x.grad().to_vector<double>() == std::vector<double>{1, 1, 1, 10, 10, 10});
}
