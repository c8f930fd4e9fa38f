// The convolution and pooling gradient checks of tests/gradcheck/ on CUDA:
// f64 central differences through cuDNN and the pooling kernels against
// their backward passes.
#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn;
using namespace nn::testing;

TEST_CASE("CUDA gradcheck conv2d", "[cuda][gradcheck][conv]") { check_conv2d(kOnCuda); }

TEST_CASE("CUDA gradcheck conv_transpose2d", "[cuda][gradcheck][conv]") { check_conv_transpose2d(kOnCuda); }

TEST_CASE("CUDA gradcheck max_pool2d", "[cuda][gradcheck][pool]") { check_max_pool2d(kOnCuda); }
