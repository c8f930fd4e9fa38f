// cuDNN convolutions against the CPU's im2col + GEMM, forward and backward
// (input, weight and bias gradients through autograd), on the layers the apps
// build: Keras `same` with even and odd totals (asymmetric padding, which goes
// through a padded copy), valid, explicit per-side padding, transposed layers
// with and without output padding, batch 1 and 16, non-square images, and
// the narrow stride-1 layers that skip cuDNN for direct kernels.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <nn/nn.hpp>

using namespace nn;

namespace {

const Device kCuda = Device::cuda(0);

// Normalised error bounds: max |cuda - cpu| over max |cpu|. f32 runs with TF32
// off, exact FP32 products summed in another order (or through Winograd/FFT);
// TF32 would be off by about 1e-4 and more on these sizes.
constexpr double kF32 = 3e-5;
constexpr double kF64 = 1e-12;

struct ConvCase {
  std::string name;
  Shape x, w;
  Size2d stride;
  Padding2d padding;
  bool bias = true;
  bool transposed = false;
  Size2d output_padding{0, 0};
};

std::vector<ConvCase> conv2d_cases() {
  return {
      {"4x4 stride 2 same", {16, 3, 32, 32}, {32, 3, 4, 4}, {2, 2}, same_padding({32, 32}, {4, 4}, {2, 2})},
      {"4x4 stride 2 same, batch 1", {1, 32, 8, 8}, {64, 32, 4, 4}, {2, 2}, same_padding({8, 8}, {4, 4}, {2, 2})},
      {"8x8 stride 1 same (3/4)", {4, 8, 20, 20}, {16, 8, 8, 8}, {1, 1}, same_padding({20, 20}, {8, 8}, {1, 1})},
      // The generator's output layer: the CPU lowers it from the output side.
      {"8x8 stride 1 same to 3 channels", {16, 32, 16, 16}, {3, 32, 8, 8}, {1, 1},
       same_padding({16, 16}, {8, 8}, {1, 1})},
      // Rows 0/1 (copied), columns 1/1 (cuDNN's own padding).
      {"3x3 stride 2 same, non-square", {16, 16, 16, 15}, {32, 16, 3, 3}, {2, 2},
       same_padding({16, 15}, {3, 3}, {2, 2})},
      {"5x3 valid stride 2, last row unread", {16, 8, 17, 13}, {16, 8, 5, 3}, {2, 2}, {}},
      {"explicit asymmetric padding", {2, 4, 9, 11}, {6, 4, 3, 3}, {1, 1}, {2, 0, 1, 3}},
      {"explicit padding past the kernel's reach, stride 2", {3, 4, 10, 9}, {5, 4, 3, 3}, {2, 2}, {3, 0, 0, 2}},
      {"explicit symmetric padding, no bias", {16, 8, 12, 7}, {8, 8, 3, 5}, {1, 1}, {1, 1, 2, 2}, false},
      // Up to four output channels at stride 1 run on the direct kernels of
      // kernels/narrow_conv.cu: several output tiles each way, more than one
      // group of 8 input channels (with a partial one), padding on every side
      // and past the kernel's reach, 1 to 4 output channels.
      {"direct: 8x8 same to 3 channels, 19x70", {3, 11, 19, 70}, {3, 11, 8, 8}, {1, 1},
       same_padding({19, 70}, {8, 8}, {1, 1})},
      {"direct: 3x3 to 1 channel, padding past the kernel's reach", {2, 6, 9, 11}, {1, 6, 3, 3}, {1, 1},
       {4, 0, 1, 5}},
      {"direct: 5x4 valid to 4 channels, no bias", {2, 3, 33, 66}, {4, 3, 5, 4}, {1, 1}, {}, false},
      {"direct: 16x16 same to 2 channels", {1, 17, 20, 18}, {2, 17, 16, 16}, {1, 1},
       same_padding({20, 18}, {16, 16}, {1, 1})},
  };
}

std::vector<ConvCase> conv_transpose2d_cases() {
  const auto transposed = [](std::string name, Shape x, Shape w, Size2d stride, Padding2d padding,
                             Size2d output_padding, bool bias) {
    return ConvCase{std::move(name), std::move(x), std::move(w), stride, padding, bias, true, output_padding};
  };
  return {
      transposed("4x4 stride 2 same", {16, 64, 8, 8}, {64, 32, 4, 4}, {2, 2},
                 same_padding_transposed({4, 4}, {2, 2}), {0, 0}, true),
      transposed("4x4 stride 2 same, batch 1, no bias", {1, 32, 4, 6}, {32, 3, 4, 4}, {2, 2},
                 same_padding_transposed({4, 4}, {2, 2}), {0, 0}, false),
      transposed("3x3 stride 2 same (0/1), non-square", {16, 32, 8, 7}, {32, 16, 3, 3}, {2, 2},
                 same_padding_transposed({3, 3}, {2, 2}), {0, 0}, true),
      transposed("5x5 stride 2 same (1/2)", {4, 16, 7, 9}, {16, 8, 5, 5}, {2, 2},
                 same_padding_transposed({5, 5}, {2, 2}), {0, 0}, true),
      transposed("5x5 stride 2, padding 2, output padding 1", {4, 16, 7, 9}, {16, 8, 5, 5}, {2, 2},
                 Padding2d::symmetric(2, 2), {1, 1}, true),
      transposed("1x1 stride 2 same (output padding 1)", {2, 4, 5, 6}, {4, 3, 1, 1}, {2, 2},
                 same_padding_transposed({1, 1}, {2, 2}), {1, 1}, true),
      transposed("3x2 strides 2x3, asymmetric padding and output padding", {3, 2, 4, 5}, {2, 3, 3, 2}, {2, 3},
                 {1, 0, 0, 1}, {1, 2}, true),
  };
}

ConvCase named(const std::vector<ConvCase>& cases, const std::string& name) {
  const auto it = std::find_if(cases.begin(), cases.end(), [&](const ConvCase& c) { return c.name == name; });
  REQUIRE(it != cases.end());
  return *it;
}

std::string describe(const ConvCase& c) {
  return (c.transposed ? "conv_transpose2d " : "conv2d ") + c.name + ": x " + shape_str(c.x) + ", w " +
         shape_str(c.w);
}

// One forward and backward pass and what it produced.
struct Run {
  Tensor y, grad_x, grad_w, grad_b;
};

// x, w, b (b undefined without bias) and grad_y live on the CPU; they are
// copied to `device` as fresh leaves.
Run run(const ConvCase& c, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& grad_y, Device device) {
  const auto leaf = [&](const Tensor& t) {
    if (!t.defined()) return Tensor();
    Tensor copy = t.detach().to(device);
    copy.set_requires_grad(true);
    return copy;
  };
  const Tensor xd = leaf(x), wd = leaf(w), bd = leaf(b);
  const Tensor y = c.transposed ? conv_transpose2d(xd, wd, bd, c.stride, c.padding, c.output_padding)
                                : conv2d(xd, wd, bd, c.stride, c.padding);
  y.backward(grad_y.to(device));
  return {y.detach(), xd.grad(), wd.grad(), bd.defined() ? bd.grad() : Tensor()};
}

// max |cuda - cpu| <= tolerance * max |cpu|; a NaN never passes.
void check_close(const char* what, const Tensor& on_cuda, const Tensor& on_cpu, double tolerance) {
  INFO(what);
  REQUIRE(on_cuda.defined());
  REQUIRE(on_cuda.device() == kCuda);
  REQUIRE(on_cuda.shape() == on_cpu.shape());
  const std::vector<double> got = on_cuda.to_vector<double>(), want = on_cpu.to_vector<double>();
  double scale = 0;
  for (double v : want) scale = std::max(scale, std::abs(v));
  REQUIRE(scale > 0);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!(std::abs(got[i] - want[i]) <= tolerance * scale)) {
      if (bad++ < 5) UNSCOPED_INFO("element " << i << ": cuda " << got[i] << ", cpu " << want[i]);
    }
  }
  CHECK(bad == 0);
}

// Sets a global switch for a scope and turns it off again (every switch used
// here is off by default).
class SwitchGuard {
 public:
  SwitchGuard(void (*set)(bool), bool value) : set_(set) { set_(value); }
  ~SwitchGuard() { set_(false); }
  SwitchGuard(const SwitchGuard&) = delete;
  SwitchGuard& operator=(const SwitchGuard&) = delete;

 private:
  void (*set_)(bool);
};

struct Inputs {
  Tensor x, w, b, grad_y;
};

Inputs random_inputs(const ConvCase& c, Dtype dtype) {
  const TensorOptions opts = TensorOptions().dtype(dtype);
  Inputs in;
  in.x = uniform(c.x, -1, 1, opts);
  in.w = uniform(c.w, -1, 1, opts);
  const std::int64_t out_channels = c.transposed ? c.w[1] : c.w[0];
  if (c.bias) in.b = uniform({out_channels}, -1, 1, opts);
  NoGradGuard no_grad;
  const Tensor y = c.transposed ? conv_transpose2d(in.x, in.w, in.b, c.stride, c.padding, c.output_padding)
                                : conv2d(in.x, in.w, in.b, c.stride, c.padding);
  in.grad_y = uniform(y.shape(), -1, 1, opts);
  return in;
}

void check_case(const ConvCase& c, Dtype dtype, double tolerance) {
  INFO(describe(c) << (dtype == Dtype::f64 ? ", f64" : ", f32"));
  const Inputs in = random_inputs(c, dtype);
  // Fresh allocations hold NaN, so an output element no pass writes shows.
  const SwitchGuard poison(set_poison_allocations, true);
  const Run cpu = run(c, in.x, in.w, in.b, in.grad_y, Device::cpu());
  const Run cuda = run(c, in.x, in.w, in.b, in.grad_y, kCuda);
  check_close("output", cuda.y, cpu.y, tolerance);
  check_close("input gradient", cuda.grad_x, cpu.grad_x, tolerance);
  check_close("weight gradient", cuda.grad_w, cpu.grad_w, tolerance);
  if (c.bias) check_close("bias gradient", cuda.grad_b, cpu.grad_b, tolerance);
}

template <class T>
constexpr double tolerance() {
  return sizeof(T) == 4 ? kF32 : kF64;
}

void check_bitwise_equal(const char* what, const Tensor& a, const Tensor& b) {
  INFO(what);
  CHECK(a.to_vector<double>() == b.to_vector<double>());
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA conv2d matches the CPU forward and backward", "[cuda][parity][conv]", float, double) {
  REQUIRE_FALSE(tf32_enabled());
  manual_seed(51);
  for (const ConvCase& c : conv2d_cases()) check_case(c, dtype_of<TestType>(), tolerance<TestType>());
}

TEMPLATE_TEST_CASE("CUDA conv_transpose2d matches the CPU forward and backward", "[cuda][parity][conv]", float,
                   double) {
  REQUIRE_FALSE(tf32_enabled());
  manual_seed(52);
  for (const ConvCase& c : conv_transpose2d_cases()) check_case(c, dtype_of<TestType>(), tolerance<TestType>());
}

TEMPLATE_TEST_CASE("CUDA convolutions repeat bitwise in deterministic mode", "[cuda][conv][deterministic]", float,
                   double) {
  const SwitchGuard deterministic_only(set_deterministic, true);
  REQUIRE(deterministic());
  manual_seed(53);
  // A direct and a copied geometry, each as conv2d and conv_transpose2d.
  const std::vector<ConvCase> cases = {named(conv2d_cases(), "4x4 stride 2 same"),
                                       named(conv2d_cases(), "3x3 stride 2 same, non-square"),
                                       named(conv_transpose2d_cases(), "4x4 stride 2 same"),
                                       named(conv_transpose2d_cases(), "3x3 stride 2 same (0/1), non-square")};
  for (const ConvCase& c : cases) {
    INFO(describe(c));
    const Inputs in = random_inputs(c, dtype_of<TestType>());
    const Run first = run(c, in.x, in.w, in.b, in.grad_y, kCuda);
    const Run second = run(c, in.x, in.w, in.b, in.grad_y, kCuda);
    check_bitwise_equal("output", first.y, second.y);
    check_bitwise_equal("input gradient", first.grad_x, second.grad_x);
    check_bitwise_equal("weight gradient", first.grad_w, second.grad_w);
    check_bitwise_equal("bias gradient", first.grad_b, second.grad_b);
    const Run cpu = run(c, in.x, in.w, in.b, in.grad_y, Device::cpu());
    check_close("output against the CPU", first.y, cpu.y, tolerance<TestType>());
    check_close("weight gradient against the CPU", first.grad_w, cpu.grad_w, tolerance<TestType>());
  }
}

TEST_CASE("CUDA f32 convolutions with TF32 allowed stay close to the CPU", "[cuda][parity][conv][tf32]") {
  const SwitchGuard tf32(set_tf32, true);
  manual_seed(54);
  // TF32 keeps 10 mantissa bits: a loose bound, but a wrong result still fails.
  check_case(named(conv2d_cases(), "4x4 stride 2 same"), Dtype::f32, 5e-3);
  check_case(named(conv_transpose2d_cases(), "3x3 stride 2 same (0/1), non-square"), Dtype::f32, 5e-3);
}
