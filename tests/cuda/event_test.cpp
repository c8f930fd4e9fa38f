// nn::cuda::Event times GPU work on libnn's stream.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>

#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

TEST_CASE("CUDA events time queued work within the host's wall time", "[cuda][event]") {
  const Tensor a = uniform({2048, 2048}, -1, 1).to(Device::cuda(0));
  cuda::synchronize();
  cuda::Event start(0), stop(0);
  const auto wall_start = std::chrono::steady_clock::now();
  start.record();
  Tensor c = a;
  for (int i = 0; i < 8; ++i) c = matmul(c, a) * (1.0 / 64);
  stop.record();
  const double gpu_ms = stop.elapsed_ms_since(start);
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start).count();
  CHECK(std::isfinite(gpu_ms));
  // Eight 2048^3 products take well over a microsecond on any GPU.
  CHECK(gpu_ms > 1e-3);
  CHECK(gpu_ms <= wall_ms + 0.5);
  CHECK_THROWS_WITH(cuda::Event(cuda::device_count()), Contains("cuda::Event"));
}
