// One full AE-AC-GAN training step (D on real and fake, G through the frozen
// D, the autoencoder) at batch 64 on random data, reported as images/s.
// bench/reference/acgan_step.py times the same step in PyTorch.
#include <benchmark/benchmark.h>

#include <nn/nn.hpp>

#include "acgan_celeba/trainer.hpp"

namespace {

void acgan_step(benchmark::State& state, nn::Device device) {
  const std::int64_t batch = state.range(0);
  nn::manual_seed(1);
  acgan::Config config;
  config.batch = batch;
  std::vector<float> labels;
  for (float v : nn::uniform({1024, acgan::kAttributes}, 0, 1).to_vector<float>()) labels.push_back(v < 0.3f);
  acgan::Trainer trainer(config, device, labels);
  const nn::Tensor images = nn::uniform({batch, 3, acgan::kImageSize, acgan::kImageSize}, -1, 1).to(device);
  const nn::Tensor attributes = trainer.sample_attributes(batch);
  trainer.step(images, attributes);  // warm-up: first-touch allocations
  if (device.is_cpu()) {
    for (auto _ : state) benchmark::DoNotOptimize(trainer.step(images, attributes).ae_loss);
  } else {
    nn::cuda::Event start(device.index), stop(device.index);
    for (auto _ : state) {
      start.record();
      benchmark::DoNotOptimize(trainer.step(images, attributes).ae_loss);
      stop.record();
      state.SetIterationTime(stop.elapsed_ms_since(start) / 1000.0);
    }
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
}

// The same after nn::set_deterministic(false): the fastest cuDNN algorithms,
// timed once per shape, deterministic or not.
void acgan_step_fastest(benchmark::State& state, nn::Device device) {
  nn::set_deterministic(false);
  acgan_step(state, device);
  nn::set_deterministic(true);
}

}  // namespace

// The CPU step in wall time; the CUDA step, registered only when a GPU is
// visible, in GPU time between two events on libnn's stream, with libnn's
// default deterministic algorithms and with the fastest ones.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RegisterBenchmark("acgan_step/cpu", acgan_step, nn::Device::cpu())
      ->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();
  if (nn::cuda::device_count() > 0) {
    benchmark::RegisterBenchmark("acgan_step/cuda", acgan_step, nn::Device::cuda(0))
        ->Arg(64)->Unit(benchmark::kMillisecond)->UseManualTime();
    benchmark::RegisterBenchmark("acgan_step/cuda_fastest", acgan_step_fastest, nn::Device::cuda(0))
        ->Arg(64)->Unit(benchmark::kMillisecond)->UseManualTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
