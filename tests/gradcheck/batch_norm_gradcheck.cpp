#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn;
using namespace nn::testing;

TEST_CASE("gradcheck batch_norm in training", "[gradcheck][batch_norm]") {
  check_batch_norm_training(GENERATE(Shape{4, 3}, Shape{2, 3, 2, 2}), {});
}

TEST_CASE("gradcheck batch_norm in inference", "[gradcheck][batch_norm]") {
  check_batch_norm_inference(GENERATE(Shape{3, 2}, Shape{2, 2, 2, 3}), {});
}
