// The CUDA caching allocator seen through nn::cuda::memory_stats.
#include <catch2/catch.hpp>

#include <nn/cuda.hpp>
#include <nn/nn.hpp>

using namespace nn;
using Catch::Matchers::Contains;

namespace {
const TensorOptions kOnCuda = TensorOptions().device(Device::cuda(0));
}  // namespace

TEST_CASE("allocator statistics follow the tensors", "[cuda][allocator]") {
  cuda::synchronize();
  const cuda::MemoryStats before = cuda::memory_stats(0);
  {
    const Tensor t = empty({1000}, kOnCuda);  // 4000 bytes, rounded to 4096
    const cuda::MemoryStats during = cuda::memory_stats(0);
    CHECK(during.allocated_bytes == before.allocated_bytes + 4096);
    CHECK(during.allocations == before.allocations + 1);
    CHECK(during.reserved_bytes >= during.allocated_bytes);
    CHECK(during.peak_allocated_bytes >= during.allocated_bytes);
  }
  const cuda::MemoryStats after = cuda::memory_stats(0);
  CHECK(after.allocated_bytes == before.allocated_bytes);
  CHECK(after.frees == before.frees + 1);
}

TEST_CASE("a freed block is reused without a new cudaMalloc", "[cuda][allocator]") {
  const std::int64_t n = 3 << 20;  // 12 MiB of f32: a large block
  empty({n}, kOnCuda);
  const cuda::MemoryStats first = cuda::memory_stats(0);
  const Tensor again = empty({n}, kOnCuda);
  const cuda::MemoryStats second = cuda::memory_stats(0);
  CHECK(second.segment_allocations == first.segment_allocations);
  CHECK(second.reserved_bytes == first.reserved_bytes);
  CHECK(second.allocated_bytes == first.allocated_bytes + (std::size_t{12} << 20));
}

TEST_CASE("empty_cache returns unused segments to the driver", "[cuda][allocator]") {
  { const Tensor big = empty({std::int64_t{16} << 20}, kOnCuda); }  // 64 MiB
  const cuda::MemoryStats cached = cuda::memory_stats(0);
  CHECK(cached.reserved_bytes >= cached.allocated_bytes + (std::size_t{64} << 20));
  cuda::empty_cache();
  const cuda::MemoryStats emptied = cuda::memory_stats(0);
  CHECK(emptied.reserved_bytes + (std::size_t{64} << 20) <= cached.reserved_bytes);
  CHECK(emptied.segment_frees > cached.segment_frees);
  CHECK(emptied.allocated_bytes == cached.allocated_bytes);
}

TEST_CASE("an impossible allocation raises CudaError with the size and statistics", "[cuda][allocator]") {
  const cuda::MemoryStats before = cuda::memory_stats(0);
  const std::int64_t n = std::int64_t{1} << 50;  // 4 PiB of f32
  try {
    empty({n}, kOnCuda);
    FAIL("allocating 4 PiB succeeded");
  } catch (const CudaError& e) {
    CHECK_THAT(std::string(e.what()), Contains("cudaMalloc") && Contains(std::to_string(n * 4)) &&
                                          Contains("reserved") && Contains("cuda:0"));
    CHECK(e.device() == 0);
  }
  const cuda::MemoryStats after = cuda::memory_stats(0);
  CHECK(after.retries == before.retries + 1);
  CHECK(after.out_of_memory == before.out_of_memory + 1);
  CHECK(ones({4}, kOnCuda).to_vector<float>() == std::vector<float>(4, 1.0f));  // still usable
}

TEST_CASE("memory_stats names a missing device", "[cuda][allocator]") {
  CHECK_THROWS_WITH(cuda::memory_stats(cuda::device_count()), Contains("memory_stats"));
  CHECK_THROWS_AS(cuda::memory_stats(-1), Error);
}
