// CUDA batch norm (cuDNN in training, kernels with fixed statistics) against
// the CPU: [N, C] and [N, C, H, W], with and without affine parameters,
// running statistics updated alike, forward and backward.
#include <catch2/catch.hpp>

#include <vector>

#include <nn/nn.hpp>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

// Not the defaults, so that a dropped or swapped argument shows.
constexpr double kMomentum = 0.3, kEps = 1e-3;

// Values of order one (outputs, grad x, statistics) and per-channel sums
// over thousands of elements (grad weight and bias), where cuDNN accumulates
// f32 in f32 and the CPU in double.
template <class T>
constexpr Tolerance kValues = sizeof(T) == 4 ? Tolerance{5e-5, 1e-4} : Tolerance{1e-10, 1e-10};
template <class T>
constexpr Tolerance kSums = sizeof(T) == 4 ? Tolerance{1e-3, 1e-4} : Tolerance{1e-9, 1e-10};

template <class T>
void check_values(const char* what, const Tensor& on_cuda, const Tensor& on_cpu) {
  check_named(what, on_cuda, on_cpu, kValues<T>.atol, kValues<T>.rtol);
}

template <class T>
void check_sums(const char* what, const Tensor& on_cuda, const Tensor& on_cpu) {
  check_named(what, on_cuda, on_cpu, kSums<T>.atol, kSums<T>.rtol);
}

Tensor leaf_on(const Tensor& t, Device device) { return device.is_cpu() ? cpu_leaf(t) : cuda_leaf(t); }

// The inputs of one batch norm, leaves on one device.
struct BatchNormArgs {
  Tensor x, weight, bias;
  BatchNormArgs(const Tensor& x0, const Tensor& w0, const Tensor& b0, bool affine, Device device)
      : x(leaf_on(x0, device)),
        weight(affine ? leaf_on(w0, device) : Tensor()),
        bias(affine ? leaf_on(b0, device) : Tensor()) {}
};

// x with a different mean in every channel.
Tensor channel_shifted_input(const Shape& shape, const TensorOptions& opts) {
  const Shape per_channel = shape.size() == 4 ? Shape{1, shape[1], 1, 1} : Shape{shape[1]};
  return add(uniform(shape, -2, 2, opts), uniform(per_channel, -1, 1, opts));
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA batch norm in training matches the CPU", "[cuda][parity][batch_norm]", float, double) {
  const Shape shape = GENERATE(Shape{256, 96}, Shape{24, 40, 17, 19});
  const bool affine = GENERATE(true, false);
  const bool track_running = GENERATE(true, false);
  INFO("input " << shape_str(shape) << ", affine " << affine << ", running statistics " << track_running);
  manual_seed(71);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const std::int64_t c = shape[1];
  const Tensor x = channel_shifted_input(shape, opts);
  const Tensor w = uniform({c}, 0.5, 1.5, opts), b = uniform({c}, -1, 1, opts);
  const Tensor r = uniform(shape, -1, 1, opts);
  const Tensor rm0 = uniform({c}, -0.5, 0.5, opts), rv0 = uniform({c}, 0.5, 1.5, opts);

  const Tensor rm_cpu = track_running ? rm0.clone() : Tensor(), rv_cpu = track_running ? rv0.clone() : Tensor();
  const Tensor rm_cuda = track_running ? rm0.to(kCuda) : Tensor(), rv_cuda = track_running ? rv0.to(kCuda) : Tensor();
  const BatchNormArgs on_cpu(x, w, b, affine, Device::cpu()), on_cuda(x, w, b, affine, kCuda);
  const Tensor y_cpu = batch_norm(on_cpu.x, on_cpu.weight, on_cpu.bias, rm_cpu, rv_cpu, true, kMomentum, kEps);
  const Tensor y_cuda = batch_norm(on_cuda.x, on_cuda.weight, on_cuda.bias, rm_cuda, rv_cuda, true, kMomentum, kEps);
  check_values<TestType>("y", y_cuda, y_cpu);
  if (track_running) {
    check_values<TestType>("running_mean", rm_cuda, rm_cpu);
    check_values<TestType>("running_var", rv_cuda, rv_cpu);
  }

  sum(mul(y_cpu, r)).backward();
  sum(mul(y_cuda, r.to(kCuda))).backward();
  check_values<TestType>("grad x", on_cuda.x.grad(), on_cpu.x.grad());
  if (affine) {
    check_sums<TestType>("grad weight", on_cuda.weight.grad(), on_cpu.weight.grad());
    check_sums<TestType>("grad bias", on_cuda.bias.grad(), on_cpu.bias.grad());
  }
}

TEMPLATE_TEST_CASE("CUDA batch norm in training repeats bit for bit", "[cuda][batch_norm]", float, double) {
  manual_seed(72);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>()).device(kCuda);
  const Tensor x = channel_shifted_input({32, 24, 15, 13}, opts), r = uniform({32, 24, 15, 13}, -1, 1, opts);
  const Tensor w = uniform({24}, 0.5, 1.5, opts), b = uniform({24}, -1, 1, opts);
  std::vector<std::vector<double>> runs;
  for (int run = 0; run < 2; ++run) {
    const BatchNormArgs args(x, w, b, true, kCuda);
    const Tensor y = batch_norm(args.x, args.weight, args.bias, {}, {}, true, kMomentum, kEps);
    sum(mul(y, r)).backward();
    for (const Tensor& t : {y, args.x.grad(), args.weight.grad(), args.bias.grad()})
      runs.push_back(t.to_vector<double>());
  }
  for (std::size_t i = 0; i < 4; ++i) CHECK(runs[i] == runs[i + 4]);
}

TEMPLATE_TEST_CASE("CUDA batch norm in inference matches the CPU", "[cuda][parity][batch_norm]", float, double) {
  const Shape shape = GENERATE(Shape{300, 64}, Shape{16, 48, 19, 21});
  const bool affine = GENERATE(true, false);
  INFO("input " << shape_str(shape) << ", affine " << affine);
  manual_seed(73);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const std::int64_t c = shape[1];
  const Tensor x = channel_shifted_input(shape, opts);
  const Tensor w = uniform({c}, 0.5, 1.5, opts), b = uniform({c}, -1, 1, opts);
  const Tensor r = uniform(shape, -1, 1, opts);
  const Tensor rm = uniform({c}, -0.5, 0.5, opts), rv = uniform({c}, 0.5, 1.5, opts);
  const Tensor rm_cuda = rm.to(kCuda), rv_cuda = rv.to(kCuda);

  const BatchNormArgs on_cpu(x, w, b, affine, Device::cpu()), on_cuda(x, w, b, affine, kCuda);
  const Tensor y_cpu = batch_norm(on_cpu.x, on_cpu.weight, on_cpu.bias, rm, rv, false, kMomentum, kEps);
  const Tensor y_cuda = batch_norm(on_cuda.x, on_cuda.weight, on_cuda.bias, rm_cuda, rv_cuda, false, kMomentum, kEps);
  // The same arithmetic element for element: equal bits.
  check_named("y", y_cuda, y_cpu, 0, 0);
  check_named("running_mean is left alone", rm_cuda, rm, 0, 0);
  check_named("running_var is left alone", rv_cuda, rv, 0, 0);

  sum(mul(y_cpu, r)).backward();
  sum(mul(y_cuda, r.to(kCuda))).backward();
  check_named("grad x", on_cuda.x.grad(), on_cpu.x.grad(), 0, 0);
  if (affine) {
    check_sums<TestType>("grad weight", on_cuda.weight.grad(), on_cpu.weight.grad());
    check_sums<TestType>("grad bias", on_cuda.bias.grad(), on_cpu.bias.grad());
  }
}

TEMPLATE_TEST_CASE("CUDA batch norm trains only the affine parameters when x is constant",
                   "[cuda][parity][batch_norm]", float, double) {
  manual_seed(74);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor x = channel_shifted_input({20, 12, 9, 11}, opts), r = uniform({20, 12, 9, 11}, -1, 1, opts);
  const Tensor w = uniform({12}, 0.5, 1.5, opts), b = uniform({12}, -1, 1, opts);
  Tensor w_cpu = cpu_leaf(w), b_cpu = cpu_leaf(b);
  Tensor w_cuda = cuda_leaf(w), b_cuda = cuda_leaf(b);
  sum(mul(batch_norm(x, w_cpu, b_cpu, {}, {}, true, kMomentum, kEps), r)).backward();
  sum(mul(batch_norm(x.to(kCuda), w_cuda, b_cuda, {}, {}, true, kMomentum, kEps), r.to(kCuda))).backward();
  check_sums<TestType>("grad weight", w_cuda.grad(), w_cpu.grad());
  check_sums<TestType>("grad bias", b_cuda.grad(), b_cpu.grad());
}
