#include <catch2/catch.hpp>

#include <string>

#include <nn/version.hpp>

TEST_CASE("nn::version and the version macros match the CMake project version", "[version]") {
  const std::string project = LIBNN_TEST_PROJECT_VERSION;
  CHECK(std::string(nn::version()) == project);
  CHECK(std::to_string(LIBNN_VERSION_MAJOR) + "." + std::to_string(LIBNN_VERSION_MINOR) + "." +
            std::to_string(LIBNN_VERSION_PATCH) ==
        project);
  CHECK(std::string(LIBNN_VERSION_STRING) == project);
}
