// Runner of the CUDA test cases. Without a usable GPU (no CUDA in this build,
// no driver or no device) it exits with 77 before running any test, which
// CTest's SKIP_RETURN_CODE counts as skipped. Listing the tests works
// everywhere, since catch_discover_tests lists them at build time. After the
// run every device block must be back in the caching allocator, and emptying
// the cache must return every segment: anything else is a leaked tensor.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include <nn/cuda.hpp>
#include <nn/device.hpp>

namespace {
constexpr int kSkipped = 77;

// Non-zero when device memory is still held after every test case ended.
int leaked_device_memory() {
  nn::cuda::empty_cache();
  const nn::cuda::MemoryStats stats = nn::cuda::memory_stats(0);
  if (stats.allocated_bytes == 0 && stats.reserved_bytes == 0) return 0;
  std::cerr << "leak: " << stats.allocated_bytes << " bytes still allocated and " << stats.reserved_bytes
            << " reserved on cuda:0 after the last test case\n";
  return 1;
}

bool only_lists(const Catch::ConfigData& config) {
  return config.listTests || config.listTestNamesOnly || config.listTags || config.listReporters ||
         config.showHelp;
}
}  // namespace

int main(int argc, char* argv[]) {
  Catch::Session session;
  if (const int status = session.applyCommandLine(argc, argv); status != 0) return status;
  if (!only_lists(session.configData()) && !nn::cuda_available()) {
    const Catch::Config& config = session.config();
    const auto selected = Catch::filterTests(Catch::getAllTestCasesSorted(config), config.testSpec(), config);
    std::cout << "no CUDA device: " << selected.size() << " test cases skipped\n";
    return kSkipped;
  }
  const int failed = session.run();
  if (only_lists(session.configData())) return failed;
  return failed != 0 ? failed : leaked_device_memory();
}
