#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn::testing;

TEST_CASE("gradcheck concat along dim 0", "[gradcheck][concat]") { check_concat_dim0({}); }

TEST_CASE("gradcheck concat along the channel dim of NCHW", "[gradcheck][concat]") { check_concat_channels({}); }

TEST_CASE("gradcheck concat along the last dim", "[gradcheck][concat]") { check_concat_last_dim({}); }
