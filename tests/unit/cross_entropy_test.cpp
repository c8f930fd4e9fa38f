// Argument checks of cross_entropy and argmax: each names the op.
#include <catch2/catch.hpp>

#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

TEST_CASE("cross_entropy rejects class ids that are out of range or not integers", "[loss]") {
  const Tensor x = zeros({2, 3});
  CHECK_THROWS_WITH(cross_entropy(x, from_vector<double>({0, 3}, {2})),
                    Contains("cross_entropy") && Contains("holds 3 at row 1") && Contains("[0, 3)"));
  CHECK_THROWS_WITH(cross_entropy(x, from_vector<double>({-1, 0}, {2})), Contains("holds -1 at row 0"));
  CHECK_THROWS_WITH(cross_entropy(x, from_vector<double>({1.5, 0}, {2})), Contains("holds 1.5 at row 0"));
  CHECK_NOTHROW(cross_entropy(x, from_vector<double>({0, 2}, {2})));
}

TEST_CASE("cross_entropy rejects bad shapes, dtypes, smoothing and empty means", "[loss]") {
  const Tensor x = zeros({2, 3});
  CHECK_THROWS_WITH(cross_entropy(x, zeros({3})), Contains("cross_entropy") && Contains("[3]") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(cross_entropy(x, zeros({2, 4})), Contains("cross_entropy") && Contains("[2, 4]"));
  CHECK_THROWS_WITH(cross_entropy(zeros({6}), zeros({6})), Contains("cross_entropy") && Contains("2 dimensions"));
  CHECK_THROWS_WITH(cross_entropy(x, zeros({2}, TensorOptions().dtype(Dtype::f64))),
                    Contains("cross_entropy") && Contains("f64"));
  CHECK_THROWS_WITH(cross_entropy(x, zeros({2}), Reduction::mean, 1.5),
                    Contains("cross_entropy") && Contains("smoothing 1.5"));
  CHECK_THROWS_WITH(cross_entropy(x, zeros({2}), Reduction::mean, -0.1), Contains("smoothing -0.1"));
  CHECK_THROWS_WITH(cross_entropy(zeros({0, 3}), zeros({0})), Contains("cross_entropy") && Contains("[0, 3]"));
  CHECK(cross_entropy(zeros({0, 3}), zeros({0}), Reduction::sum).item() == 0.0);
  CHECK_THROWS_WITH(cross_entropy(zeros({2, 0}), zeros({2})), Contains("no classes"));
}

TEST_CASE("argmax rejects inputs that are not [N, C] with C >= 1", "[loss]") {
  CHECK_THROWS_WITH(argmax(zeros({3})), Contains("argmax") && Contains("2 dimensions"));
  CHECK_THROWS_WITH(argmax(zeros({3, 0})), Contains("argmax") && Contains("[3, 0]"));
}
