#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <nn/nn.hpp>

#include "support/simd_build_setting.hpp"

using namespace nn;

namespace {

// Logits at 0 and tiny, both sides of |x| = ln 2 (where exp(-|x|) = 1/2 and
// the log switches form), beyond |x| = 104 (where exp(-|x|) leaves f32), the
// largest floats, and a sweep over [-120, 120].
std::vector<float> logits() {
  std::vector<float> x = {0.0f,   1e-30f,  -1e-30f, 1e-7f,  0.6931471f, 0.6931472f, -0.6931471f, -0.6931472f,
                          87.5f,  103.9f,  104.5f,  250.0f, -250.0f,    3e38f,      -3e38f};
  for (double v = -120; v <= 120; v += 0.0371) x.push_back(static_cast<float>(v));
  return x;
}

// |got - want| in units of the f32 spacing at want.
double ulps_from(float got, double want) {
  const float near = static_cast<float>(std::fabs(want));
  const double spacing = std::nextafter(near, std::numeric_limits<float>::infinity()) - near;
  return std::fabs(static_cast<double>(got) - want) / spacing;
}

double reference_term(double x, double y) { return std::max(x, 0.0) - x * y + std::log1p(std::exp(-std::fabs(x))); }
double reference_gradient(double x, double y) { return 1 / (1 + std::exp(-x)) - y; }

std::vector<nn::cpu::SimdBuild> builds() {
  const std::vector<nn::cpu::SimdBuild> runnable = nn::cpu::simd_builds();
  if (runnable.size() < 3)
    WARN("this CPU runs " << runnable.size() << " of the 3 SIMD builds; the others are not tested");
  return runnable;
}

}  // namespace

TEST_CASE("every SIMD build of f32 bce_with_logits is rounded from a double reference", "[loss]") {
  const std::vector<float> x = logits();
  const auto n = static_cast<std::int64_t>(x.size());
  for (const nn::cpu::SimdBuild build : builds()) {
    INFO("build " << static_cast<int>(build));
    const SimdBuildSetting setting(build);
    for (const float y : {0.0f, 0.3f, 1.0f}) {
      INFO("target " << y);
      Tensor logit = from_vector(x, {n}).set_requires_grad(true);
      const Tensor target = full({n}, y);
      const std::vector<float> terms = bce_with_logits(logit, target, Reduction::none).to_vector<float>();
      bce_with_logits(logit, target, Reduction::sum).backward();
      const std::vector<float> grads = logit.grad().to_vector<float>();
      double worst_term = 0, worst_grad = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        INFO("logit " << x[i]);
        worst_term = std::max(worst_term, ulps_from(terms[i], reference_term(x[i], y)));
        // sigmoid(x) - y cancels to below double's resolution near y: there
        // the reference itself is only good to 1e-16.
        const double want = reference_gradient(x[i], y);
        if (std::fabs(static_cast<double>(grads[i]) - want) > 1e-16)
          worst_grad = std::max(worst_grad, ulps_from(grads[i], want));
      }
      // Rounded once from a value good to 1e-11: the nearest f32 but where
      // the exact value lies that close to halfway between two.
      CHECK(worst_term <= 0.501);
      CHECK(worst_grad <= 0.501);
    }
  }
}

TEST_CASE("f32 bce_with_logits passes NaN logits on to the loss and the gradient", "[loss]") {
  for (const nn::cpu::SimdBuild build : builds()) {
    INFO("build " << static_cast<int>(build));
    const SimdBuildSetting setting(build);
    Tensor logit = from_vector<float>({1, std::nanf(""), -2}, {3}).set_requires_grad(true);
    const Tensor target = full({3}, 1.0f);
    const std::vector<float> terms = bce_with_logits(logit, target, Reduction::none).to_vector<float>();
    CHECK(std::isfinite(terms[0]));
    CHECK(std::isnan(terms[1]));
    bce_with_logits(logit, target, Reduction::sum).backward();
    const std::vector<float> grads = logit.grad().to_vector<float>();
    CHECK(std::isnan(grads[1]));
    CHECK(std::isfinite(grads[2]));
  }
}

TEST_CASE("f32 bce_with_logits: a shared weight scales each term, and the mean is their chunked sum", "[loss]") {
  manual_seed(23);
  // Enough elements for several sum chunks and both threads.
  const Tensor logit = uniform({300, 130}, -6, 6), target = uniform({300, 130}, 0, 1);
  const Tensor weight = full({1}, 0.75f);
  const std::vector<float> plain = bce_with_logits(logit, target, Reduction::none).to_vector<float>();
  const std::vector<float> weighted = bce_with_logits(logit, target, Reduction::none, weight).to_vector<float>();
  double total = 0;
  bool scaled = true;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    scaled = scaled && weighted[i] == 0.75f * plain[i];
    total += static_cast<double>(weighted[i]);
  }
  CHECK(scaled);
  CHECK(bce_with_logits(logit, target, Reduction::mean, weight).item() ==
        Approx(total / static_cast<double>(plain.size())).epsilon(1e-6));
  // A weight per element takes the general loop: the same values.
  const Tensor per_element = full({300, 130}, 0.75f);
  CHECK(bce_with_logits(logit, target, Reduction::none, per_element).to_vector<float>() == weighted);
}
