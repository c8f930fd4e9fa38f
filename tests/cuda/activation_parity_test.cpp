// CUDA activations against the CPU backend, forward and backward through
// autograd, on shapes that take many blocks (and one past the grid's limit,
// so the grid-stride loop runs more than once).
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <utility>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

using Activation = std::function<Tensor(const Tensor&)>;

const std::vector<std::pair<std::string, Activation>>& activations() {
  static const std::vector<std::pair<std::string, Activation>> all = {
      {"relu", [](const Tensor& x) { return relu(x); }},
      {"leaky_relu", [](const Tensor& x) { return leaky_relu(x, 0.2); }},
      {"sigmoid", [](const Tensor& x) { return sigmoid(x); }},
      {"tanh", [](const Tensor& x) { return tanh(x); }}};
  return all;
}

// f(x) and d sum(f(x) * w) / dx on both devices; exact where the math is a
// comparison and a product, within rounding where it calls exp or tanh.
template <class T>
void check_activation(const std::string& name, const Activation& f, const Shape& shape) {
  INFO(name << " on " << shape_str(shape));
  const TensorOptions opts = TensorOptions().dtype(dtype_of<T>());
  Tensor x = uniform(shape, -4, 4, opts);
  // Exact zeros exercise the convention at the kink.
  x.data<T>()[0] = T(0);
  const Tensor w = uniform(shape, -1, 1, opts);
  x.set_requires_grad(true);
  const Tensor gx = cuda_leaf(x);
  const Tensor y = f(x), gy = f(gx);
  sum(mul(y, w)).backward();
  sum(mul(gy, w.to(kCuda))).backward();
  const bool piecewise_linear = name == "relu" || name == "leaky_relu";
  if (piecewise_linear) {
    check_parity(gy, y, 0, 0);
    check_parity(gx.grad(), x.grad(), 0, 0);
  } else {
    check_close<T>(gy, y);
    check_close<T>(gx.grad(), x.grad());
  }
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA activations match the CPU forward and backward", "[cuda][parity][activation]", float,
                   double) {
  manual_seed(51);
  for (const auto& [name, f] : activations()) {
    check_activation<TestType>(name, f, {64, 32, 23, 19});
    check_activation<TestType>(name, f, {3, 100003});
  }
}

TEMPLATE_TEST_CASE("CUDA relu covers more elements than one grid", "[cuda][parity][activation]", float, double) {
  manual_seed(52);
  // kMaxBlocks * kThreads is 2^24; this is a little more.
  check_activation<TestType>("relu", activations()[0].second, {(1 << 24) + 4099});
}
