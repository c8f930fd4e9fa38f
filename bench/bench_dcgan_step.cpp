// One DCGAN training step (D on real and fake, then G through D) on random
// data at each architecture's batch size, reported as images/s.
// bench/reference/dcgan_step.py times the same step in PyTorch.
#include <benchmark/benchmark.h>

#include <nn/nn.hpp>

#include "dcgan/trainer.hpp"

namespace {

void dcgan_step(benchmark::State& state, dcgan::Architecture architecture, nn::Device device, bool winograd) {
  const std::int64_t batch = state.range(0);
  nn::set_cpu_winograd(winograd);
  nn::manual_seed(1);
  constexpr std::int64_t kChannels = 3;
  dcgan::Trainer trainer(dcgan::settings_from(dcgan::recipe_of(architecture), architecture, kChannels), device);
  const std::int64_t s = dcgan::image_size_of(architecture);
  const nn::Tensor images = nn::uniform({batch, kChannels, s, s}, -1, 1).to(device);
  trainer.step(images);  // warm-up: first-touch allocations
  if (device.is_cpu()) {
    for (auto _ : state) benchmark::DoNotOptimize(trainer.step(images).d_loss);
  } else {
    nn::cuda::Event start(device.index), stop(device.index);
    for (auto _ : state) {
      start.record();
      benchmark::DoNotOptimize(trainer.step(images).d_loss);
      stop.record();
      state.SetIterationTime(stop.elapsed_ms_since(start) / 1000.0);
    }
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
  nn::set_cpu_winograd(true);
}

}  // namespace

// The CPU step in wall time, with libnn's default convolutions (cpu) and with
// Winograd switched off (cpu_direct); the CUDA step, registered only when a
// GPU is visible, in GPU time between two events on libnn's stream. Each runs
// at its recipe's batch size.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const bool cuda = nn::cuda::device_count() > 0;
  for (const dcgan::Architecture a : {dcgan::Architecture::radford64, dcgan::Architecture::wlu128}) {
    const std::int64_t batch = dcgan::recipe_of(a).batch;
    const std::string name = "dcgan_step/" + dcgan::name_of(a);
    for (const bool winograd : {true, false})
      benchmark::RegisterBenchmark((name + (winograd ? "/cpu" : "/cpu_direct")).c_str(), dcgan_step, a,
                                   nn::Device::cpu(), winograd)
          ->Arg(batch)->Unit(benchmark::kMillisecond)->UseRealTime();
    if (cuda)
      benchmark::RegisterBenchmark((name + "/cuda").c_str(), dcgan_step, a, nn::Device::cuda(0), true)
          ->Arg(batch)->Unit(benchmark::kMillisecond)->UseManualTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
