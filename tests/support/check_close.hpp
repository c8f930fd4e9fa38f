#pragma once
// Elementwise closeness of computed values to their reference.
#include <catch2/catch.hpp>

#include <vector>

namespace nn::testing {

// Every got[i] lies within tol of want[i], absolutely or relative to want[i].
inline void check_close(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(got[i] == Approx(want[i]).epsilon(tol).margin(tol));
  }
}

}  // namespace nn::testing
