#include <catch2/catch.hpp>

#include <cmath>
#include <type_traits>

#include <nn/nn.hpp>

using namespace nn;

namespace {
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 1e-6 : 1e-14;
}

// f(x) and its derivative through autograd, against naive references.
template <class T, class Op, class Ref, class DRef>
void check_activation(Op op, Ref ref, DRef dref, const std::vector<double>& xs) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<T>());
  Tensor x = from_vector(xs, {static_cast<std::int64_t>(xs.size())}, opts);
  x.set_requires_grad(true);
  const Tensor y = op(x);
  sum(y).backward();
  const std::vector<double> got = y.to_vector<double>(), grad = x.grad().to_vector<double>();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    INFO("x = " << xs[i]);
    const T xi = static_cast<T>(xs[i]);
    CHECK(got[i] == Approx(ref(xi)).epsilon(tolerance<T>()).margin(tolerance<T>()));
    CHECK(grad[i] == Approx(dref(xi)).epsilon(tolerance<T>()).margin(tolerance<T>()));
  }
}

const std::vector<double> kInputs = {-30.0, -2.0, -0.5, -0.01, 0.01, 0.5, 2.0, 30.0};
}  // namespace

TEMPLATE_TEST_CASE("leaky_relu with Keras' alpha 0.3 has known values", "[activation]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  Tensor x = from_vector<double>({-2.0, -0.5, 0.0, 1.5}, {4}, opts);
  x.set_requires_grad(true);
  const Tensor y = leaky_relu(x, 0.3);
  const std::vector<double> v = y.to_vector<double>();
  CHECK(v[0] == Approx(-0.6));
  CHECK(v[1] == Approx(-0.15));
  CHECK(v[2] == 0.0);
  CHECK(v[3] == 1.5);
  sum(y).backward();
  const std::vector<double> g = x.grad().to_vector<double>();
  CHECK(g[0] == Approx(0.3));
  CHECK(g[1] == Approx(0.3));
  CHECK(g[3] == 1.0);
}

TEMPLATE_TEST_CASE("relu, leaky_relu, sigmoid and tanh match naive references", "[activation]", float,
                   double) {
  using T = TestType;
  check_activation<T>([](const Tensor& x) { return relu(x); }, [](T x) { return x > 0 ? x : T(0); },
                      [](T x) { return x > 0 ? T(1) : T(0); }, kInputs);
  check_activation<T>([](const Tensor& x) { return leaky_relu(x, 0.2); },
                      [](T x) { return x > 0 ? x : T(0.2) * x; }, [](T x) { return x > 0 ? T(1) : T(0.2); },
                      kInputs);
  const auto logistic = [](T x) { return 1 / (1 + std::exp(-static_cast<double>(x))); };
  check_activation<T>([](const Tensor& x) { return sigmoid(x); }, logistic,
                      [&](T x) { return logistic(x) * (1 - logistic(x)); }, kInputs);
  check_activation<T>([](const Tensor& x) { return tanh(x); }, [](T x) { return std::tanh(double(x)); },
                      [](T x) { return 1 - std::tanh(double(x)) * std::tanh(double(x)); }, kInputs);
}

TEST_CASE("relu's slope at zero is taken from the negative side", "[activation]") {
  Tensor x = zeros({2}, TensorOptions().dtype(Dtype::f64));
  x.set_requires_grad(true);
  sum(relu(x) + leaky_relu(x, 0.3)).backward();
  CHECK(x.grad().to_vector<double>() == std::vector<double>{0.3, 0.3});
}

TEST_CASE("sigmoid saturates without NaN", "[activation]") {
  const Tensor x = from_vector<double>({-1000.0, 1000.0}, {2});
  CHECK(sigmoid(x).to_vector<double>() == std::vector<double>{0.0, 1.0});
  CHECK(tanh(x).to_vector<double>() == std::vector<double>{-1.0, 1.0});
}

TEST_CASE("activations of an undefined tensor raise nn::Error naming the op", "[activation][errors]") {
  CHECK_THROWS_WITH(relu(Tensor()), Catch::Matchers::Contains("relu"));
  CHECK_THROWS_WITH(sigmoid(Tensor()), Catch::Matchers::Contains("sigmoid"));
}
