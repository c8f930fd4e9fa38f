// Runner of the CUDA test cases. Without a usable GPU (no CUDA in this build,
// no driver or no device) it exits with 77 before running any test, which
// CTest's SKIP_RETURN_CODE counts as skipped. Listing the tests works
// everywhere, since catch_discover_tests lists them at build time.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include <nn/device.hpp>

namespace {
constexpr int kSkipped = 77;

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
  return session.run();
}
