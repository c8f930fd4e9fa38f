#include <catch2/catch.hpp>
#include <omp.h>

#include <cmath>
#include <type_traits>
#include <vector>

#include <nn/nn.hpp>

#include "support/check_close.hpp"

using namespace nn;
using nn::testing::check_close;
using Catch::Matchers::Contains;

namespace {

// Naive per-channel batch statistics of x viewed as [N, C, S].
struct NaiveStats {
  std::vector<double> mean, biased_var;
};

NaiveStats naive_stats(const std::vector<double>& x, std::int64_t n, std::int64_t c, std::int64_t s) {
  NaiveStats st{std::vector<double>(c, 0.0), std::vector<double>(c, 0.0)};
  for (std::int64_t ch = 0; ch < c; ++ch) {
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < s; ++j) st.mean[ch] += x[(i * c + ch) * s + j];
    st.mean[ch] /= static_cast<double>(n * s);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < s; ++j) {
        const double d = x[(i * c + ch) * s + j] - st.mean[ch];
        st.biased_var[ch] += d * d;
      }
    st.biased_var[ch] /= static_cast<double>(n * s);
  }
  return st;
}

template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 1e-5 : 1e-12;
}

}  // namespace

TEMPLATE_TEST_CASE("batch_norm training output matches a hand computation", "[batch_norm]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  // Channel 0: 1,2,3,4 (mean 2.5, biased var 1.25); channel 1: 2,4,6,8 (mean 5, var 5).
  const Tensor x = from_vector<double>({1, 2, 2, 4, 3, 6, 4, 8}, {4, 2}, opts);
  const Tensor w = from_vector<double>({2, 0.5}, {2}, opts);
  const Tensor b = from_vector<double>({1, -1}, {2}, opts);
  const double eps = 1e-5;
  const double s0 = 1 / std::sqrt(1.25 + eps), s1 = 1 / std::sqrt(5 + eps);
  const std::vector<double> want = {-1.5 * s0 * 2 + 1, -3 * s1 * 0.5 - 1, -0.5 * s0 * 2 + 1, -1 * s1 * 0.5 - 1,
                                    0.5 * s0 * 2 + 1,  1 * s1 * 0.5 - 1,  1.5 * s0 * 2 + 1,  3 * s1 * 0.5 - 1};
  check_close(batch_norm(x, w, b, {}, {}, true, 0.1, eps).to_vector<double>(), want,
                        tolerance<TestType>());
  // Without weight and bias the output is the normalised input.
  const std::vector<double> plain = {-1.5 * s0, -3 * s1, -0.5 * s0, -1 * s1, 0.5 * s0, 1 * s1, 1.5 * s0, 3 * s1};
  check_close(batch_norm(x, {}, {}, {}, {}, true, 0.1, eps).to_vector<double>(), plain,
                        tolerance<TestType>());
}

TEMPLATE_TEST_CASE("batch_norm on NCHW matches a naive reference", "[batch_norm]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  manual_seed(11);
  // The larger shapes sum in parallel: channel by channel along long rows
  // (32x32), blocks of channels over short ones (2x2).
  const Shape shape = GENERATE(Shape{3, 4, 2, 5}, Shape{8, 4, 32, 32}, Shape{128, 64, 2, 2});
  INFO("input " << shape_str(shape));
  const std::int64_t n = shape[0], c = shape[1], s = shape[2] * shape[3];
  const Tensor x = uniform(shape, -2, 3, opts);
  const Tensor w = uniform({c}, 0.5, 1.5, opts), b = uniform({c}, -1, 1, opts);
  const std::vector<double> xv = x.to_vector<double>(), wv = w.to_vector<double>(), bv = b.to_vector<double>();
  const NaiveStats st = naive_stats(xv, n, c, s);
  std::vector<double> want(xv.size());
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t ch = 0; ch < c; ++ch)
      for (std::int64_t j = 0; j < s; ++j) {
        const std::int64_t k = (i * c + ch) * s + j;
        want[k] = (xv[k] - st.mean[ch]) / std::sqrt(st.biased_var[ch] + 1e-3) * wv[ch] + bv[ch];
      }
  check_close(batch_norm(x, w, b, {}, {}, true, 0.1, 1e-3).to_vector<double>(), want,
                        std::is_same_v<TestType, float> ? 1e-4 : 1e-11);
}

TEMPLATE_TEST_CASE("batch_norm updates running statistics with the unbiased variance", "[batch_norm]", float,
                   double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor rm = zeros({2}, opts), rv = ones({2}, opts);
  // Step 1: channel 0 = 1,2,3,4 (mean 2.5, unbiased var 5/3); channel 1 = 2,4,6,8 (mean 5, var 20/3).
  const Tensor x1 = from_vector<double>({1, 2, 2, 4, 3, 6, 4, 8}, {4, 2}, opts);
  batch_norm(x1, {}, {}, rm, rv, true);
  const double rm0 = 0.1 * 2.5, rm1 = 0.1 * 5.0;
  const double rv0 = 0.9 + 0.1 * 5.0 / 3, rv1 = 0.9 + 0.1 * 20.0 / 3;
  check_close(rm.to_vector<double>(), {rm0, rm1}, tolerance<TestType>());
  check_close(rv.to_vector<double>(), {rv0, rv1}, tolerance<TestType>());
  // Step 2: channel 0 = 0,2,4,6 (mean 3, unbiased var 20/3); channel 1 = -1,-1,1,1 (mean 0, var 4/3).
  const Tensor x2 = from_vector<double>({0, -1, 2, -1, 4, 1, 6, 1}, {4, 2}, opts);
  batch_norm(x2, {}, {}, rm, rv, true);
  check_close(rm.to_vector<double>(), {0.9 * rm0 + 0.1 * 3, 0.9 * rm1}, tolerance<TestType>());
  check_close(rv.to_vector<double>(), {0.9 * rv0 + 0.1 * 20.0 / 3, 0.9 * rv1 + 0.1 * 4.0 / 3},
                        tolerance<TestType>());
}

TEMPLATE_TEST_CASE("batch_norm running statistics on NCHW with a custom momentum", "[batch_norm]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  // [2,1,1,2]: one channel holding 1,3,5,7 (mean 4, unbiased var 20/3).
  const Tensor x = from_vector<double>({1, 3, 5, 7}, {2, 1, 1, 2}, opts);
  const Tensor rm = full({1}, 2.0, opts), rv = full({1}, 3.0, opts);
  batch_norm(x, {}, {}, rm, rv, true, 0.25);
  check_close(rm.to_vector<double>(), {0.75 * 2 + 0.25 * 4}, tolerance<TestType>());
  check_close(rv.to_vector<double>(), {0.75 * 3 + 0.25 * 20.0 / 3}, tolerance<TestType>());
}

TEMPLATE_TEST_CASE("batch_norm inference uses the running statistics and leaves them alone", "[batch_norm]", float,
                   double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor rm = from_vector<double>({1, -2}, {2}, opts);
  const Tensor rv = from_vector<double>({4, 0.25}, {2}, opts);
  const Tensor w = from_vector<double>({3, 1}, {2}, opts);
  const Tensor b = from_vector<double>({0.5, 0}, {2}, opts);
  // A batch of one is fine in inference; [1,2,1,2] has two values per channel.
  const Tensor x = from_vector<double>({5, -1, -2, 0}, {1, 2, 1, 2}, opts);
  // eps = 0: channel 0 is (x - 1) / 2 * 3 + 0.5, channel 1 is (x + 2) / 0.5.
  const Tensor y = batch_norm(x, w, b, rm, rv, false, 0.1, 0.0);
  CHECK(y.to_vector<double>() == std::vector<double>{6.5, -2.5, 0, 4});
  CHECK(rm.to_vector<double>() == std::vector<double>{1, -2});
  CHECK(rv.to_vector<double>() == std::vector<double>{4, 0.25});
  const Tensor single = from_vector<double>({3, -1}, {1, 2}, opts);
  CHECK(batch_norm(single, {}, {}, rm, rv, false, 0.1, 0.0).to_vector<double>() == std::vector<double>{1, 2});
}

TEST_CASE("batch_norm backward matches the closed form", "[batch_norm]") {
  const TensorOptions opts = TensorOptions().dtype(Dtype::f64);
  // One channel, x = -1, 1 (mean 0, biased var 1), eps 0: xhat = x, y = w * x + b.
  Tensor x = from_vector<double>({-1, 1}, {2, 1}, opts).set_requires_grad(true);
  Tensor w = full({1}, 3.0, opts).set_requires_grad(true);
  Tensor b = full({1}, 0.5, opts).set_requires_grad(true);
  const Tensor g = from_vector<double>({2, 5}, {2, 1}, opts);
  batch_norm(x, w, b, {}, {}, true, 0.1, 0.0).backward(g);
  // dL/db = sum g = 7, dL/dw = sum g*xhat = 3; dx = w*invstd*(g - mean g - xhat*mean(g*xhat))
  // = 3 * (2 - 3.5 + 1.5, 5 - 3.5 - 1.5) = (0, 0).
  CHECK(b.grad().item() == Approx(7));
  CHECK(w.grad().item() == Approx(3));
  CHECK(x.grad().to_vector<double>() == std::vector<double>{0, 0});
  // Inference with running mean 0 and var 4: dx = g * w / 2.
  x.zero_grad();
  const Tensor rm = zeros({1}, opts), rv = full({1}, 4.0, opts);
  batch_norm(x, w, b, rm, rv, false, 0.1, 0.0).backward(g);
  CHECK(x.grad().to_vector<double>() == std::vector<double>{3, 7.5});
}

TEMPLATE_TEST_CASE("batch_norm backward matches the closed form on long and short rows", "[batch_norm]", float,
                   double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  manual_seed(12);
  const Shape shape = GENERATE(Shape{3, 4, 2, 5}, Shape{8, 4, 32, 32}, Shape{128, 64, 2, 2}, Shape{512, 64});
  INFO("input " << shape_str(shape));
  const std::int64_t n = shape[0], c = shape[1], s = shape.size() == 4 ? shape[2] * shape[3] : 1;
  Tensor x = uniform(shape, -2, 3, opts).set_requires_grad(true);
  Tensor w = uniform({c}, 0.5, 1.5, opts).set_requires_grad(true);
  Tensor b = uniform({c}, -1, 1, opts).set_requires_grad(true);
  const Tensor g = uniform(shape, -1, 1, opts);
  batch_norm(x, w, b, {}, {}, true, 0.1, 1e-3).backward(g);
  const std::vector<double> xv = x.to_vector<double>(), gv = g.to_vector<double>(), wv = w.to_vector<double>();
  const NaiveStats st = naive_stats(xv, n, c, s);
  const double count = static_cast<double>(n * s);
  std::vector<double> want_dx(xv.size()), want_dw(c, 0.0), want_db(c, 0.0);
  for (std::int64_t ch = 0; ch < c; ++ch) {
    const double istd = 1.0 / std::sqrt(st.biased_var[ch] + 1e-3);
    const auto at = [&](std::int64_t i, std::int64_t j) { return (i * c + ch) * s + j; };
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < s; ++j) {
        want_db[ch] += gv[at(i, j)];
        want_dw[ch] += gv[at(i, j)] * (xv[at(i, j)] - st.mean[ch]) * istd;
      }
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < s; ++j) {
        const double xhat = (xv[at(i, j)] - st.mean[ch]) * istd;
        want_dx[at(i, j)] = wv[ch] * istd * (gv[at(i, j)] - want_db[ch] / count - xhat * want_dw[ch] / count);
      }
  }
  const double tol = std::is_same_v<TestType, float> ? 2e-4 : 1e-10;
  check_close(b.grad().to_vector<double>(), want_db, tol);
  check_close(w.grad().to_vector<double>(), want_dw, tol);
  check_close(x.grad().to_vector<double>(), want_dx, tol);
}

TEST_CASE("batch_norm gives the same bits on one thread as on two", "[batch_norm]") {
  manual_seed(13);
  const Shape shape = GENERATE(Shape{8, 4, 32, 32}, Shape{128, 64, 2, 2}, Shape{512, 64});
  INFO("input " << shape_str(shape));
  const Tensor x = uniform(shape, -2, 3), g = uniform(shape, -1, 1);
  const Tensor w = uniform({shape[1]}, 0.5, 1.5), b = uniform({shape[1]}, -1, 1);
  const auto run = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    Tensor xi = x.clone().set_requires_grad(true), wi = w.clone().set_requires_grad(true);
    const Tensor rm = zeros({shape[1]}), rv = ones({shape[1]});
    const Tensor y = batch_norm(xi, wi, b, rm, rv, true, 0.1, 1e-3);
    y.backward(g);
    omp_set_num_threads(before);
    return std::vector<std::vector<float>>{y.to_vector<float>(), xi.grad().to_vector<float>(),
                                           wi.grad().to_vector<float>(), rm.to_vector<float>(),
                                           rv.to_vector<float>()};
  };
  CHECK(run(1) == run(2));
}

TEST_CASE("batch_norm running buffers stay out of the autograd graph", "[batch_norm]") {
  const Tensor x = uniform({4, 3}, -1, 1).set_requires_grad(true);
  const Tensor rm = zeros({3}), rv = ones({3});
  const Tensor y = batch_norm(x, {}, {}, rm, rv, true);
  REQUIRE(y.grad_fn());
  for (const Tensor& input : y.grad_fn()->inputs())
    CHECK((!input.defined() || (input.impl() != rm.impl() && input.impl() != rv.impl())));
  CHECK_FALSE(rm.requires_grad());
  CHECK_FALSE(rv.requires_grad());
}

TEST_CASE("batch_norm rejects bad arguments with the op and shapes in the message", "[batch_norm][errors]") {
  const Tensor x = uniform({4, 3}, -1, 1);
  CHECK_THROWS_WITH(batch_norm(uniform({4, 3, 2}, -1, 1), {}, {}, {}, {}, true),
                    Contains("batch_norm") && Contains("[4, 3, 2]"));
  CHECK_THROWS_WITH(batch_norm(x, ones({4}), {}, {}, {}, true),
                    Contains("batch_norm") && Contains("weight") && Contains("[4]") && Contains("[4, 3]"));
  CHECK_THROWS_WITH(batch_norm(x, {}, zeros({2}), {}, {}, true),
                    Contains("batch_norm") && Contains("bias") && Contains("[2]") && Contains("[4, 3]"));
  CHECK_THROWS_WITH(batch_norm(x, {}, {}, zeros({3}), ones({5}), true),
                    Contains("batch_norm") && Contains("running_var") && Contains("[5]") && Contains("[4, 3]"));
  CHECK_THROWS_WITH(batch_norm(uniform({1, 3}, -1, 1), {}, {}, {}, {}, true),
                    Contains("batch_norm") && Contains("[1, 3]"));
  CHECK_THROWS_WITH(batch_norm(uniform({1, 3, 1, 1}, -1, 1), {}, {}, {}, {}, true),
                    Contains("batch_norm") && Contains("[1, 3, 1, 1]"));
  CHECK_THROWS_WITH(batch_norm(x, {}, {}, {}, {}, false), Contains("batch_norm") && Contains("[4, 3]"));
  CHECK_THROWS_WITH(batch_norm(x, ones({3}, TensorOptions().dtype(Dtype::f64)), {}, {}, {}, true),
                    Contains("batch_norm") && Contains("f64") && Contains("[4, 3]"));
  CHECK_THROWS_AS(batch_norm(x, {}, {}, zeros({3}), {}, true), Error);
}
