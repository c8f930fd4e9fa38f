// The f64 gradient checks of matmul, linear and batch norm on CUDA
// (tests/gradcheck/ holds the CPU ones): central differences through cuBLAS,
// cuDNN and the batch norm kernels against their backward passes.
#include <catch2/catch.hpp>

#include "support/gradcheck_cases.hpp"

using namespace nn;
using namespace nn::testing;

TEST_CASE("CUDA gradcheck matmul with every transpose combination", "[cuda][gradcheck][matmul]") {
  const bool transpose_a = GENERATE(false, true);
  const bool transpose_b = GENERATE(false, true);
  check_matmul(transpose_a, transpose_b, kOnCuda);
}

TEST_CASE("CUDA gradcheck linear with and without bias", "[cuda][gradcheck][matmul]") { check_linear(kOnCuda); }

TEST_CASE("CUDA gradcheck batch_norm in training", "[cuda][gradcheck][batch_norm]") {
  check_batch_norm_training(GENERATE(Shape{4, 3}, Shape{2, 3, 2, 2}), kOnCuda);
}

TEST_CASE("CUDA gradcheck batch_norm in inference", "[cuda][gradcheck][batch_norm]") {
  check_batch_norm_inference(GENERATE(Shape{3, 2}, Shape{2, 2, 2, 3}), kOnCuda);
}
