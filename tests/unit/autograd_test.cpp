#include <catch2/catch.hpp>

#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

TEST_CASE("backward accumulates over paths and calls", "[autograd]") {
  Tensor x = from_vector<double>({2.0}, {1}, TensorOptions().requires_grad(true));
  Tensor y = x * x + x * 3.0;  // dy/dx = 2x + 3 = 7
  sum(y).backward();
  CHECK(x.grad().to_vector<double>()[0] == Approx(7.0));
  sum(x * 2.0).backward();  // accumulates
  CHECK(x.grad().to_vector<double>()[0] == Approx(9.0));
  x.zero_grad();
  CHECK_FALSE(x.grad().defined());
}

TEST_CASE("the graph is freed after backward unless retained", "[autograd]") {
  Tensor x = from_vector<double>({1.0, 2.0}, {2}, TensorOptions().requires_grad(true));
  Tensor loss = sum(x * x);
  loss.backward(Tensor(), true);
  loss.backward();
  CHECK(x.grad().to_vector<double>() == std::vector<double>{4.0, 8.0});
  CHECK_THROWS_WITH(loss.backward(), Contains("retain_graph"));
}

TEST_CASE("no-grad guard, detach and frozen tensors stop recording", "[autograd]") {
  Tensor w = from_vector<double>({3.0}, {1}, TensorOptions().requires_grad(true));
  Tensor frozen = from_vector<double>({5.0}, {1});
  {
    NoGradGuard guard;
    CHECK_FALSE((w * 2.0).requires_grad());
  }
  CHECK((w * 2.0).requires_grad());
  CHECK_FALSE(w.detach().requires_grad());
  Tensor y = sum(w * frozen + w.detach());
  y.backward();
  CHECK(w.grad().to_vector<double>()[0] == 5.0);
  CHECK_FALSE(frozen.grad().defined());
  CHECK_THROWS_AS(sum(frozen).backward(), Error);
}

TEST_CASE("non-scalar backward needs a matching gradient", "[autograd]") {
  Tensor x = from_vector<double>({1.0, 2.0}, {2}, TensorOptions().requires_grad(true));
  Tensor y = x * 3.0;
  CHECK_THROWS_WITH(y.backward(), Contains("not a scalar"));
  CHECK_THROWS_WITH(y.backward(zeros({3})), Contains("[3]") && Contains("[2]"));
  y.backward(from_vector<double>({1.0, -1.0}, {2}));
  CHECK(x.grad().to_vector<double>() == std::vector<double>{3.0, -3.0});
}
