#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn::testing;

TEST_CASE("gradcheck conv2d", "[gradcheck][conv]") { check_conv2d({}); }

TEST_CASE("gradcheck conv_transpose2d", "[gradcheck][conv]") { check_conv_transpose2d({}); }

TEST_CASE("gradcheck max_pool2d", "[gradcheck][pool]") { check_max_pool2d({}); }
