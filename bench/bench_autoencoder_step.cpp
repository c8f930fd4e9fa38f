// One training step of the celeba_autoencoders models (Adam on mean BCE: the
// attributes for an encoder, every pixel for an autoencoder) on random data
// at batch 128, reported as images/s. bench/reference/autoencoder_step.py
// times the same step in PyTorch.
//   --models=LIST   comma-separated model names, or all (default model1,model4)
#include <benchmark/benchmark.h>

#include <cstring>
#include <nn/nn.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "celeba_autoencoders/trainer.hpp"

namespace {

constexpr std::int64_t kBatch = 128;
constexpr double kLr = 1e-3;

void autoencoder_step(benchmark::State& state, autoencoders::ModelKind kind, nn::Device device, bool winograd) {
  const std::int64_t batch = state.range(0);
  nn::set_cpu_winograd(winograd);
  nn::manual_seed(1);
  autoencoders::Trainer trainer(kind, kLr, device);
  const std::int64_t s = autoencoders::image_size_of(kind);
  const nn::Tensor images = nn::uniform({batch, 3, s, s}, 0, 1).to(device);
  // Attribute labels of 0 and 1, a third of them set (the autoencoders ignore them).
  std::vector<float> attributes(static_cast<std::size_t>(batch * autoencoders::kAttributes));
  for (std::size_t i = 0; i < attributes.size(); ++i) attributes[i] = i % 3 == 0 ? 1.0f : 0.0f;
  const nn::Tensor labels = nn::from_vector(attributes, {batch, autoencoders::kAttributes}).to(device);
  trainer.step(images, labels);  // warm-up: first-touch allocations
  if (device.is_cpu()) {
    for (auto _ : state) benchmark::DoNotOptimize(trainer.step(images, labels));
  } else {
    nn::cuda::Event start(device.index), stop(device.index);
    for (auto _ : state) {
      start.record();
      benchmark::DoNotOptimize(trainer.step(images, labels));
      stop.record();
      state.SetIterationTime(stop.elapsed_ms_since(start) / 1000.0);
    }
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
  nn::set_cpu_winograd(true);
}

// The models named by --models (removed from argv), in the order given.
std::vector<autoencoders::ModelKind> models_from_arguments(int& argc, char** argv) {
  std::string list = "model1,model4";
  const char* flag = "--models=";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag, std::strlen(flag)) == 0)
      list = argv[i] + std::strlen(flag);
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  std::vector<autoencoders::ModelKind> kinds;
  if (list == "all") {
    for (const std::string& name : autoencoders::model_names()) kinds.push_back(autoencoders::model_from_name(name));
    return kinds;
  }
  std::istringstream names(list);
  for (std::string name; std::getline(names, name, ',');) kinds.push_back(autoencoders::model_from_name(name));
  return kinds;
}

}  // namespace

// The CPU step in wall time, with libnn's default convolutions (cpu) and with
// Winograd switched off (cpu_direct); the CUDA step, registered only when a
// GPU is visible, in GPU time between two events on libnn's stream.
int main(int argc, char** argv) {
  const std::vector<autoencoders::ModelKind> kinds = models_from_arguments(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const bool cuda = nn::cuda::device_count() > 0;
  for (const autoencoders::ModelKind k : kinds) {
    const std::string name = "autoencoder_step/" + autoencoders::name_of(k);
    for (const bool winograd : {true, false})
      benchmark::RegisterBenchmark((name + (winograd ? "/cpu" : "/cpu_direct")).c_str(), autoencoder_step, k,
                                   nn::Device::cpu(), winograd)
          ->Arg(kBatch)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    if (cuda)
      benchmark::RegisterBenchmark((name + "/cuda").c_str(), autoencoder_step, k, nn::Device::cuda(0), true)
          ->Arg(kBatch)
          ->Unit(benchmark::kMillisecond)
          ->UseManualTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
