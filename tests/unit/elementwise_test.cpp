#include <catch2/catch.hpp>

#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

TEMPLATE_TEST_CASE("binary ops broadcast per channel and per feature", "[elementwise]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor x = from_vector<double>({1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 2, 2}, opts);
  const Tensor c = from_vector<double>({10, 100}, {1, 2, 1, 1}, opts);
  CHECK(mul(x, c).to_vector<double>() == std::vector<double>{10, 20, 30, 40, 500, 600, 700, 800});
  const Tensor m = from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3}, opts);
  const Tensor f = from_vector<double>({1, 0, -1}, {3}, opts);
  CHECK(add(m, f).to_vector<double>() == std::vector<double>{2, 2, 2, 5, 5, 5});
  CHECK((m - 1.0).to_vector<double>() == std::vector<double>{0, 1, 2, 3, 4, 5});
  CHECK(div(m, scalar(2.0, opts)).to_vector<double>() == std::vector<double>{0.5, 1, 1.5, 2, 2.5, 3});
}

TEST_CASE("reductions have known values", "[reduce]") {
  const Tensor m = from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(sum(m).item() == 21.0);
  CHECK(mean(m).item() == 3.5);
  CHECK(sum(m, {0}).to_vector<double>() == std::vector<double>{5, 7, 9});
  CHECK(sum(m, {1}).shape() == Shape{2});
  CHECK(mean(m, {1}, true).shape() == Shape{2, 1});
  CHECK(mean(m, {1}, true).to_vector<double>() == std::vector<double>{2, 5});
}

TEST_CASE("sum of many floats does not depend on thread count order", "[reduce]") {
  manual_seed(3);
  const Tensor x = uniform({100000}, -1, 1);
  const double a = sum(x).item();
  const double b = sum(x).item();
  CHECK(a == b);
  double reference = 0;
  for (float v : x.to_vector<float>()) reference += v;
  CHECK(a == Approx(reference).epsilon(1e-5));
}

namespace {

// sum_to by its definition: every element of x added to the output element
// its broadcast index reads.
std::vector<double> sum_to_loops(const Tensor& x, const Shape& out) {
  const Shape& xs = x.shape();
  const std::size_t lead = xs.size() - out.size();
  std::vector<double> y(static_cast<std::size_t>(shape_numel(out)), 0.0);
  const std::vector<double> v = x.to_vector<double>();
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    std::int64_t rest = i, target = 0, stride = 1;
    for (std::size_t k = xs.size(); k-- > 0;) {
      const std::int64_t coord = rest % xs[k];
      rest /= xs[k];
      if (k >= lead && out[k - lead] != 1) target += coord * stride;
      if (k >= lead) stride *= out[k - lead];
    }
    y[static_cast<std::size_t>(target)] += v[static_cast<std::size_t>(i)];
  }
  return y;
}

}  // namespace

TEMPLATE_TEST_CASE("sum_to matches direct loops for kept and summed dimensions anywhere", "[reduce]", float,
                   double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  // Per channel of [N, C, H, W], per feature of [N, F], all, none, and
  // patterns with several separate kept runs.
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{5, 3, 7, 9}, {1, 3, 1, 1}}, {{5, 3, 7, 9}, {3, 1, 1}}, {{37, 11}, {11}},     {{4, 6}, {1, 1}},
      {{4, 6}, {4, 6}},             {{2, 3, 4}, {2, 1, 4}},    {{2, 3, 4, 5}, {3, 1, 5}}, {{6, 1, 5}, {1, 1, 5}},
      {{3, 200, 40}, {3, 1, 1}},    {{9, 300}, {9, 1}},
  };
  manual_seed(5);
  for (const auto& [xs, out] : cases) {
    INFO(shape_str(xs) << " to " << shape_str(out));
    const Tensor x = uniform(xs, -1, 1, opts);
    const std::vector<double> want = sum_to_loops(x, out);
    const Tensor y = sum_to(x, out);
    REQUIRE(y.shape() == out);
    const std::vector<double> got = y.to_vector<double>();
    const double margin = std::is_same_v<TestType, float> ? 1e-3 : 1e-10;
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(margin));
  }
}

TEMPLATE_TEST_CASE("matmul matches a hand computation", "[matmul]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor a = from_vector<double>({1, 2, 3, 4, 5, 6}, {2, 3}, opts);
  const Tensor b = from_vector<double>({1, 0, 0, 1, 1, 1}, {3, 2}, opts);
  CHECK(matmul(a, b).to_vector<double>() == std::vector<double>{4, 5, 10, 11});
  CHECK(matmul(a, a, false, true).to_vector<double>() == std::vector<double>{14, 32, 32, 77});
  const Tensor bias = from_vector<double>({1, -1}, {2}, opts);
  const Tensor w = from_vector<double>({1, 0, 1, 0, 1, 0}, {2, 3}, opts);
  CHECK(linear(a, w, bias).to_vector<double>() == std::vector<double>{5, 1, 11, 4});
}

TEMPLATE_TEST_CASE("matmul over an empty inner dimension is zero", "[matmul]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  Tensor a = ones({3, 0}, opts).set_requires_grad(true);
  Tensor b = ones({0, 4}, opts).set_requires_grad(true);
  const Tensor c = matmul(a, b);
  CHECK(c.shape() == Shape{3, 4});
  CHECK(c.to_vector<double>() == std::vector<double>(12, 0.0));
  CHECK(matmul(a, a, true, false).to_vector<double>() == std::vector<double>{});
  sum(c).backward();
  CHECK(a.grad().shape() == Shape{3, 0});
  CHECK(b.grad().shape() == Shape{0, 4});
}

TEST_CASE("mismatched shapes and dtypes raise nn::Error naming the op and shapes", "[errors]") {
  const Tensor a = zeros({2, 3});
  CHECK_THROWS_WITH(add(a, zeros({4})), Contains("add") && Contains("[2, 3]") && Contains("[4]"));
  CHECK_THROWS_WITH(matmul(a, zeros({2, 3})), Contains("matmul") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(mul(a, zeros({2, 3}, TensorOptions().dtype(Dtype::f64))),
                    Contains("mul") && Contains("f64") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(linear(a, zeros({4, 5}), Tensor()), Contains("linear") && Contains("[4, 5]"));
  CHECK_THROWS_WITH(reshape(a, {4, 2}), Contains("reshape") && Contains("[2, 3]") && Contains("[4, 2]"));
  CHECK_THROWS_AS(sum(a, {2}), Error);
}
