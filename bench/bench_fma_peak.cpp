// The f32 rate this machine's cores can reach at best: independent chains of
// 8-wide (AVX2 + FMA) and 16-wide (AVX-512) fused multiply-adds, on 1 thread
// and on 2, in GFLOP/s (a fused multiply-add counts two). Some cores run a
// 16-wide FMA as two 8-wide halves, so the two rates can agree. The step
// benchmarks' images/s times bench/reference/step_flops.py's GFLOP per image,
// set against the higher rate, says how much of a step's time could still go.
#include <benchmark/benchmark.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

namespace {

constexpr int kChains = 10;  // enough independent FMAs to cover two units' latency
constexpr std::int64_t kRounds = 1 << 22;

__attribute__((target("avx2,fma"))) float fma_chains_avx2(std::int64_t rounds, float factor) {
  __m256 acc[kChains];
  const __m256 scale = _mm256_set1_ps(factor), shift = _mm256_set1_ps(1e-7f);
  for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_ps(1.0f + static_cast<float>(i));
  for (std::int64_t r = 0; r < rounds; ++r) {
    // Unrolled, so that the chains live in registers rather than memory.
#pragma GCC unroll 16
    for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], scale, shift);
  }
  __m256 sum = acc[0];
  for (int i = 1; i < kChains; ++i) sum = _mm256_add_ps(sum, acc[i]);
  return _mm256_cvtss_f32(sum);
}

__attribute__((target("avx512f"))) float fma_chains_avx512(std::int64_t rounds, float factor) {
  __m512 acc[kChains];
  const __m512 scale = _mm512_set1_ps(factor), shift = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(1.0f + static_cast<float>(i));
  for (std::int64_t r = 0; r < rounds; ++r) {
#pragma GCC unroll 16
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], scale, shift);
  }
  __m512 sum = acc[0];
  for (int i = 1; i < kChains; ++i) sum = _mm512_add_ps(sum, acc[i]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  float total = 0;
  for (const float lane : lanes) total += lane;
  return total;
}

struct FmaWidth {
  int lanes;
  const char* missing;  // the reason given when this CPU lacks the instructions
  bool (*supported)();
  float (*chains)(std::int64_t, float);
};

constexpr FmaWidth kAvx2{8, "this CPU has no AVX2 and FMA",
                         [] { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); },
                         fma_chains_avx2};
constexpr FmaWidth kAvx512{16, "this CPU has no AVX-512",
                           [] { return static_cast<bool>(__builtin_cpu_supports("avx512f")); }, fma_chains_avx512};

void fma_peak(benchmark::State& state, const FmaWidth& width) {
  if (!width.supported()) {
    state.SkipWithError(width.missing);
    return;
  }
  std::int64_t rounds = kRounds;
  float factor = 0.999999f;
  benchmark::DoNotOptimize(rounds);
  for (auto _ : state) {
    // Unknown to the compiler each time, so that it can neither fold the
    // chains away nor hoist the call out of the loop.
    benchmark::DoNotOptimize(factor);
    benchmark::DoNotOptimize(width.chains(rounds, factor));
  }
  const double flops_per_round = kChains * width.lanes * 2.0;
  // This thread's work; the library sums the threads' counters and divides
  // by the wall time.
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops_per_round * static_cast<double>(kRounds) * static_cast<double>(state.iterations()) * 1e-9,
      benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(fma_peak, avx2, kAvx2)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(fma_peak, avx512, kAvx512)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
#endif

BENCHMARK_MAIN();
