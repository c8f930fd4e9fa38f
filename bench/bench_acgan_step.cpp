// One full AE-AC-GAN training step (D on real and fake, G through the frozen
// D, the autoencoder) on random data, reported as images/s: at batch 64 on
// the CPU, at 64, 256 and 512 on CUDA. bench/reference/acgan_step.py times
// the same step in PyTorch, the same way.
//
// What both report: wall-clock time over a window of N steps after a
// warm-up, bracketed by device synchronisation (synchronise, start the clock,
// N steps, synchronise, stop the clock), so queued GPU work is neither left
// out at the end nor counted from before the start. Google Benchmark's own
// timer stops right after the last iteration's body, before any final
// synchronisation, unless every iteration synchronises, which PyTorch's loop
// does not; so each benchmark iteration here is one such window, timed by
// hand with a steady clock (UseManualTime). On the CPU synchronize() does
// nothing and the window is plain wall time.
#include <benchmark/benchmark.h>

#include <chrono>
#include <nn/nn.hpp>

#include "acgan_celeba/trainer.hpp"

namespace {

constexpr std::int64_t kCpuWindow = 3;    // steps per timed window: about 2 s each at batch 64 on 2 cores
constexpr std::int64_t kCudaWindow = 10;  // the PyTorch reference's default --steps

// The global algorithm and TF32 policy for one benchmark, back to libnn's
// defaults afterwards.
struct MathPolicy {
  bool deterministic = true;
  bool tf32 = false;
  bool cpu_winograd = true;
};

void acgan_step(benchmark::State& state, nn::Device device, MathPolicy policy) {
  const std::int64_t batch = state.range(0), window = state.range(1);
  nn::set_deterministic(policy.deterministic);
  nn::set_tf32(policy.tf32);
  nn::set_cpu_winograd(policy.cpu_winograd);
  nn::manual_seed(1);
  acgan::Config config;
  config.batch = batch;
  std::vector<float> labels;
  for (float v : nn::uniform({1024, acgan::kAttributes}, 0, 1).to_vector<float>()) labels.push_back(v < 0.3f);
  acgan::Trainer trainer(config, device, labels);
  const nn::Tensor images = nn::uniform({batch, 3, acgan::kImageSize, acgan::kImageSize}, -1, 1).to(device);
  const nn::Tensor attributes = trainer.sample_attributes(batch);
  trainer.step(images, attributes);  // warm-up: first-touch allocations, cuDNN's algorithm choice
  for (auto _ : state) {
    nn::cuda::synchronize();
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < window; ++i) benchmark::DoNotOptimize(trainer.step(images, attributes).ae_loss);
    nn::cuda::synchronize();
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const auto per_window = static_cast<double>(window);
  state.counters["images/s"] =
      benchmark::Counter(per_window * static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["s/step"] = benchmark::Counter(
      per_window, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  nn::set_deterministic(true);
  nn::set_tf32(false);
  nn::set_cpu_winograd(true);
}

void register_step(const char* name, nn::Device device, MathPolicy policy, std::int64_t window,
                   std::initializer_list<std::int64_t> batches) {
  benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(name, acgan_step, device, policy);
  b->ArgNames({"batch", "steps"})->Unit(benchmark::kMillisecond)->UseManualTime();
  for (std::int64_t batch : batches) b->Args({batch, window});
}

}  // namespace

// Names: acgan_step/<variant>/batch:<B>/steps:<N>/manual_time, N the steps
// per timed window. cpu: batch 64 only (larger ones take minutes on 2
// cores); cpu_direct: the same with Winograd convolutions switched off. The
// CUDA variants, registered only when a GPU is visible: cuda
// (libnn's default deterministic algorithms, exact FP32), cuda_fastest (after
// nn::set_deterministic(false): the fastest cuDNN algorithms, timed once per
// shape) and cuda_fastest_tf32 (the same with TF32 tensor-core math).
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_step("acgan_step/cpu", nn::Device::cpu(), {}, kCpuWindow, {64});
  register_step("acgan_step/cpu_direct", nn::Device::cpu(), {.cpu_winograd = false}, kCpuWindow, {64});
  if (nn::cuda::device_count() > 0) {
    const nn::Device cuda = nn::Device::cuda(0);
    register_step("acgan_step/cuda", cuda, {}, kCudaWindow, {64, 256, 512});
    register_step("acgan_step/cuda_fastest", cuda, {.deterministic = false}, kCudaWindow, {64, 256, 512});
    register_step("acgan_step/cuda_fastest_tf32", cuda, {.deterministic = false, .tf32 = true}, kCudaWindow,
                  {64, 256, 512});
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
