#include "cpu/simd_build.hpp"

#include <algorithm>
#include <atomic>

#include "nn/error.hpp"

namespace nn::cpu {
namespace {

std::atomic<SimdBuild>& chosen_build() {
  static std::atomic<SimdBuild> build{simd_builds().back()};
  return build;
}

}  // namespace

std::vector<SimdBuild> simd_builds() {
  std::vector<SimdBuild> builds = {SimdBuild::sse2};
#ifdef NN_SIMD_X86
  if (__builtin_cpu_supports("x86-64-v3")) builds.push_back(SimdBuild::avx2);
  if (__builtin_cpu_supports("x86-64-v4")) builds.push_back(SimdBuild::avx512);
#endif
  return builds;
}

SimdBuild simd_build() { return chosen_build().load(); }

void set_simd_build(SimdBuild build) {
  const std::vector<SimdBuild> runnable = simd_builds();
  if (std::find(runnable.begin(), runnable.end(), build) == runnable.end())
    throw Error("set_simd_build: this CPU cannot run the requested build");
  chosen_build().store(build);
}

}  // namespace nn::cpu
