// The f32 rate this machine's cores can reach at best: independent chains of
// 8-wide fused multiply-adds (AVX2 + FMA), on 1 thread and on 2, in GFLOP/s
// (a fused multiply-add counts two). The step benchmarks' images/s times
// bench/reference/step_flops.py's GFLOP per image, set against this figure,
// says how much of a step's time could still go.
#include <benchmark/benchmark.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

namespace {

constexpr int kChains = 10;  // enough independent FMAs to cover two units' latency
constexpr std::int64_t kRounds = 1 << 22;

__attribute__((target("avx2,fma"))) float fma_chains(std::int64_t rounds, float factor) {
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

void fma_peak(benchmark::State& state) {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    state.SkipWithError("this CPU has no AVX2 and FMA");
    return;
  }
  std::int64_t rounds = kRounds;
  float factor = 0.999999f;
  benchmark::DoNotOptimize(rounds);
  for (auto _ : state) {
    // Unknown to the compiler each time, so that it can neither fold the
    // chains away nor hoist the call out of the loop.
    benchmark::DoNotOptimize(factor);
    benchmark::DoNotOptimize(fma_chains(rounds, factor));
  }
  constexpr double kFlopsPerRound = kChains * 8 * 2;
  // This thread's work; the library sums the threads' counters and divides
  // by the wall time.
  state.counters["GFLOP/s"] = benchmark::Counter(
      kFlopsPerRound * static_cast<double>(kRounds) * static_cast<double>(state.iterations()) * 1e-9,
      benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(fma_peak)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
#endif

BENCHMARK_MAIN();
