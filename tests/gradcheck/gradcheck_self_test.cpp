// The checker itself must be able to fail: ops with deliberately wrong
// backward functions are expected to be caught ([!shouldfail]).
#include <catch2/catch.hpp>

#include "support/gradcheck.hpp"

using namespace nn;

namespace {
// y = 3x with a backward that returns `factor` * g.
Tensor scaled_with_backward(const Tensor& x, double factor) {
  Tensor y = [&] {
    NoGradGuard guard;
    return x * 3.0;
  }();
  return record(y, "wrong_scale", {x}, [factor](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{g * factor};
  });
}
}  // namespace

TEST_CASE("gradcheck passes a correct custom backward", "[gradcheck][self]") {
  Tensor x = testing::random_input({2, 2});
  testing::gradcheck([](const std::vector<Tensor>& in) { return scaled_with_backward(in[0], 3.0); }, {x});
}

TEST_CASE("gradcheck catches a wrong backward", "[gradcheck][self][!shouldfail]") {
  Tensor x = testing::random_input({2, 2});
  testing::gradcheck([](const std::vector<Tensor>& in) { return scaled_with_backward(in[0], 2.9); }, {x});
}

TEST_CASE("gradcheck catches an unwritten gradient entry", "[gradcheck][self][!shouldfail]") {
  Tensor x = testing::random_input({2, 2});
  testing::gradcheck(
      [](const std::vector<Tensor>& in) {
        Tensor y = [&] {
          NoGradGuard guard;
          return in[0] * 1.0;
        }();
        return record(y, "partial", {in[0]}, [](const Tensor& g, const std::vector<bool>&) {
          Tensor out = empty(g.shape(), g.options());  // poisoned; only the first entry written
          out.data<double>()[0] = g.data<double>()[0];
          return std::vector<Tensor>{out};
        });
      },
      {x});
}
