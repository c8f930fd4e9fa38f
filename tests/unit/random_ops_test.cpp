#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <nn/nn.hpp>

#include "dropout_math.hpp"
#include "support/dtype_options.hpp"

using namespace nn;
using namespace nn::testing;
using Catch::Matchers::Contains;

namespace {
std::int64_t count_nonzero(const std::vector<double>& v) {
  std::int64_t n = 0;
  for (double e : v) n += e != 0.0;
  return n;
}
}  // namespace

TEMPLATE_TEST_CASE("dropout keeps about 1 - rate and scales kept values exactly", "[random][dropout]", float,
                   double) {
  using T = TestType;
  const double rate = 0.3;
  manual_seed(21);
  const Tensor x = uniform({100000}, 0.5, 1.5, options_for<T>());
  const RandomState before = random_state();
  const Tensor y = dropout(x, rate, true);
  const std::vector<T> xv = x.to_vector<T>(), yv = y.to_vector<T>();
  const T scale = static_cast<T>(1.0 / (1.0 - rate));
  std::int64_t kept = 0;
  for (std::size_t i = 0; i < xv.size(); ++i) {
    // The mask is the documented draw: uniform_at(seed, offset, i) >= rate.
    const bool keep = kernels::uniform_at<T>(before.seed, before.offset, i) >= static_cast<T>(rate);
    if (keep != (yv[i] != 0)) FAIL("element " << i << " disagrees with its draw");
    if (keep && yv[i] != xv[i] * scale) FAIL("element " << i << " is not scaled by 1/(1-rate)");
    kept += keep;
  }
  CHECK(static_cast<double>(kept) / 1e5 == Approx(1 - rate).margin(0.01));
  // The draws were reserved: the next op starts past them.
  CHECK(random_state().offset >= before.offset + 100000);
}

TEMPLATE_TEST_CASE("dropout's backward applies the forward mask", "[random][dropout]", float, double) {
  manual_seed(4);
  Tensor x = uniform({1000}, 0.5, 1.5, options_for<TestType>());
  x.set_requires_grad(true);
  const Tensor y = dropout(x, 0.5, true);
  sum(y).backward();
  const std::vector<double> yv = y.to_vector<double>(), g = x.grad().to_vector<double>();
  for (std::size_t i = 0; i < yv.size(); ++i) {
    INFO("element " << i);
    CHECK(g[i] == (yv[i] != 0 ? 2.0 : 0.0));
  }
}

TEST_CASE("dropout is the identity in eval mode and at rate 0", "[random][dropout]") {
  manual_seed(9);
  const Tensor x = uniform({64}, -1, 1);
  const RandomState before = random_state();
  CHECK(dropout(x, 0.5, false).to_vector<float>() == x.to_vector<float>());
  CHECK(dropout(x, 0.0, true).to_vector<float>() == x.to_vector<float>());
  CHECK(random_state().offset == before.offset);
}

TEST_CASE("dropout masks repeat for the same seed and offset and differ otherwise", "[random][dropout]") {
  const Tensor x = ones({4096});
  set_random_state({77, 0});
  const std::vector<float> a = dropout(x, 0.5, true).to_vector<float>();
  const std::vector<float> next = dropout(x, 0.5, true).to_vector<float>();
  set_random_state({77, 0});
  CHECK(dropout(x, 0.5, true).to_vector<float>() == a);
  set_random_state({77, 1024});
  const std::vector<float> shifted = dropout(x, 0.5, true).to_vector<float>();
  set_random_state({78, 0});
  const std::vector<float> reseeded = dropout(x, 0.5, true).to_vector<float>();
  CHECK(shifted != a);
  CHECK(next != a);
  CHECK(reseeded != a);
  CHECK(count_nonzero(std::vector<double>(a.begin(), a.end())) > 0);
}

TEST_CASE("dropout rejects rates below 0 or from 1 up", "[random][dropout][errors]") {
  const Tensor x = zeros({2, 3});
  CHECK_THROWS_WITH(dropout(x, 1.0, true), Contains("dropout") && Contains("rate") && Contains("[2, 3]"));
  CHECK_THROWS_WITH(dropout(x, -0.1, false), Contains("dropout") && Contains("-0.1"));
  CHECK_THROWS_AS(dropout(x, std::numeric_limits<double>::quiet_NaN(), true), Error);
}

TEMPLATE_TEST_CASE("gaussian_noise has the requested mean and stddev", "[random][noise]", float, double) {
  manual_seed(8);
  const Tensor x = full({100000}, 3.0, options_for<TestType>());
  const std::vector<double> v = gaussian_noise(x, 0.5, true).to_vector<double>();
  double total = 0, squares = 0;
  for (double e : v) total += e;
  const double mean = total / static_cast<double>(v.size());
  for (double e : v) squares += (e - mean) * (e - mean);
  const double stddev = std::sqrt(squares / static_cast<double>(v.size() - 1));
  CHECK(mean == Approx(3.0).margin(0.01));
  CHECK(stddev == Approx(0.5).epsilon(0.02));
}

TEST_CASE("gaussian_noise repeats for the same state, is the identity in eval, passes gradients",
          "[random][noise]") {
  Tensor x = from_vector<double>({1, 2, 3, 4}, {4});
  x.set_requires_grad(true);
  set_random_state({5, 0});
  const Tensor a = gaussian_noise(x, 1.0, true);
  set_random_state({5, 0});
  CHECK(gaussian_noise(x, 1.0, true).to_vector<double>() == a.to_vector<double>());
  CHECK(gaussian_noise(x, 1.0, true).to_vector<double>() != a.to_vector<double>());
  CHECK(a.to_vector<double>() != x.to_vector<double>());
  CHECK(gaussian_noise(x, 1.0, false).to_vector<double>() == x.to_vector<double>());
  sum(a).backward();
  CHECK(x.grad().to_vector<double>() == std::vector<double>{1, 1, 1, 1});
  CHECK_THROWS_WITH(gaussian_noise(x, -1.0, true),
                    Contains("gaussian_noise") && Contains("stddev") && Contains("[4]"));
}
