#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn;
using namespace nn::testing;

TEST_CASE("gradcheck bce on probabilities inside the clip range", "[gradcheck][loss]") { check_bce({}); }

TEST_CASE("gradcheck bce_with_logits", "[gradcheck][loss]") { check_bce_with_logits({}); }

TEST_CASE("gradcheck mae away from pred == target", "[gradcheck][loss]") { check_mae({}); }

TEST_CASE("gradcheck mse", "[gradcheck][loss]") { check_mse({}); }

TEST_CASE("gradcheck smooth_labels, one- and two-sided", "[gradcheck][loss]") {
  check_smooth_labels(GENERATE(Smoothing::one_sided, Smoothing::two_sided), {});
}

TEST_CASE("gradcheck cross_entropy on class ids and probabilities, with label smoothing", "[gradcheck][loss]") {
  check_cross_entropy({});
}
