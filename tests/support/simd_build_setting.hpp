#pragma once
// Chooses the CPU backend's SIMD build for a test and restores the previous
// one when the test ends, passed or not.
#include "cpu/simd_build.hpp"

struct SimdBuildSetting {
  nn::cpu::SimdBuild saved = nn::cpu::simd_build();
  explicit SimdBuildSetting(nn::cpu::SimdBuild build) { nn::cpu::set_simd_build(build); }
  ~SimdBuildSetting() { nn::cpu::set_simd_build(saved); }
  SimdBuildSetting(const SimdBuildSetting&) = delete;
  SimdBuildSetting& operator=(const SimdBuildSetting&) = delete;
};
