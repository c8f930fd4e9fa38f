// The gradient checks of tests/gradcheck/ run on CUDA: f64 central
// differences on the device against the CUDA backward passes.
#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn;
using namespace nn::testing;

namespace {
const GradcheckOptions kCuda{.device = Device::cuda(0)};
}  // namespace

TEST_CASE("CUDA gradcheck relu and leaky_relu away from the kink", "[cuda][gradcheck][activation]") {
  check_relu_and_leaky_relu(kCuda);
}

TEST_CASE("CUDA gradcheck sigmoid and tanh", "[cuda][gradcheck][activation]") { check_sigmoid_and_tanh(kCuda); }

TEST_CASE("CUDA gradcheck dropout in training and eval mode", "[cuda][gradcheck][random]") {
  check_dropout(GENERATE(0.25, 0.5), kCuda);
}

TEST_CASE("CUDA gradcheck gaussian_noise in training and eval mode", "[cuda][gradcheck][random]") {
  check_gaussian_noise(kCuda);
}

TEST_CASE("CUDA gradcheck bce on probabilities inside the clip range", "[cuda][gradcheck][loss]") {
  check_bce(kCuda);
}

TEST_CASE("CUDA gradcheck bce_with_logits", "[cuda][gradcheck][loss]") { check_bce_with_logits(kCuda); }

TEST_CASE("CUDA gradcheck mae away from pred == target", "[cuda][gradcheck][loss]") { check_mae(kCuda); }

TEST_CASE("CUDA gradcheck mse", "[cuda][gradcheck][loss]") { check_mse(kCuda); }

TEST_CASE("CUDA gradcheck smooth_labels, one- and two-sided", "[cuda][gradcheck][loss]") {
  check_smooth_labels(GENERATE(Smoothing::one_sided, Smoothing::two_sided), kCuda);
}

TEST_CASE("CUDA gradcheck cross_entropy on class ids and probabilities, with label smoothing",
          "[cuda][gradcheck][loss]") {
  check_cross_entropy(kCuda);
}

TEST_CASE("CUDA gradcheck concat along dim 0", "[cuda][gradcheck][concat]") { check_concat_dim0(kCuda); }

TEST_CASE("CUDA gradcheck concat along the channel dim of NCHW", "[cuda][gradcheck][concat]") {
  check_concat_channels(kCuda);
}

TEST_CASE("CUDA gradcheck concat along the last dim", "[cuda][gradcheck][concat]") {
  check_concat_last_dim(kCuda);
}

TEST_CASE("CUDA gradcheck add/sub/mul/div with broadcasting", "[cuda][gradcheck][elementwise]") {
  check_binary_broadcasting(GENERATE("add", "sub", "mul", "div"), kCuda);
}

TEST_CASE("CUDA gradcheck scalar arithmetic and neg", "[cuda][gradcheck][elementwise]") {
  check_scalar_arithmetic(kCuda);
}

TEST_CASE("CUDA gradcheck sum and mean", "[cuda][gradcheck][reduce]") { check_sum_and_mean(kCuda); }

TEST_CASE("CUDA gradcheck reshape, flatten, slice_batch, dtype round trip", "[cuda][gradcheck][shape]") {
  check_shape_ops(kCuda);
}
