// Throughput of each op of libnn, forward and backward, at the AE-AC-GAN's
// shapes (batch 64), on the CPU and, when a GPU is visible, on CUDA. Names
// read <op>_<shape>/<pass>/<device>/<dtype>; bench/reference/ops.py times the
// same set in PyTorch under the same names.
//
// Passes: fwd runs the op on inputs that need no gradient; bwd replays the
// backward pass of one recorded forward (retain_graph), dropping the leaves'
// gradients first so each run stores fresh ones rather than accumulating.
// Figures: FLOP/s for convolutions and matrix products (2 per multiply-add;
// backward counts the input and weight gradients, twice the forward), bytes/s
// for the memory-bound ops (each input read once, each output written once).
//
// Timing: wall clock on the CPU (UseRealTime); on CUDA the GPU time between
// two nn::cuda::Events recorded on libnn's stream around each run
// (UseManualTime), which includes any wait for the host's launches.
#include <benchmark/benchmark.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nn/nn.hpp>

namespace {

using nn::Device;
using nn::Dtype;
using nn::Shape;
using nn::Tensor;

constexpr std::int64_t kBatch = 64;

struct Work {
  double flops = 0;
  double bytes = 0;
};

// One benchmark's tensors and op. `leaves` are the inputs that receive
// gradients in the bwd pass.
struct Case {
  std::vector<Tensor> leaves;
  std::function<Tensor()> run;
  Work forward, backward;
};

struct Where {
  Device device;
  Dtype dtype;
};

using CaseFactory = std::function<Case(const Where&)>;

// Uniform values drawn on the host, then moved to the benchmark's device.
Tensor uniform(const Where& where, const Shape& shape, double low = -1.0, double high = 1.0) {
  return nn::uniform(shape, low, high, nn::TensorOptions().dtype(where.dtype)).to(where.device);
}

double bytes_of(const Where& where, const Shape& shape) {
  return static_cast<double>(nn::shape_numel(shape) * static_cast<std::int64_t>(nn::dtype_size(where.dtype)));
}

// Runs `run` once per benchmark iteration and times it (see the header).
template <class Run>
void timed_loop(benchmark::State& state, Device device, Run&& run) {
  if (device.is_cpu()) {
    for (auto _ : state) run();
    return;
  }
  nn::cuda::Event start(device.index), stop(device.index);
  for (auto _ : state) {
    start.record();
    run();
    stop.record();
    state.SetIterationTime(stop.elapsed_ms_since(start) / 1000.0);
  }
}

void report(benchmark::State& state, const Work& work) {
  if (work.flops > 0)
    state.counters["FLOP/s"] = benchmark::Counter(work.flops, benchmark::Counter::kIsIterationInvariantRate);
  if (work.bytes > 0) state.SetBytesProcessed(static_cast<std::int64_t>(work.bytes) * state.iterations());
}

void time_forward(benchmark::State& state, const Case& c, Device device) {
  benchmark::DoNotOptimize(c.run().raw_data());  // warm-up: allocations, library plans
  timed_loop(state, device, [&] { benchmark::DoNotOptimize(c.run().raw_data()); });
  report(state, c.forward);
}

void time_backward(benchmark::State& state, const Case& c, const Where& where) {
  for (Tensor leaf : c.leaves) leaf.set_requires_grad(true);  // handles share the flag
  const Tensor y = c.run();
  const Tensor grad = uniform(where, y.shape());
  const auto backward = [&] {
    for (const Tensor& leaf : c.leaves) leaf.zero_grad();
    y.backward(grad, /*retain_graph=*/true);
  };
  backward();
  timed_loop(state, where.device, backward);
  report(state, c.backward);
}

// ---- the cases ----

double conv_flops(std::int64_t out_h, std::int64_t out_w, std::int64_t out_c, std::int64_t in_c, std::int64_t k) {
  return 2.0 * static_cast<double>(kBatch * out_h * out_w * out_c * in_c * k * k);
}

// Conv2D c->o, k x k, Keras `same`, on hw x hw images.
CaseFactory conv2d(std::int64_t c, std::int64_t o, std::int64_t hw, std::int64_t k, std::int64_t stride) {
  return [=](const Where& where) {
    const Tensor x = uniform(where, {kBatch, c, hw, hw}), w = uniform(where, {o, c, k, k}), b = uniform(where, {o});
    const nn::Padding2d pads = nn::same_padding({hw, hw}, {k, k}, {stride, stride});
    const std::int64_t out = hw / stride;
    const double flops = conv_flops(out, out, o, c, k);
    return Case{{x, w, b}, [=] { return nn::conv2d(x, w, b, {stride, stride}, pads); }, {flops, 0}, {2 * flops, 0}};
  };
}

// ConvTranspose2D c->o, 4x4, stride 2, Keras `same`: hw x hw -> 2hw x 2hw.
CaseFactory conv_transpose2d(std::int64_t c, std::int64_t o, std::int64_t hw) {
  return [=](const Where& where) {
    const Tensor x = uniform(where, {kBatch, c, hw, hw}), w = uniform(where, {c, o, 4, 4}), b = uniform(where, {o});
    const nn::Padding2d pads = nn::same_padding_transposed({4, 4}, {2, 2});
    // The adjoint of a conv from o channels at 2hw to c channels at hw.
    const double flops = conv_flops(hw, hw, c, o, 4);
    return Case{{x, w, b}, [=] { return nn::conv_transpose2d(x, w, b, {2, 2}, pads); }, {flops, 0}, {2 * flops, 0}};
  };
}

CaseFactory linear(std::int64_t in, std::int64_t out) {
  return [=](const Where& where) {
    const Tensor x = uniform(where, {kBatch, in}), w = uniform(where, {out, in}), b = uniform(where, {out});
    const double flops = 2.0 * static_cast<double>(kBatch * in * out);
    return Case{{x, w, b}, [=] { return nn::linear(x, w, b); }, {flops, 0}, {2 * flops, 0}};
  };
}

// [64,k] x [k,n].
CaseFactory matmul(std::int64_t k, std::int64_t n) {
  return [=](const Where& where) {
    const Tensor a = uniform(where, {kBatch, k}), b = uniform(where, {k, n});
    const double flops = 2.0 * static_cast<double>(kBatch * k * n);
    return Case{{a, b}, [=] { return nn::matmul(a, b); }, {flops, 0}, {2 * flops, 0}};
  };
}

CaseFactory batch_norm(const Shape& shape) {
  return [=](const Where& where) {
    const std::int64_t c = shape[1];
    const Tensor x = uniform(where, shape), weight = uniform(where, {c}), bias = uniform(where, {c});
    const Tensor mean = uniform(where, {c}), var = uniform(where, {c}, 0.5, 1.5);
    const double n = bytes_of(where, shape);
    return Case{{x, weight, bias},
                [=] { return nn::batch_norm(x, weight, bias, mean, var, /*training=*/true); },
                {0, 2 * n},
                {0, 3 * n}};
  };
}

CaseFactory max_pool2d(const Shape& shape) {
  return [=](const Where& where) {
    const Tensor x = uniform(where, shape);
    const double n = bytes_of(where, shape) * 1.25;  // the input and its quarter-size output
    return Case{{x}, [=] { return nn::max_pool2d(x, {2, 2}, {2, 2}); }, {0, n}, {0, n}};
  };
}

// A one-input op that reads x and writes y; its backward reads dy and x and writes dx.
CaseFactory unary(const Shape& shape, Tensor (*op)(const Tensor&)) {
  return [=](const Where& where) {
    const Tensor x = uniform(where, shape);
    const double n = bytes_of(where, shape);
    return Case{{x}, [=] { return op(x); }, {0, 2 * n}, {0, 3 * n}};
  };
}

Tensor leaky_relu(const Tensor& x) { return nn::leaky_relu(x, 0.3); }
Tensor dropout(const Tensor& x) { return nn::dropout(x, 0.5, /*training=*/true); }
Tensor gaussian_noise(const Tensor& x) { return nn::gaussian_noise(x, 0.1, /*training=*/true); }
Tensor smooth_labels(const Tensor& x) { return nn::smooth_labels(x, 0.1); }

// A mean-reduced loss of a prediction against a constant target.
CaseFactory loss(const Shape& shape, Tensor (*op)(const Tensor&, const Tensor&, nn::Reduction, const Tensor&),
                 double low, double high) {
  return [=](const Where& where) {
    const Tensor pred = uniform(where, shape, low, high), target = uniform(where, shape, 0.0, 1.0);
    const double n = bytes_of(where, shape);
    return Case{{pred}, [=] { return op(pred, target, nn::Reduction::mean, Tensor()); }, {0, 2 * n}, {0, 3 * n}};
  };
}

// Softmax cross-entropy of logits [kBatch, classes] against class ids, mean
// over the rows: reads the logits (and the ids), writes their gradient.
CaseFactory cross_entropy(std::int64_t classes) {
  return [=](const Where& where) {
    const Tensor logits = uniform(where, {kBatch, classes}, -3.0, 3.0);
    std::vector<double> ids(static_cast<std::size_t>(kBatch));
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<double>(static_cast<std::int64_t>(i) % classes);
    const Tensor target = nn::from_vector(ids, {kBatch}, nn::TensorOptions().dtype(where.dtype)).to(where.device);
    const double n = bytes_of(where, {kBatch, classes});
    return Case{{logits}, [=] { return nn::cross_entropy(logits, target); }, {0, n}, {0, 2 * n}};
  };
}

// Two tensors of `shape` joined along the channels.
CaseFactory concat(const Shape& shape) {
  return [=](const Where& where) {
    const Tensor a = uniform(where, shape), b = uniform(where, shape);
    const double n = bytes_of(where, shape);
    return Case{{a, b}, [=] { return nn::concat({a, b}, 1); }, {0, 4 * n}, {0, 4 * n}};
  };
}

// The parameters of the encoder/discriminator trunk and its heads (1.2M).
CaseFactory adam() {
  return [](const Where& where) {
    const std::vector<Shape> shapes = {{32, 3, 4, 4}, {32},  {64, 32, 4, 4}, {64}, {128, 64, 4, 4}, {128},
                                       {128, 8192},   {128}, {1, 128},       {1},  {40, 128},        {40}};
    std::vector<Tensor> params;
    double n = 0;
    for (const Shape& shape : shapes) {
      params.push_back(uniform(where, shape));
      params.back().set_grad(uniform(where, shape));
      n += bytes_of(where, shape);
    }
    auto optimizer = std::make_shared<nn::Adam>(params, nn::AdamOptions().lr(2e-4).beta1(0.5));
    // Reads parameter, gradient and both moments; writes parameter and moments.
    return Case{{}, [=] {
                  optimizer->step();
                  return params.front();
                },
                {0, 7 * n},
                {}};
  };
}

// ---- registration ----

struct Spec {
  std::string name;
  CaseFactory make;
  bool backward = true;
  bool f64 = false;
  const char* forward_pass = "fwd";
};

std::vector<Spec> specs() {
  const Shape activations = {kBatch, 32, 64, 64};  // the last ConvTranspose's output
  const Shape images = {kBatch, 3, 64, 64};
  const Shape labels = {kBatch, 40};
  return {
      {"conv2d_3to32_64x64_k4s2", conv2d(3, 32, 64, 4, 2)},
      {"conv2d_32to64_32x32_k4s2", conv2d(32, 64, 32, 4, 2), true, true},
      {"conv2d_64to128_16x16_k4s2", conv2d(64, 128, 16, 4, 2)},
      {"conv2d_32to3_64x64_k8s1", conv2d(32, 3, 64, 8, 1)},
      {"conv_transpose2d_128to128_8x8_k4s2", conv_transpose2d(128, 128, 8)},
      {"conv_transpose2d_128to64_16x16_k4s2", conv_transpose2d(128, 64, 16), true, true},
      {"conv_transpose2d_64to32_32x32_k4s2", conv_transpose2d(64, 32, 32)},
      {"linear_8192to128", linear(8192, 128), true, true},
      {"linear_240to8192", linear(240, 8192)},
      {"matmul_64x8192x128", matmul(8192, 128)},
      {"matmul_64x240x8192", matmul(240, 8192)},
      {"batch_norm_128x16x16", batch_norm({kBatch, 128, 16, 16})},
      {"max_pool2d_64x32x32_k2s2", max_pool2d({kBatch, 64, 32, 32})},
      {"leaky_relu_32x64x64", unary(activations, leaky_relu), true, true},
      {"sigmoid_32x64x64", unary(activations, nn::sigmoid)},
      {"tanh_32x64x64", unary(activations, nn::tanh)},
      {"bce_40", loss(labels, nn::bce, 0.01, 0.99), true, true},
      {"bce_3x64x64", loss(images, nn::bce, 0.01, 0.99)},
      {"bce_with_logits_3x64x64", loss(images, nn::bce_with_logits, -3.0, 3.0)},
      {"mae_3x64x64", loss(images, nn::mae, -1.0, 1.0)},
      {"mse_3x64x64", loss(images, nn::mse, -1.0, 1.0)},
      {"cross_entropy_64x1000", cross_entropy(1000)},
      {"smooth_labels_32x64x64", unary(activations, smooth_labels), false},
      {"dropout_32x64x64", unary(activations, dropout)},
      {"gaussian_noise_32x64x64", unary(activations, gaussian_noise), false},
      {"concat_2x32x64x64", concat(activations)},
      {"adam_1.2M", adam(), false, true, "step"},
  };
}

void register_all(Device device) {
  for (const Spec& spec : specs()) {
    std::vector<Dtype> dtypes = {Dtype::f32};
    if (spec.f64) dtypes.push_back(Dtype::f64);
    for (Dtype dtype : dtypes) {
      const Where where{device, dtype};
      const std::string suffix = "/" + std::string(device.is_cpu() ? "cpu" : "cuda") + "/" + nn::dtype_name(dtype);
      std::vector<benchmark::internal::Benchmark*> added;
      const CaseFactory make = spec.make;
      added.push_back(benchmark::RegisterBenchmark(
          (spec.name + "/" + spec.forward_pass + suffix).c_str(),
          [make, where](benchmark::State& state) { time_forward(state, make(where), where.device); }));
      if (spec.backward)
        added.push_back(benchmark::RegisterBenchmark(
            (spec.name + "/bwd" + suffix).c_str(),
            [make, where](benchmark::State& state) { time_backward(state, make(where), where); }));
      for (benchmark::internal::Benchmark* b : added) {
        if (device.is_cpu()) b->UseRealTime();
        else b->UseManualTime();
        b->Unit(benchmark::kMicrosecond);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A default minimum time of 0.2 s rather than 0.5 s keeps the CPU run near
  // two minutes on 2 cores; a --benchmark_min_time given later overrides it.
  std::string min_time = "--benchmark_min_time=0.2";
  std::vector<char*> args(argv, argv + argc);
  args.insert(args.begin() + 1, min_time.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  register_all(Device::cpu());
  if (nn::cuda::device_count() > 0) register_all(Device::cuda(0));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
