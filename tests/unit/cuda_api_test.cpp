// nn/cuda.hpp and nn::CudaError in every build; the parts that need a GPU are
// in tests/cuda/.
#include <catch2/catch.hpp>

#include <nn/cuda.hpp>
#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

TEST_CASE("the CUDA API answers without a device", "[cuda_api]") {
  CHECK(cuda_available() == (cuda::device_count() > 0));
  if (cuda_available()) return;
  CHECK(cuda::device_count() == 0);
  CHECK_THROWS_WITH(cuda::memory_stats(0), Contains("memory_stats") && Contains("cuda:0"));
  CHECK_NOTHROW(cuda::empty_cache());
  CHECK_NOTHROW(cuda::synchronize());
  CHECK_THROWS_WITH(cuda::Event(0), Contains("cuda::Event") && Contains("cuda:0"));
  CHECK_THROWS_WITH(ones({2}).to(Device::cuda(1)), Contains("Tensor::to") && Contains("cuda:1"));
  CHECK_THROWS_WITH(from_vector<float>({1}, {1}, TensorOptions().device(Device::cuda(0))), Contains("cuda:0"));
}

TEST_CASE("TF32 is off by default and can be switched", "[cuda_api]") {
  CHECK_FALSE(tf32_enabled());
  set_tf32(true);
  CHECK(tf32_enabled());
  set_tf32(false);
  CHECK_FALSE(tf32_enabled());
}

TEST_CASE("deterministic algorithms are on by default and can be switched", "[cuda_api]") {
  CHECK(deterministic());
  set_deterministic(false);
  CHECK_FALSE(deterministic());
  set_deterministic(true);
  CHECK(deterministic());
}

TEST_CASE("CudaError names the call, the status, the place and the device", "[cuda_api]") {
  const CudaError e("cudaMalloc(&ptr, bytes)", "cudaErrorMemoryAllocation (out of memory)", "cuda/allocator.cpp",
                    42, 1, "requested 512 bytes");
  const Error& base = e;
  CHECK_THAT(std::string(base.what()), Contains("cudaMalloc(&ptr, bytes)") && Contains("cudaErrorMemoryAllocation") &&
                                           Contains("cuda/allocator.cpp:42") && Contains("cuda:1") &&
                                           Contains("requested 512 bytes"));
  CHECK(e.call() == "cudaMalloc(&ptr, bytes)");
  CHECK(e.line() == 42);
  CHECK(e.device() == 1);
  CHECK_THAT(std::string(CudaError("cublasCreate(&h)", "CUBLAS_STATUS_NOT_INITIALIZED", "f.cpp", 1, -1).what()),
             Contains("an unknown device"));
}
