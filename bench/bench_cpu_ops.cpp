// CPU backend throughput of the layer ops at the AE-AC-GAN's shapes (batch
// 64), forward and forward+backward, reported as FLOP/s or bytes/s.
#include <benchmark/benchmark.h>

#include <nn/nn.hpp>

namespace {

using nn::Shape;
using nn::Tensor;

Tensor input(const Shape& shape, bool grad) {
  Tensor t = nn::uniform(shape, -1.0, 1.0);
  t.set_requires_grad(grad);
  return t;
}

// 2 * N * Ho * Wo * O * C * kh * kw multiply-adds for the forward pass.
double conv_flops(const Shape& x, const Shape& w, std::int64_t out_h, std::int64_t out_w) {
  return 2.0 * static_cast<double>(x[0] * out_h * out_w * w[0] * w[1] * w[2] * w[3]);
}

void conv2d_stride2_same(benchmark::State& state) {
  const bool backward = state.range(0) != 0;
  const std::int64_t c = state.range(1), o = state.range(2), hw = state.range(3);
  const Tensor x = input({64, c, hw, hw}, backward), w = input({o, c, 4, 4}, backward), b = input({o}, backward);
  const nn::Padding2d pads = nn::same_padding({hw, hw}, {4, 4}, {2, 2});
  for (auto _ : state) {
    Tensor y = nn::conv2d(x, w, b, {2, 2}, pads);
    if (backward) nn::sum(y).backward();
    benchmark::DoNotOptimize(y.raw_data());
  }
  const double flops = conv_flops(x.shape(), w.shape(), hw / 2, hw / 2) * (backward ? 3.0 : 1.0);
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(conv2d_stride2_same)
    ->ArgsProduct({{0, 1}, {3}, {32}, {64}})
    ->ArgsProduct({{0, 1}, {32}, {64}, {32}})
    ->ArgsProduct({{0, 1}, {64}, {128}, {16}})
    ->Unit(benchmark::kMillisecond);

void conv_transpose2d_stride2_same(benchmark::State& state) {
  const bool backward = state.range(0) != 0;
  const std::int64_t c = state.range(1), o = state.range(2), hw = state.range(3);
  const Tensor x = input({64, c, hw, hw}, backward), w = input({c, o, 4, 4}, backward), b = input({o}, backward);
  const nn::Padding2d pads = nn::same_padding_transposed({4, 4}, {2, 2});
  for (auto _ : state) {
    Tensor y = nn::conv_transpose2d(x, w, b, {2, 2}, pads);
    if (backward) nn::sum(y).backward();
    benchmark::DoNotOptimize(y.raw_data());
  }
  // The adjoint of a conv from [o, 2hw, 2hw] to [c, hw, hw]: the same work.
  const double flops = conv_flops({64, o, 2 * hw, 2 * hw}, {c, o, 4, 4}, hw, hw) * (backward ? 3.0 : 1.0);
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(conv_transpose2d_stride2_same)
    ->ArgsProduct({{0, 1}, {128}, {128}, {8}})
    ->ArgsProduct({{0, 1}, {64}, {32}, {32}})
    ->Unit(benchmark::kMillisecond);

void linear_layer(benchmark::State& state) {
  const bool backward = state.range(0) != 0;
  const std::int64_t in = state.range(1), out = state.range(2);
  const Tensor x = input({64, in}, backward), w = input({out, in}, backward), b = input({out}, backward);
  for (auto _ : state) {
    Tensor y = nn::linear(x, w, b);
    if (backward) nn::sum(y).backward();
    benchmark::DoNotOptimize(y.raw_data());
  }
  const double flops = 2.0 * 64 * static_cast<double>(in * out) * (backward ? 3.0 : 1.0);
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(linear_layer)->ArgsProduct({{0, 1}, {8192}, {128}})->ArgsProduct({{0, 1}, {240}, {8192}});

void leaky_relu_elementwise(benchmark::State& state) {
  const bool backward = state.range(0) != 0;
  const Tensor x = input({64, 32, 32, 32}, backward);
  for (auto _ : state) {
    Tensor y = nn::leaky_relu(x, 0.3);
    if (backward) nn::sum(y).backward();
    benchmark::DoNotOptimize(y.raw_data());
  }
  state.counters["bytes/s"] = benchmark::Counter(static_cast<double>(2 * x.nbytes()),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(leaky_relu_elementwise)->Arg(0)->Arg(1);

void bce_loss(benchmark::State& state) {
  const Tensor p = nn::uniform({64, 40}, 0.01, 0.99), y = nn::uniform({64, 40}, 0.0, 1.0);
  for (auto _ : state) benchmark::DoNotOptimize(nn::bce(p, y).item());
  state.counters["bytes/s"] = benchmark::Counter(static_cast<double>(2 * p.nbytes()),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(bce_loss);

}  // namespace

BENCHMARK_MAIN();
