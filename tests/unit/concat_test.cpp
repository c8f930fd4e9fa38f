#include <catch2/catch.hpp>

#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

TEMPLATE_TEST_CASE("concat joins known values along dims 0, 1 and -1", "[concat]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor a = from_vector<double>({1, 2, 3, 4}, {2, 2}, opts);
  const Tensor b = from_vector<double>({5, 6}, {1, 2}, opts);
  const Tensor c = from_vector<double>({7, 8}, {2, 1}, opts);
  const Tensor rows = concat({a, b}, 0);
  CHECK(rows.shape() == Shape{3, 2});
  CHECK(rows.to_vector<double>() == std::vector<double>{1, 2, 3, 4, 5, 6});
  const Tensor cols = concat({a, c, a}, 1);
  CHECK(cols.shape() == Shape{2, 5});
  CHECK(cols.to_vector<double>() == std::vector<double>{1, 2, 7, 1, 2, 3, 4, 8, 3, 4});
  CHECK(concat({c, a}, -1).to_vector<double>() == std::vector<double>{7, 1, 2, 8, 3, 4});
  CHECK(concat({a}, 0).to_vector<double>() == a.to_vector<double>());
}

TEMPLATE_TEST_CASE("concat on NCHW channels matches a naive reference", "[concat]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  manual_seed(5);
  // The large case takes the parallel path.
  const std::int64_t hw = GENERATE(6, 4096);
  const std::int64_t n = 3, ca = 2, cb = 3;
  const Tensor a = uniform({n, ca, hw, 1}, -1, 1, opts), b = uniform({n, cb, hw, 1}, -1, 1, opts);
  const std::vector<double> av = a.to_vector<double>(), bv = b.to_vector<double>();
  std::vector<double> want;
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t k = 0; k < ca * hw; ++k) want.push_back(av[i * ca * hw + k]);
    for (std::int64_t k = 0; k < cb * hw; ++k) want.push_back(bv[i * cb * hw + k]);
  }
  const Tensor y = concat({a, b}, 1);
  CHECK(y.shape() == Shape{n, ca + cb, hw, 1});
  CHECK(y.to_vector<double>() == want);
}

TEST_CASE("concat backward hands each input its slice of the gradient", "[concat]") {
  const TensorOptions opts = TensorOptions().dtype(Dtype::f64);
  Tensor a = uniform({2, 1}, -1, 1, opts).set_requires_grad(true);
  const Tensor b = uniform({2, 2}, -1, 1, opts);
  Tensor c = uniform({2, 1}, -1, 1, opts).set_requires_grad(true);
  const Tensor g = from_vector<double>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4}, opts);
  concat({a, b, c}, 1).backward(g);
  CHECK(a.grad().to_vector<double>() == std::vector<double>{1, 5});
  CHECK(c.grad().to_vector<double>() == std::vector<double>{4, 8});
  CHECK_FALSE(b.grad().defined());
}

TEST_CASE("concat rejects bad arguments with the op and shapes in the message", "[concat][errors]") {
  CHECK_THROWS_WITH(concat({}, 0), Contains("concat") && Contains("empty"));
  CHECK_THROWS_WITH(concat({zeros({2, 3}), zeros({2, 3, 1})}, 0),
                    Contains("concat") && Contains("[2, 3]") && Contains("[2, 3, 1]"));
  CHECK_THROWS_WITH(concat({zeros({2, 3}), zeros({4, 2})}, 0),
                    Contains("concat") && Contains("[2, 3]") && Contains("[4, 2]"));
  CHECK_THROWS_WITH(concat({zeros({2, 3}), zeros({2, 3}, TensorOptions().dtype(Dtype::f64))}, 1),
                    Contains("concat") && Contains("f64") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(concat({zeros({2, 3}), zeros({2, 3})}, 2), Contains("concat") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(concat({zeros({2, 3}), zeros({2, 3})}, -3), Contains("concat") && Contains("[2, 3]"));
  CHECK_THROWS_AS(concat({scalar(1.0), scalar(2.0)}, 0), Error);
}
