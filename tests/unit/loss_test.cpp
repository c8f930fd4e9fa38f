#include <catch2/catch.hpp>

#include <cmath>
#include <type_traits>

#include <nn/nn.hpp>

#include "support/check_close.hpp"
#include "support/dtype_options.hpp"

using namespace nn;
using namespace nn::testing;
using Catch::Matchers::Contains;

namespace {
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 2e-6 : 1e-13;
}

std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }

// d loss(pred) / d pred for a scalar-valued loss.
template <class Fn>
std::vector<double> grad_of(Fn loss, Tensor pred) {
  pred.set_requires_grad(true);
  loss(pred).backward();
  return pred.grad().to_vector<double>();
}
}  // namespace

TEMPLATE_TEST_CASE("bce clips probabilities at 1e-7 like Keras", "[loss]", float, double) {
  const TensorOptions opts = options_for<TestType>();
  const double clipped = -std::log(1e-7);  // 16.118...
  REQUIRE(clipped == Approx(16.118095650958));
  const Tensor p = from_vector<double>({0.0, 1.0}, {2}, opts);
  const Tensor y = from_vector<double>({1.0, 0.0}, {2}, opts);
  check_close(values(bce(p, y, Reduction::none)), {clipped, clipped}, 1e-6);
  CHECK(bce(p, y).item() == Approx(clipped).epsilon(1e-6));
  CHECK(bce(p, y, Reduction::sum).item() == Approx(2 * clipped).epsilon(1e-6));
  // Values beyond [0, 1] clip the same way; the right answers cost nothing.
  const Tensor outside = from_vector<double>({-0.5, 1.5, 0.0, 1.0}, {4}, opts);
  const Tensor labels = from_vector<double>({1.0, 0.0, 0.0, 1.0}, {4}, opts);
  check_close(values(bce(outside, labels, Reduction::none)), {clipped, clipped, 1e-7, 1e-7}, 1e-6);
}

TEMPLATE_TEST_CASE("bce's gradient is zero where the clip is active", "[loss]", float, double) {
  const TensorOptions opts = options_for<TestType>();
  // Clipped entries (0, 1, outside [0, 1], soft targets too) next to one inside.
  const Tensor y = from_vector<double>({1.0, 0.0, 0.5, 0.3, 1.0, 0.25}, {6}, opts);
  const Tensor p = from_vector<double>({0.0, 1.0, 0.0, 1.0, -0.2, 0.5}, {6}, opts);
  const std::vector<double> g = grad_of([&](const Tensor& q) { return bce(q, y, Reduction::sum); }, p);
  // d/dp -(y log p + (1-y) log(1-p)) = (p - y) / (p (1 - p)) = 1 at p = 0.5, y = 0.25.
  check_close(g, {0, 0, 0, 0, 0, 1.0}, tolerance<TestType>());
}

TEMPLATE_TEST_CASE("bce matches the textbook formula inside the clip range", "[loss]", float, double) {
  const TensorOptions opts = options_for<TestType>();
  manual_seed(11);
  const Tensor p = uniform({3, 5}, 0.01, 0.99, opts), y = uniform({3, 5}, 0.0, 1.0, opts);
  const std::vector<double> pv = p.to_vector<double>(), yv = y.to_vector<double>();
  std::vector<double> want, dwant;
  double total = 0;
  for (std::size_t i = 0; i < pv.size(); ++i) {
    want.push_back(-(yv[i] * std::log(pv[i]) + (1 - yv[i]) * std::log(1 - pv[i])));
    dwant.push_back((pv[i] - yv[i]) / (pv[i] * (1 - pv[i])) / static_cast<double>(pv.size()));
    total += want.back();
  }
  check_close(values(bce(p, y, Reduction::none)), want, 10 * tolerance<TestType>());
  const double mean = total / static_cast<double>(pv.size());
  CHECK(bce(p, y).item() == Approx(mean).epsilon(10 * tolerance<TestType>()));
  check_close(grad_of([&](const Tensor& q) { return bce(q, y); }, p), dwant, 10 * tolerance<TestType>());
}

TEMPLATE_TEST_CASE("bce_with_logits is finite at |x| = 100", "[loss]", float, double) {
  const TensorOptions opts = options_for<TestType>();
  const Tensor x = from_vector<double>({100.0, -100.0, 100.0, -100.0}, {4}, opts);
  const Tensor y = from_vector<double>({1.0, 0.0, 0.0, 1.0}, {4}, opts);
  const std::vector<double> v = values(bce_with_logits(x, y, Reduction::none));
  CHECK(v[0] == Approx(0.0).margin(1e-30));
  CHECK(v[1] == Approx(0.0).margin(1e-30));
  CHECK(v[2] == Approx(100.0));
  CHECK(v[3] == Approx(100.0));
  // d/dx = sigmoid(x) - y
  check_close(grad_of([&](const Tensor& z) { return bce_with_logits(z, y, Reduction::sum); }, x),
              {0.0, 0.0, 1.0, -1.0}, tolerance<TestType>());
}

TEMPLATE_TEST_CASE("bce_with_logits equals bce of sigmoid for moderate logits", "[loss]", float, double) {
  const TensorOptions opts = options_for<TestType>();
  manual_seed(5);
  const Tensor x = uniform({4, 6}, -5.0, 5.0, opts), y = uniform({4, 6}, 0.0, 1.0, opts);
  const double tol = 50 * tolerance<TestType>();
  check_close(values(bce_with_logits(x, y, Reduction::none)),
              values(bce(sigmoid(x), y, Reduction::none)), tol);
  check_close(grad_of([&](const Tensor& z) { return bce_with_logits(z, y); }, x.clone()),
              grad_of([&](const Tensor& z) { return bce(sigmoid(z), y); }, x.clone()), tol);
}

TEMPLATE_TEST_CASE("mae and mse with weights and each reduction", "[loss]", float, double) {
  const TensorOptions opts = options_for<TestType>();
  const Tensor p = from_vector<double>({1, 2, 3, 4}, {2, 2}, opts);
  const Tensor y = from_vector<double>({1.5, 0, 3, 6}, {2, 2}, opts);
  // Differences -0.5, 2, 0, -2.
  const Tensor per_column = from_vector<double>({1, 2}, {2}, opts);   // weights 1, 2, 1, 2
  const Tensor per_row = from_vector<double>({1, 3}, {2, 1}, opts);   // weights 1, 1, 3, 3
  const double tol = tolerance<TestType>();

  check_close(values(mae(p, y, Reduction::none)), {0.5, 2, 0, 2}, tol);
  CHECK(mae(p, y).item() == Approx(4.5 / 4));
  CHECK(mae(p, y, Reduction::sum).item() == Approx(4.5));
  check_close(values(mae(p, y, Reduction::none, per_column)), {0.5, 4, 0, 4}, tol);
  CHECK(mae(p, y, Reduction::sum, per_column).item() == Approx(8.5));
  CHECK(mae(p, y, Reduction::mean, per_column).item() == Approx(8.5 / 4));
  CHECK(mae(p, y, Reduction::sum, per_row).item() == Approx(0.5 + 2 + 0 + 6));

  check_close(values(mse(p, y, Reduction::none)), {0.25, 4, 0, 4}, tol);
  CHECK(mse(p, y).item() == Approx(8.25 / 4));
  check_close(values(mse(p, y, Reduction::none, per_row)), {0.25, 4, 0, 12}, tol);
  CHECK(mse(p, y, Reduction::sum, per_column).item() == Approx(16.25));
  CHECK(mse(p, y, Reduction::mean, per_column).item() == Approx(16.25 / 4));
  CHECK(mse(p, y, Reduction::mean, scalar(2.0, opts)).item() == Approx(16.5 / 4));

  // d/dp of the weighted mean: w * 2 (p - y) / 4 and w * sign(p - y) / 4 (0 where p == y).
  check_close(grad_of([&](const Tensor& q) { return mse(q, y, Reduction::mean, per_column); }, p.clone()),
              {-0.25, 2, 0, -2}, tol);
  check_close(grad_of([&](const Tensor& q) { return mae(q, y, Reduction::mean, per_column); }, p.clone()),
              {-0.25, 0.5, 0, -0.5}, tol);
  // Reduction none takes a gradient of the prediction's shape.
  Tensor q = p.clone();
  q.set_requires_grad(true);
  mae(q, y, Reduction::none, per_row).backward(from_vector<double>({1, 2, 3, 4}, {2, 2}, opts));
  check_close(values(q.grad()), {-1, 2, 0, -12}, tol);
}

TEST_CASE("a large mean loss matches a naive double sum and repeats exactly", "[loss]") {
  manual_seed(17);
  const Tensor p = uniform({300, 400}, -1, 1), y = uniform({300, 400}, -1, 1);
  const std::vector<float> pv = p.to_vector<float>(), yv = y.to_vector<float>();
  double total = 0;
  for (std::size_t i = 0; i < pv.size(); ++i) {
    const float d = pv[i] - yv[i];
    total += static_cast<double>(d * d);
  }
  const double got = mse(p, y).item();
  CHECK(got == Approx(total / static_cast<double>(pv.size())).epsilon(1e-6));
  CHECK(mse(p, y).item() == got);
}

TEST_CASE("loss targets and weights receive no gradient", "[loss]") {
  Tensor p = from_vector<double>({0.2, 0.7}, {2});
  Tensor y = from_vector<double>({0.0, 1.0}, {2});
  Tensor w = from_vector<double>({1.0, 2.0}, {2});
  p.set_requires_grad(true);
  y.set_requires_grad(true);
  w.set_requires_grad(true);
  (bce(p, y, Reduction::mean, w) + mse(p, y, Reduction::sum, w)).backward();
  CHECK(p.grad().defined());
  CHECK_FALSE(y.grad().defined());
  CHECK_FALSE(w.grad().defined());
  // A target alone does not make the loss differentiable.
  CHECK_FALSE(mae(p.detach(), y).requires_grad());
}

TEMPLATE_TEST_CASE("label smoothing, one- and two-sided", "[loss]", float, double) {
  const TensorOptions opts = options_for<TestType>();
  const Tensor y = from_vector<double>({1, 0, 1}, {3}, opts);
  check_close(values(smooth_labels(y, 0.1)), {0.9, 0, 0.9}, tolerance<TestType>());
  check_close(values(smooth_labels(y, 0.1, Smoothing::two_sided)), {0.95, 0.05, 0.95},
              tolerance<TestType>());
  check_close(values(smooth_labels(y, 0.0, Smoothing::two_sided)), {1, 0, 1}, 0.0);
  // Linear in y with slope 1 - s.
  check_close(grad_of([](const Tensor& t) { return sum(smooth_labels(t, 0.1, Smoothing::two_sided)); },
                      y.clone()),
              {0.9, 0.9, 0.9}, tolerance<TestType>());
}

TEST_CASE("loss and smoothing misuse raises nn::Error naming the op and shapes", "[loss][errors]") {
  const Tensor a = zeros({2, 3}), b = zeros({3, 2});
  CHECK_THROWS_WITH(bce(a, b), Contains("bce") && Contains("[2, 3]") && Contains("[3, 2]"));
  CHECK_THROWS_WITH(bce_with_logits(a, b), Contains("bce_with_logits") && Contains("[3, 2]"));
  CHECK_THROWS_WITH(mse(a, a, Reduction::mean, zeros({4})),
                    Contains("mse") && Contains("[4]") && Contains("[2, 3]"));
  // Weights may broadcast to the prediction, never the other way round.
  CHECK_THROWS_WITH(mae(zeros({3}), zeros({3}), Reduction::sum, zeros({2, 3})),
                    Contains("mae") && Contains("[2, 3]") && Contains("[3]"));
  CHECK_THROWS_WITH(mae(a, zeros({2, 3}, TensorOptions().dtype(Dtype::f64))),
                    Contains("mae") && Contains("f64") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(mse(zeros({0}), zeros({0})), Contains("mse") && Contains("[0]"));
  CHECK(mse(zeros({0}), zeros({0}), Reduction::sum).item() == 0.0);
  CHECK_THROWS_WITH(smooth_labels(a, 1.5), Contains("smooth_labels") && Contains("1.5"));
  CHECK_THROWS_WITH(smooth_labels(a, -0.1), Contains("smooth_labels") && Contains("[2, 3]"));
}
