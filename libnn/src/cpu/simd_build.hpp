#pragma once
// The builds of the CPU backend's hand-vectorised loops. The library itself
// targets plain x86-64; with GCC on x86-64 those loops are also compiled for
// AVX2 (x86-64-v3) and AVX-512 (x86-64-v4) machines, and the widest build the
// CPU can run is used unless set_simd_build chose another (the tests run
// each one). Elsewhere only the portable build exists.
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NN_SIMD_X86 1
#endif

namespace nn::cpu {

enum class SimdBuild { sse2, avx2, avx512 };

// The builds this CPU can run, narrowest first.
std::vector<SimdBuild> simd_builds();
SimdBuild simd_build();
// nn::Error for a build this CPU cannot run.
void set_simd_build(SimdBuild build);

}  // namespace nn::cpu
