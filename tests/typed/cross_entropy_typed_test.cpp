// Softmax cross-entropy and argmax on every device and dtype, against values
// worked out by hand from the definition -sum_j q_j log softmax(x)_j.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "support/device_types.hpp"

using namespace nn;

namespace {

// Rows [1, 2, 3] (class 2), [1000, 0, -1000] (class 1) and [-1000, 1000, 0]
// (class 1). A naive softmax overflows on the last two: exp(1000) is inf in
// f32 and f64 alike.
const std::vector<double> kLogits = {1, 2, 3, 1000, 0, -1000, -1000, 1000, 0};
const std::vector<double> kClasses = {2, 1, 1};

// log(e^1 + e^2 + e^3) = 3 + log(1 + e^-1 + e^-2).
double lse_123() { return 3 + std::log(1 + std::exp(-1.0) + std::exp(-2.0)); }

void check_values(const Tensor& got, const std::vector<double>& want, double tolerance) {
  const std::vector<double> v = got.to_vector<double>();
  REQUIRE(v.size() == want.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    INFO("element " << i);
    CHECK(std::isfinite(v[i]));
    CHECK(v[i] == Approx(want[i]).epsilon(tolerance).margin(tolerance));
  }
}

}  // namespace

TEMPLATE_TEST_CASE("cross_entropy of class ids has hand-computed values, huge logits included", "[typed][loss]",
                   NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor x = from_vector<double>(kLogits, {3, 3}, opts);
  const Tensor y = from_vector<double>(kClasses, {3}, opts);
  const double tol = TestType::tolerance;
  // Row 1: lse - x_2. Row 2: lse = 1000 (e^-1000 vanishes), loss 1000 - 0.
  // Row 3: lse = 1000, loss 1000 - 1000 = 0.
  const std::vector<double> plain = {lse_123() - 3, 1000, 0};
  check_values(cross_entropy(x, y, Reduction::none), plain, tol);
  check_values(cross_entropy(x, y, Reduction::sum), {plain[0] + plain[1] + plain[2]}, tol);
  check_values(cross_entropy(x, y), {(plain[0] + plain[1] + plain[2]) / 3}, tol);
  CHECK(cross_entropy(x, y).shape() == Shape{});
  CHECK(cross_entropy(x, y, Reduction::none).shape() == Shape{3});
  // Smoothing 0.1 over 3 classes: q = 0.9 onehot + 0.1/3, and since sum q = 1
  // the loss is lse - 0.9 x_k - (0.1/3) sum_j x_j.
  const double s = 0.1;
  const std::vector<double> smoothed = {lse_123() - 0.9 * 3 - s / 3 * 6, 1000 - 0.9 * 0 - s / 3 * 0,
                                        1000 - 0.9 * 1000 - s / 3 * 0};
  check_values(cross_entropy(x, y, Reduction::none, s), smoothed, tol);
  check_values(cross_entropy(x, y, Reduction::mean, s), {(smoothed[0] + smoothed[1] + smoothed[2]) / 3}, tol);
}

TEMPLATE_TEST_CASE("cross_entropy's gradient is softmax minus the smoothed target", "[typed][loss]",
                   NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  for (const double s : {0.0, 0.1}) {
    INFO("smoothing " << s);
    Tensor x = from_vector<double>(kLogits, {3, 3}, opts);
    x.set_requires_grad(true);
    cross_entropy(x, from_vector<double>(kClasses, {3}, opts), Reduction::mean, s).backward();
    const double lse = lse_123();
    const double spread = s / 3, keep = 1 - s;
    // Row 2's softmax is (1, 0, 0), row 3's (0, 1, 0); mean divides by 3 rows.
    const std::vector<double> want = {
        (std::exp(1 - lse) - spread) / 3, (std::exp(2 - lse) - spread) / 3, (std::exp(3 - lse) - keep - spread) / 3,
        (1 - spread) / 3, (0 - keep - spread) / 3, (0 - spread) / 3,
        (0 - spread) / 3, (1 - keep - spread) / 3, (0 - spread) / 3};
    CHECK(x.grad().device() == TestType::device());
    check_values(x.grad(), want, TestType::tolerance);
  }
}

TEMPLATE_TEST_CASE("cross_entropy with reduction none scales each row by its output gradient", "[typed][loss]",
                   NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  Tensor x = from_vector<double>({0, 0, 1000, 0}, {2, 2}, opts);
  x.set_requires_grad(true);
  const Tensor loss = cross_entropy(x, from_vector<double>({1, 1}, {2}, opts), Reduction::none);
  loss.backward(from_vector<double>({2, -3}, {2}, opts));
  // Row 1: softmax (1/2, 1/2), target (0, 1). Row 2: softmax (1, 0), target (0, 1).
  check_values(x.grad(), {2 * 0.5, 2 * -0.5, -3 * 1.0, -3 * -1.0}, TestType::tolerance);
}

TEMPLATE_TEST_CASE("cross_entropy takes probabilities, one-hot rows matching class ids", "[typed][loss]",
                   NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor x = from_vector<double>(kLogits, {3, 3}, opts);
  const Tensor onehot = from_vector<double>({0, 0, 1, 0, 1, 0, 0, 1, 0}, {3, 3}, opts);
  const Tensor ids = from_vector<double>(kClasses, {3}, opts);
  for (const double s : {0.0, 0.1}) {
    INFO("smoothing " << s);
    check_values(cross_entropy(x, onehot, Reduction::none, s),
                 cross_entropy(x, ids, Reduction::none, s).to_vector<double>(), TestType::tolerance);
  }
  // A soft row: -sum_j p_j (x_j - lse).
  const Tensor soft = from_vector<double>({0.2, 0.3, 0.5}, {1, 3}, opts);
  const Tensor row = from_vector<double>({1, 2, 3}, {1, 3}, opts);
  const double lse = lse_123();
  check_values(cross_entropy(row, soft, Reduction::sum),
               {0.2 * (lse - 1) + 0.3 * (lse - 2) + 0.5 * (lse - 3)}, TestType::tolerance);
}

TEMPLATE_TEST_CASE("argmax picks each row's largest column, the first on ties", "[typed][loss]", NN_DEVICE_DTYPES) {
  const TensorOptions opts = TestType::options();
  const Tensor x = from_vector<double>({1, 3, 2, 5, 5, 0, -1, -2, -0.5}, {3, 3}, opts);
  const Tensor a = argmax(x);
  CHECK(a.shape() == Shape{3});
  CHECK(a.device() == TestType::device());
  CHECK(a.to_vector<double>() == std::vector<double>{1, 0, 2});
}
