#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <nn/nn.hpp>

#include "cpu/conv_narrow.hpp"
#include "support/conv_description.hpp"
#include "support/simd_build_setting.hpp"

using namespace nn;
using Catch::Matchers::Contains;

namespace {

// A host copy of a 4-d tensor with direct indexing, for the loop references.
struct Grid {
  Shape shape;
  std::vector<double> v;

  explicit Grid(Shape s) : shape(std::move(s)), v(static_cast<std::size_t>(shape_numel(shape)), 0.0) {}
  explicit Grid(const Tensor& t) : shape(t.shape()), v(t.to_vector<double>()) {}
  double& at(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) {
    return v[static_cast<std::size_t>(((a * shape[1] + b) * shape[2] + c) * shape[3] + d)];
  }
  Tensor tensor(Dtype dtype) const { return from_vector(v, shape, TensorOptions().dtype(dtype)); }
};

// Direct convolution: y[n,o,i,j] = b[o] + sum x[n,c,i*s-top+ki, j*s-left+kj] * w[o,c,ki,kj].
Grid reference_conv(Grid x, Grid w, const std::vector<double>& b, Size2d s, Padding2d p) {
  const std::int64_t out_h = (x.shape[2] + p.top + p.bottom - w.shape[2]) / s.h + 1;
  const std::int64_t out_w = (x.shape[3] + p.left + p.right - w.shape[3]) / s.w + 1;
  Grid y({x.shape[0], w.shape[0], out_h, out_w});
  for (std::int64_t n = 0; n < x.shape[0]; ++n)
    for (std::int64_t o = 0; o < w.shape[0]; ++o)
      for (std::int64_t i = 0; i < out_h; ++i)
        for (std::int64_t j = 0; j < out_w; ++j) {
          double acc = b.empty() ? 0.0 : b[static_cast<std::size_t>(o)];
          for (std::int64_t c = 0; c < x.shape[1]; ++c)
            for (std::int64_t ki = 0; ki < w.shape[2]; ++ki)
              for (std::int64_t kj = 0; kj < w.shape[3]; ++kj) {
                const std::int64_t r = i * s.h - p.top + ki, q = j * s.w - p.left + kj;
                if (r >= 0 && r < x.shape[2] && q >= 0 && q < x.shape[3]) acc += x.at(n, c, r, q) * w.at(o, c, ki, kj);
              }
          y.at(n, o, i, j) = acc;
        }
  return y;
}

// Direct scatter: out[n,b,i*s-top+ki, j*s-left+kj] += src[n,a,i,j] * w[a,b,ki,kj],
// cells outside out_h x out_w dropped. This is the transposed convolution and
// also the input gradient of a convolution.
Grid reference_scatter(Grid src, Grid w, const std::vector<double>& b, Size2d s, Padding2d p, std::int64_t out_h,
                       std::int64_t out_w) {
  Grid out({src.shape[0], w.shape[1], out_h, out_w});
  for (std::int64_t n = 0; n < src.shape[0]; ++n) {
    for (std::int64_t o = 0; o < w.shape[1]; ++o)
      for (std::int64_t i = 0; i < out_h; ++i)
        for (std::int64_t j = 0; j < out_w; ++j) out.at(n, o, i, j) = b.empty() ? 0.0 : b[static_cast<std::size_t>(o)];
    for (std::int64_t a = 0; a < src.shape[1]; ++a)
      for (std::int64_t i = 0; i < src.shape[2]; ++i)
        for (std::int64_t j = 0; j < src.shape[3]; ++j)
          for (std::int64_t o = 0; o < w.shape[1]; ++o)
            for (std::int64_t ki = 0; ki < w.shape[2]; ++ki)
              for (std::int64_t kj = 0; kj < w.shape[3]; ++kj) {
                const std::int64_t r = i * s.h - p.top + ki, q = j * s.w - p.left + kj;
                if (r >= 0 && r < out_h && q >= 0 && q < out_w) out.at(n, o, r, q) += src.at(n, a, i, j) * w.at(a, o, ki, kj);
              }
  }
  return out;
}

// Direct weight gradient of a convolution from `image` to `grad` (shape [A,B,kh,kw]):
// gw[a,b,ki,kj] = sum grad[n,a,i,j] * image[n,b,i*s-top+ki, j*s-left+kj].
Grid reference_weight_grad(Grid image, Grid grad, std::int64_t kh, std::int64_t kw, Size2d s, Padding2d p) {
  Grid gw({grad.shape[1], image.shape[1], kh, kw});
  for (std::int64_t n = 0; n < grad.shape[0]; ++n)
    for (std::int64_t a = 0; a < grad.shape[1]; ++a)
      for (std::int64_t i = 0; i < grad.shape[2]; ++i)
        for (std::int64_t j = 0; j < grad.shape[3]; ++j)
          for (std::int64_t b = 0; b < image.shape[1]; ++b)
            for (std::int64_t ki = 0; ki < kh; ++ki)
              for (std::int64_t kj = 0; kj < kw; ++kj) {
                const std::int64_t r = i * s.h - p.top + ki, q = j * s.w - p.left + kj;
                if (r >= 0 && r < image.shape[2] && q >= 0 && q < image.shape[3])
                  gw.at(a, b, ki, kj) += grad.at(n, a, i, j) * image.at(n, b, r, q);
              }
  return gw;
}

std::vector<double> channel_sums(Grid g) {
  std::vector<double> out(static_cast<std::size_t>(g.shape[1]), 0.0);
  for (std::int64_t n = 0; n < g.shape[0]; ++n)
    for (std::int64_t c = 0; c < g.shape[1]; ++c)
      for (std::int64_t i = 0; i < g.shape[2]; ++i)
        for (std::int64_t j = 0; j < g.shape[3]; ++j) out[static_cast<std::size_t>(c)] += g.at(n, c, i, j);
  return out;
}

// |got - want| <= tol * (1 + max |want|) everywhere, shapes equal.
void check_close(const Tensor& got, const Shape& shape, const std::vector<double>& want, double tol) {
  REQUIRE(got.defined());
  REQUIRE(got.shape() == shape);
  const std::vector<double> values = got.to_vector<double>();
  double scale = 1.0, worst = 0.0;
  for (double w : want) scale = std::max(scale, 1.0 + std::abs(w));
  for (std::size_t i = 0; i < values.size(); ++i) worst = std::max(worst, std::abs(values[i] - want[i]));
  CHECK(worst <= tol * scale);
}

template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 2e-5 : 1e-12;
}

struct ConvCase {
  Shape x, w;
  Size2d stride;
  Padding2d padding;
  bool bias;
};

std::string describe(const ConvCase& c) { return nn::testing::describe_conv(c.x, c.w, c.stride, c.padding); }

}  // namespace

TEST_CASE("Keras same padding for convolutions", "[conv]") {
  // Total (out-1)*s + k - in, the odd cell at the bottom/right.
  CHECK(same_padding({64, 64}, {4, 4}, {2, 2}) == Padding2d{1, 1, 1, 1});
  CHECK(same_padding({64, 64}, {8, 8}, {1, 1}) == Padding2d{3, 4, 3, 4});
  CHECK(same_padding({10, 10}, {3, 3}, {1, 1}) == Padding2d{1, 1, 1, 1});
  CHECK(same_padding({64, 64}, {3, 3}, {2, 2}) == Padding2d{0, 1, 0, 1});
  CHECK(same_padding({65, 65}, {3, 3}, {2, 2}) == Padding2d{1, 1, 1, 1});
  CHECK(same_padding({128, 128}, {5, 5}, {2, 2}) == Padding2d{1, 2, 1, 2});
  CHECK(same_padding({7, 7}, {4, 4}, {2, 2}) == Padding2d{1, 2, 1, 2});
  CHECK(same_padding({64, 64}, {1, 1}, {2, 2}) == Padding2d{0, 0, 0, 0});
  CHECK(same_padding({64, 63}, {8, 3}, {1, 2}) == Padding2d{3, 4, 1, 1});
  // The padded size always gives ceil(in / stride).
  for (std::int64_t in = 1; in <= 20; ++in)
    for (std::int64_t k = 1; k <= 8; ++k)
      for (std::int64_t s = 1; s <= 3; ++s) {
        const Padding2d p = same_padding({in, in}, {k, k}, {s, s});
        CHECK(conv_output_size(in, k, s, p.top, p.bottom) == (in + s - 1) / s);
      }
}

TEST_CASE("Keras same padding for transposed convolutions", "[conv]") {
  CHECK(same_padding_transposed({3, 3}, {2, 2}) == Padding2d{0, 1, 0, 1});
  CHECK(same_padding_transposed({4, 4}, {2, 2}) == Padding2d{1, 1, 1, 1});
  CHECK(same_padding_transposed({5, 5}, {2, 2}) == Padding2d{1, 2, 1, 2});
  CHECK(same_padding_transposed({3, 3}, {1, 1}) == Padding2d{1, 1, 1, 1});
  CHECK(same_padding_transposed({5, 4}, {2, 1}) == Padding2d{1, 2, 1, 2});
  CHECK(conv_transpose_output_size(8, 3, 2, 0, 1, 0) == 16);
  CHECK(conv_transpose_output_size(32, 5, 2, 1, 2, 0) == 64);
  for (std::int64_t in = 1; in <= 12; ++in)
    for (std::int64_t k = 1; k <= 7; ++k)
      for (std::int64_t s = 1; s <= 3; ++s) {
        const Padding2d p = same_padding_transposed({k, k}, {s, s});
        // The adjoint of `same` on the bigger size: identical padding...
        CHECK(p == same_padding({in * s, in * s}, {k, k}, {s, s}));
        // ...and out = in * stride, with output_padding s - k when k < s.
        const std::int64_t extra = std::max<std::int64_t>(s - k, 0);
        CHECK(conv_transpose_output_size(in, k, s, p.top, p.bottom, extra) == in * s);
      }
}

TEST_CASE("output size formulas", "[conv]") {
  CHECK(conv_output_size(64, 4, 2, 1, 1) == 32);
  CHECK(conv_output_size(64, 3, 2, 0, 0) == 31);
  CHECK(conv_output_size(5, 3, 2, 0, 0) == 2);
  CHECK(conv_output_size(2, 3, 1, 0, 0) == 0);
  CHECK(conv_transpose_output_size(1, 4, 1, 0, 0, 0) == 4);
  CHECK(conv_transpose_output_size(4, 4, 2, 1, 1, 0) == 8);
  CHECK(conv_transpose_output_size(2, 5, 2, 0, 0, 1) == 8);
  CHECK_THROWS_WITH(conv_output_size(8, 3, 0, 0, 0), Contains("conv_output_size"));
  CHECK_THROWS_WITH(same_padding({8, 8}, {0, 3}, {1, 1}), Contains("same_padding"));
}

TEMPLATE_TEST_CASE("conv2d with asymmetric same padding has hand-computed values", "[conv]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor x = from_vector<double>({1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 3, 3}, opts);
  const Tensor w = from_vector<double>({1, 2, 3, 4}, {1, 1, 2, 2}, opts);
  const Tensor b = from_vector<double>({0.5}, {1}, opts);
  const Padding2d p = same_padding({3, 3}, {2, 2}, {1, 1});
  REQUIRE(p == Padding2d{0, 1, 0, 1});
  CHECK(conv2d(x, w, b, {1, 1}, p).to_vector<double>() ==
        std::vector<double>{37.5, 47.5, 21.5, 67.5, 77.5, 33.5, 23.5, 26.5, 9.5});
}

TEMPLATE_TEST_CASE("conv_transpose2d with asymmetric same padding has hand-computed values", "[conv]", float,
                   double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor x = from_vector<double>({1, 2, 3, 4}, {1, 1, 2, 2}, opts);
  const Tensor w = from_vector<double>({1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 3, 3}, opts);
  const Padding2d p = same_padding_transposed({3, 3}, {2, 2});
  const Tensor y = conv_transpose2d(x, w, Tensor(), {2, 2}, p);
  CHECK(y.shape() == Shape{1, 1, 4, 4});
  CHECK(y.to_vector<double>() ==
        std::vector<double>{1, 2, 5, 4, 4, 5, 14, 10, 10, 14, 36, 24, 12, 15, 34, 20});
}

TEMPLATE_TEST_CASE("conv2d forward and gradients match direct loops", "[conv]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  const TensorOptions opts = TensorOptions().dtype(dtype);
  const std::vector<ConvCase> cases = {
      {{2, 3, 7, 6}, {4, 3, 3, 3}, {1, 1}, {1, 1, 1, 1}, true},
      {{3, 2, 9, 8}, {5, 2, 4, 4}, {2, 2}, {1, 2, 1, 1}, false},
      {{2, 3, 10, 10}, {3, 3, 8, 8}, {1, 1}, {3, 4, 3, 4}, true},
      {{2, 2, 7, 9}, {3, 2, 2, 3}, {2, 3}, {0, 1, 2, 0}, true},
      {{4, 5, 5, 5}, {6, 5, 1, 1}, {1, 1}, {0, 0, 0, 0}, true},
      {{2, 1, 6, 6}, {2, 1, 3, 3}, {3, 3}, {0, 0, 0, 0}, false},
      // Stride 1 with fewer output than input channels: lowered from the
      // output side, also with padding beyond the kernel and none at all.
      {{2, 5, 6, 9}, {2, 5, 3, 2}, {1, 1}, {2, 0, 1, 3}, true},
      {{1, 4, 5, 5}, {3, 4, 2, 2}, {1, 1}, {0, 0, 0, 0}, false},
      // Stride 1 and as wide as the input, copied one plane at a time: fewer
      // output rows than input rows, and a kernel wider than the image.
      {{2, 2, 5, 4}, {3, 2, 3, 3}, {1, 1}, {0, 0, 1, 1}, true},
      {{1, 2, 3, 3}, {3, 2, 5, 5}, {1, 1}, {2, 2, 2, 2}, false},
      {{2, 3, 4, 5}, {4, 3, 2, 6}, {1, 1}, {3, 1, 2, 3}, true},
      // Big enough to split the batch into uneven chunks (three images of
      // 72 x 576 columns each fill a chunk), and for one image to fill the
      // column buffer on its own.
      {{7, 8, 24, 24}, {16, 8, 3, 3}, {1, 1}, {1, 1, 1, 1}, true},
      {{3, 24, 32, 32}, {2, 24, 8, 8}, {1, 1}, {3, 4, 3, 4}, true},
      {{1, 16, 64, 64}, {2, 16, 8, 8}, {1, 1}, {3, 4, 3, 4}, false},
      // One image whose column matrix exceeds the chunk budget on its own:
      // stride 2; a 1x1 kernel, whose weight gradient is not formed
      // transposed (as many plain channels as patch rows or more); stride 1
      // lowered from the output side.
      {{2, 13, 64, 64}, {6, 13, 4, 4}, {2, 2}, {1, 1, 1, 1}, true},
      {{1, 40, 64, 64}, {48, 40, 1, 1}, {1, 1}, {0, 0, 0, 0}, false},
      {{1, 24, 64, 64}, {12, 24, 3, 3}, {1, 1}, {1, 1, 1, 1}, true},
      // Stride 2 with an even input twice the output, split into phase
      // planes: the 4x4 kernel of the DCGANs, Keras' uneven padding of a
      // 3x3 kernel, 5x5 and 6x6 kernels whose taps reach a phase cell to
      // either side, a 2x2 kernel without padding, padding only at the top
      // (taps two phase cells back), an input whose phase planes are taller
      // than wide, and a batch in several chunks.
      {{2, 3, 8, 6}, {4, 3, 4, 4}, {2, 2}, {1, 1, 1, 1}, true},
      {{2, 2, 6, 8}, {3, 2, 3, 3}, {2, 2}, {0, 1, 0, 1}, false},
      {{1, 3, 10, 10}, {2, 3, 5, 5}, {2, 2}, {2, 2, 2, 2}, true},
      {{1, 2, 6, 6}, {2, 2, 6, 6}, {2, 2}, {2, 2, 2, 2}, false},
      {{2, 2, 4, 4}, {3, 2, 2, 2}, {2, 2}, {0, 0, 0, 0}, true},
      {{2, 2, 8, 8}, {3, 2, 4, 4}, {2, 2}, {3, 0, 1, 1}, false},
      {{1, 2, 12, 4}, {2, 2, 4, 4}, {2, 2}, {1, 1, 2, 0}, true},
      {{6, 8, 32, 32}, {8, 8, 4, 4}, {2, 2}, {1, 1, 1, 1}, true},
      // The same with 64 or more channels on both sides, outputs of at most
      // 4x4 and batches wide enough: one GEMM per tap over the cells it
      // reaches inside the image. The 4x4 kernel; Keras' 3x3; a 6x6 kernel
      // padded three rows at the top (taps two phase cells back) on an input
      // wider than tall; a 1x1 output, where the outer taps reach nothing;
      // odd channel counts and shares of images that end in a partial block.
      {{32, 64, 8, 8}, {64, 64, 4, 4}, {2, 2}, {1, 1, 1, 1}, true},
      {{32, 64, 8, 8}, {64, 64, 3, 3}, {2, 2}, {0, 1, 0, 1}, false},
      {{64, 64, 4, 8}, {64, 64, 6, 6}, {2, 2}, {3, 1, 2, 2}, true},
      {{128, 64, 2, 2}, {64, 64, 4, 4}, {2, 2}, {1, 1, 1, 1}, false},
      {{41, 65, 8, 8}, {70, 65, 4, 4}, {2, 2}, {1, 1, 1, 1}, true},
      // A kernel covering the whole unpadded input: one GEMM per pass over
      // the flattened images. Square (the DCGAN discriminator's last layer),
      // oblong with strides, and with one output channel.
      {{5, 3, 4, 4}, {7, 3, 4, 4}, {1, 1}, {0, 0, 0, 0}, true},
      {{3, 4, 3, 5}, {2, 4, 3, 5}, {2, 3}, {0, 0, 0, 0}, false},
      {{2, 6, 3, 3}, {1, 6, 3, 3}, {2, 2}, {0, 0, 0, 0}, true},
  };
  manual_seed(11);
  for (const ConvCase& c : cases) {
    INFO(describe(c));
    Tensor x = uniform(c.x, -1, 1, opts).set_requires_grad(true);
    Tensor w = uniform(c.w, -1, 1, opts).set_requires_grad(true);
    Tensor b = c.bias ? uniform({c.w[0]}, -1, 1, opts).set_requires_grad(true) : Tensor();
    const std::vector<double> bias = c.bias ? b.to_vector<double>() : std::vector<double>{};
    const Grid want = reference_conv(Grid(x), Grid(w), bias, c.stride, c.padding);
    const Tensor y = conv2d(x, w, b, c.stride, c.padding);
    check_close(y, want.shape, want.v, tolerance<TestType>());

    const Tensor r = uniform(want.shape, -1, 1, opts);
    sum(y * r).backward();
    const Grid gx = reference_scatter(Grid(r), Grid(w), {}, c.stride, c.padding, c.x[2], c.x[3]);
    check_close(x.grad(), gx.shape, gx.v, tolerance<TestType>());
    const Grid gw = reference_weight_grad(Grid(x), Grid(r), c.w[2], c.w[3], c.stride, c.padding);
    check_close(w.grad(), gw.shape, gw.v, tolerance<TestType>());
    if (c.bias) check_close(b.grad(), b.shape(), channel_sums(Grid(r)), tolerance<TestType>());
  }
}

struct TransposeCase {
  ConvCase conv;
  Size2d output_padding;
};

TEMPLATE_TEST_CASE("conv_transpose2d forward and gradients match direct loops", "[conv]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  const TensorOptions opts = TensorOptions().dtype(dtype);
  const std::vector<TransposeCase> cases = {
      {{{2, 3, 4, 3}, {3, 2, 3, 3}, {2, 2}, {0, 1, 0, 1}, true}, {0, 0}},
      {{{2, 4, 4, 4}, {4, 3, 4, 4}, {2, 2}, {1, 1, 1, 1}, false}, {0, 0}},
      {{{1, 2, 3, 5}, {2, 3, 5, 5}, {2, 2}, {1, 2, 1, 2}, true}, {0, 0}},
      {{{2, 2, 3, 2}, {2, 3, 3, 2}, {2, 3}, {1, 0, 0, 1}, true}, {1, 2}},
      {{{2, 3, 5, 4}, {3, 2, 3, 3}, {1, 1}, {1, 1, 1, 1}, false}, {0, 0}},
      {{{2, 2, 3, 3}, {2, 2, 1, 1}, {2, 2}, {0, 0, 0, 0}, true}, {1, 1}},
      {{{3, 2, 32, 32}, {2, 24, 8, 8}, {1, 1}, {3, 4, 3, 4}, true}, {0, 0}},
      // One image whose columns exceed the chunk budget on their own.
      {{{1, 6, 32, 32}, {6, 13, 4, 4}, {2, 2}, {1, 1, 1, 1}, true}, {0, 0}},
      // The DCGANs' generator layer whose input gradient and forward pass
      // are one GEMM per kernel tap (64 channels and more on both sides).
      {{{32, 64, 4, 4}, {64, 64, 4, 4}, {2, 2}, {1, 1, 1, 1}, true}, {0, 0}},
      // From 1x1 to the whole kernel, unpadded (radford64's first generator
      // layer): one GEMM per pass.
      {{{5, 10, 1, 1}, {10, 8, 4, 4}, {1, 1}, {0, 0, 0, 0}, true}, {0, 0}},
  };
  manual_seed(12);
  for (const TransposeCase& t : cases) {
    const ConvCase& c = t.conv;
    INFO(describe(c) << " output_padding " << t.output_padding.h << "x" << t.output_padding.w);
    Tensor x = uniform(c.x, -1, 1, opts).set_requires_grad(true);
    Tensor w = uniform(c.w, -1, 1, opts).set_requires_grad(true);
    Tensor b = c.bias ? uniform({c.w[1]}, -1, 1, opts).set_requires_grad(true) : Tensor();
    const std::vector<double> bias = c.bias ? b.to_vector<double>() : std::vector<double>{};
    const std::int64_t out_h =
        (c.x[2] - 1) * c.stride.h + c.w[2] - c.padding.top - c.padding.bottom + t.output_padding.h;
    const std::int64_t out_w =
        (c.x[3] - 1) * c.stride.w + c.w[3] - c.padding.left - c.padding.right + t.output_padding.w;
    const Grid want = reference_scatter(Grid(x), Grid(w), bias, c.stride, c.padding, out_h, out_w);
    const Tensor y = conv_transpose2d(x, w, b, c.stride, c.padding, t.output_padding);
    check_close(y, want.shape, want.v, tolerance<TestType>());

    const Tensor r = uniform(want.shape, -1, 1, opts);
    sum(y * r).backward();
    // d/dx of <scatter(x), r> gathers r; d/dw correlates x with r.
    const Grid gx = reference_conv(Grid(r), Grid(w), {}, c.stride, c.padding);
    check_close(x.grad(), gx.shape, gx.v, tolerance<TestType>());
    const Grid gw = reference_weight_grad(Grid(r), Grid(x), c.w[2], c.w[3], c.stride, c.padding);
    check_close(w.grad(), gw.shape, gw.v, tolerance<TestType>());
    if (c.bias) check_close(b.grad(), b.shape(), channel_sums(Grid(r)), tolerance<TestType>());
  }
}

// Restores nn::set_cpu_winograd's setting when a test ends, passed or not.
struct WinogradSetting {
  bool saved = cpu_winograd_enabled();
  explicit WinogradSetting(bool enabled) { set_cpu_winograd(enabled); }
  ~WinogradSetting() { set_cpu_winograd(saved); }
};

TEST_CASE("f32 convolutions that Winograd takes match direct loops, and the switch turns it off", "[conv]") {
  const TensorOptions opts = TensorOptions().dtype(Dtype::f32);
  // Every case has 32 or more channels on both sides of the 3x3 convolution
  // Winograd computes: stride 1 (partial 4x4 tiles, no or uneven padding)
  // and stride 2 through the 2x2 space-to-depth view (5x5 kernels with
  // padding 1 and 2 on either side, odd image sizes); forward and
  // transposed. Each says which of the output and the input gradient
  // Winograd computes: where its 4x4 tiles would waste too many products (a
  // valid convolution's input gradient, a 4x4 kernel) the direct path does.
  struct WinogradCase {
    TransposeCase shape;
    bool output, input_gradient;
  };
  const std::vector<WinogradCase> cases = {
      {{{{2, 32, 13, 11}, {40, 32, 3, 3}, {1, 1}, {1, 1, 1, 1}, true}, {0, 0}}, true, true},
      {{{{3, 33, 10, 9}, {32, 33, 3, 3}, {1, 1}, {0, 0, 0, 0}, false}, {0, 0}}, true, false},
      {{{{1, 32, 9, 12}, {36, 32, 3, 3}, {1, 1}, {2, 0, 0, 1}, false}, {0, 0}}, true, true},
      {{{{2, 8, 16, 16}, {32, 8, 5, 5}, {2, 2}, {2, 1, 2, 1}, true}, {0, 0}}, true, true},
      {{{{2, 8, 17, 15}, {32, 8, 5, 5}, {2, 2}, {1, 2, 1, 2}, false}, {0, 0}}, true, false},
      {{{{1, 9, 24, 22}, {33, 9, 5, 5}, {2, 2}, {2, 2, 2, 2}, true}, {0, 0}}, true, true},
      {{{{2, 8, 16, 16}, {32, 8, 4, 4}, {2, 2}, {1, 1, 1, 1}, true}, {0, 0}}, false, false},
  };
  const std::vector<WinogradCase> transposed = {
      {{{{2, 32, 12, 11}, {32, 8, 5, 5}, {2, 2}, {1, 2, 1, 2}, true}, {0, 0}}, true, true},
      {{{{2, 40, 9, 7}, {40, 32, 3, 3}, {1, 1}, {1, 1, 1, 1}, false}, {0, 0}}, true, true},
  };
  manual_seed(14);
  for (const bool transpose : {false, true})
    for (const WinogradCase& wc : transpose ? transposed : cases) {
      const TransposeCase& t = wc.shape;
      const ConvCase& c = t.conv;
      INFO(describe(c) << (transpose ? " transposed" : ""));
      const Tensor x = uniform(c.x, -1, 1, opts), w = uniform(c.w, -1, 1, opts);
      const Tensor b = c.bias ? uniform({c.w[transpose ? 1 : 0]}, -1, 1, opts) : Tensor();
      const std::vector<double> bias = c.bias ? b.to_vector<double>() : std::vector<double>{};
      const std::int64_t out_h = (c.x[2] - 1) * c.stride.h + c.w[2] - c.padding.top - c.padding.bottom;
      const std::int64_t out_w = (c.x[3] - 1) * c.stride.w + c.w[3] - c.padding.left - c.padding.right;
      const Grid want = transpose ? reference_scatter(Grid(x), Grid(w), bias, c.stride, c.padding,
                                                      out_h + t.output_padding.h, out_w + t.output_padding.w)
                                  : reference_conv(Grid(x), Grid(w), bias, c.stride, c.padding);
      const Tensor r = uniform(want.shape, -1, 1, opts);
      const Grid want_gx = transpose ? reference_conv(Grid(r), Grid(w), {}, c.stride, c.padding)
                                     : reference_scatter(Grid(r), Grid(w), {}, c.stride, c.padding, c.x[2], c.x[3]);
      std::vector<std::vector<double>> outputs, input_grads;
      for (const bool winograd : {true, false}) {
        const WinogradSetting setting(winograd);
        Tensor xg = x.detach().set_requires_grad(true);
        const Tensor y = transpose ? conv_transpose2d(xg, w, b, c.stride, c.padding, t.output_padding)
                                   : conv2d(xg, w, b, c.stride, c.padding);
        check_close(y, want.shape, want.v, 2e-5);
        sum(y * r).backward();
        check_close(xg.grad(), want_gx.shape, want_gx.v, 2e-5);
        outputs.push_back(y.to_vector<double>());
        input_grads.push_back(xg.grad().to_vector<double>());
      }
      // Winograd rounds differently from the direct path: equal bits mean
      // it never ran.
      CHECK((outputs[0] != outputs[1]) == wc.output);
      CHECK((input_grads[0] != input_grads[1]) == wc.input_gradient);
    }
}

namespace {

// The geometry of a stride-1 case, as the ops seam builds it.
geometry::ConvGeometry stride1_geometry(const ConvCase& c) {
  geometry::ConvGeometry g;
  g.batch = c.x[0];
  g.out_channels = c.w[0];
  g.patch.channels = c.x[1];
  g.patch.in_h = c.x[2];
  g.patch.in_w = c.x[3];
  g.patch.kernel_h = c.w[2];
  g.patch.kernel_w = c.w[3];
  g.patch.pad_top = c.padding.top;
  g.patch.pad_left = c.padding.left;
  g.patch.out_h = c.x[2] + c.padding.top + c.padding.bottom - c.w[2] + 1;
  g.patch.out_w = c.x[3] + c.padding.left + c.padding.right - c.w[3] + 1;
  return g;
}

}  // namespace

TEMPLATE_TEST_CASE("every build of the narrow convolutions matches direct loops", "[conv]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  // Stride 1 with at most four output channels: the generator's 8x8 output
  // layer (smaller), rows that end inside a vector, one output channel, a
  // 1x7 kernel (taps in passes of 4 and 3, or 2, 2, 2 and 1), no padding, and
  // a batch of one. With at most 16 channels on each side: model1's 3 -> 8
  // and 8 -> 16 layers (smaller; rows of whole vectors, passes of four
  // channels), and 7 -> 13 channels (passes of 4, 4, 4 and 1 output
  // channels, of 4 and 3 for the input gradient).
  const std::vector<ConvCase> cases = {
      {{2, 32, 16, 16}, {3, 32, 8, 8}, {1, 1}, {3, 4, 3, 4}, true},
      {{2, 5, 9, 37}, {4, 5, 3, 5}, {1, 1}, {1, 1, 2, 2}, false},
      {{3, 2, 7, 6}, {1, 2, 2, 3}, {1, 1}, {0, 1, 2, 0}, true},
      {{1, 3, 5, 70}, {2, 3, 1, 7}, {1, 1}, {0, 0, 3, 3}, false},
      {{2, 6, 6, 6}, {3, 6, 3, 3}, {1, 1}, {0, 0, 0, 0}, true},
      {{2, 3, 6, 64}, {8, 3, 3, 3}, {1, 1}, {1, 1, 1, 1}, true},
      {{2, 8, 5, 32}, {16, 8, 3, 3}, {1, 1}, {1, 1, 1, 1}, false},
      {{2, 7, 9, 11}, {13, 7, 3, 3}, {1, 1}, {1, 1, 1, 1}, true},
  };
  const std::vector<cpu::SimdBuild> builds = cpu::simd_builds();
  if (builds.size() < 3) WARN("this CPU runs " << builds.size() << " of the 3 builds; the others are not tested");
  manual_seed(15);
  for (const ConvCase& c : cases) {
    INFO(describe(c));
    REQUIRE(cpu::narrow_conv_fits(stride1_geometry(c)));
    const Tensor x = uniform(c.x, -1, 1, opts), w = uniform(c.w, -1, 1, opts);
    const Tensor b = c.bias ? uniform({c.w[0]}, -1, 1, opts) : Tensor();
    const std::vector<double> bias = c.bias ? b.to_vector<double>() : std::vector<double>{};
    const Grid want = reference_conv(Grid(x), Grid(w), bias, c.stride, c.padding);
    const Tensor r = uniform(want.shape, -1, 1, opts);
    const Grid want_gx = reference_scatter(Grid(r), Grid(w), {}, c.stride, c.padding, c.x[2], c.x[3]);
    const Grid want_gw = reference_weight_grad(Grid(x), Grid(r), c.w[2], c.w[3], c.stride, c.padding);
    std::vector<std::vector<double>> outputs;
    for (const cpu::SimdBuild build : builds) {
      INFO("build " << static_cast<int>(build));
      const SimdBuildSetting setting(build);
      Tensor xg = x.detach().set_requires_grad(true), wg = w.detach().set_requires_grad(true);
      const Tensor y = conv2d(xg, wg, b, c.stride, c.padding);
      check_close(y, want.shape, want.v, tolerance<TestType>());
      sum(y * r).backward();
      check_close(xg.grad(), want_gx.shape, want_gx.v, tolerance<TestType>());
      check_close(wg.grad(), want_gw.shape, want_gw.v, tolerance<TestType>());
      outputs.push_back(y.to_vector<double>());
    }
    // SSE2 multiplies and adds where the wider builds fuse the two: on the
    // largest case different bits show that the switch changed the loops.
    if (builds.size() > 1 && c.w[1] == 32) CHECK(outputs.front() != outputs.back());
  }
}

TEST_CASE("conv_transpose2d is the adjoint of conv2d", "[conv]") {
  const TensorOptions opts = TensorOptions().dtype(Dtype::f64);
  manual_seed(13);
  const Tensor w = uniform({3, 2, 5, 4}, -1, 1, opts);
  const Size2d stride{2, 3};
  const Padding2d padding{1, 2, 2, 1};
  const Tensor x = uniform({2, 2, 11, 13}, -1, 1, opts);
  const Tensor y = conv2d(x, w, Tensor(), stride, padding);
  const Tensor r = uniform(y.shape(), -1, 1, opts);
  // Rows and columns the conv never reads come back through output_padding.
  const Size2d output_padding{11 - conv_transpose_output_size(y.size(2), 5, 2, 1, 2, 0),
                              13 - conv_transpose_output_size(y.size(3), 4, 3, 2, 1, 0)};
  const Tensor back = conv_transpose2d(r, w, Tensor(), stride, padding, output_padding);
  REQUIRE(back.shape() == x.shape());
  CHECK(sum(y * r).item() == Approx(sum(x * back).item()).epsilon(1e-12));
}

namespace {
// Direct max pooling over the real cells of each window.
Grid reference_max_pool(Grid x, Size2d k, Size2d s, Padding2d p) {
  const std::int64_t out_h = (x.shape[2] + p.top + p.bottom - k.h) / s.h + 1;
  const std::int64_t out_w = (x.shape[3] + p.left + p.right - k.w) / s.w + 1;
  Grid y({x.shape[0], x.shape[1], out_h, out_w});
  for (std::int64_t n = 0; n < x.shape[0]; ++n)
    for (std::int64_t c = 0; c < x.shape[1]; ++c)
      for (std::int64_t i = 0; i < out_h; ++i)
        for (std::int64_t j = 0; j < out_w; ++j) {
          double best = -std::numeric_limits<double>::infinity();
          for (std::int64_t r = i * s.h - p.top; r < i * s.h - p.top + k.h; ++r)
            for (std::int64_t q = j * s.w - p.left; q < j * s.w - p.left + k.w; ++q)
              if (r >= 0 && r < x.shape[2] && q >= 0 && q < x.shape[3]) best = std::max(best, x.at(n, c, r, q));
          y.at(n, c, i, j) = best;
        }
  return y;
}
}  // namespace

TEMPLATE_TEST_CASE("max_pool2d has known values and routes gradients to the winners", "[pool]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  Tensor x = from_vector<double>({1, 5, 2, 0, 3, 4, 8, 6, 9, 7, 1, 2, 0, 3, 5, 4}, {1, 1, 4, 4}, opts);
  x.set_requires_grad(true);
  const Tensor y = max_pool2d(x, {2, 2}, {2, 2});
  CHECK(y.to_vector<double>() == std::vector<double>{5, 8, 9, 5});
  sum(y * from_vector<double>({1, 2, 3, 4}, {1, 1, 2, 2}, opts)).backward();
  CHECK(x.grad().to_vector<double>() == std::vector<double>{0, 1, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0, 0, 0, 4, 0});

  // All negative with padding: a padded zero must never win, and a cell that
  // wins several overlapping windows collects all their gradients.
  Tensor neg = from_vector<double>({-1, -2, -3, -4}, {1, 1, 2, 2}, opts);
  neg.set_requires_grad(true);
  const Tensor pooled = max_pool2d(neg, {2, 2}, {1, 1}, Padding2d::symmetric(1, 1));
  CHECK(pooled.to_vector<double>() == std::vector<double>{-1, -1, -2, -1, -1, -2, -3, -3, -4});
  sum(pooled).backward();
  CHECK(neg.grad().to_vector<double>() == std::vector<double>{4, 2, 2, 1});
}

TEMPLATE_TEST_CASE("max_pool2d matches direct loops", "[pool]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  manual_seed(14);
  const Tensor x = uniform({2, 3, 9, 8}, -1, 1, opts);
  struct PoolCase {
    Size2d kernel, stride;
    Padding2d padding;
  };
  const std::vector<PoolCase> cases = {{{2, 2}, {2, 2}, {}},           {{3, 3}, {2, 2}, {1, 1, 1, 1}},
                                       {{3, 2}, {1, 2}, {0, 2, 1, 0}}, {{2, 3}, {3, 1}, {1, 0, 0, 2}},
                                       {{1, 1}, {2, 2}, {}},           {{4, 4}, {4, 4}, {}}};
  for (const PoolCase& c : cases) {
    const Grid want = reference_max_pool(Grid(x), c.kernel, c.stride, c.padding);
    check_close(max_pool2d(x, c.kernel, c.stride, c.padding), want.shape, want.v, 0.0);
  }
}

TEST_CASE("conv and pool errors name the op and the shapes", "[conv][pool][errors]") {
  const Tensor x = zeros({2, 3, 8, 8});
  CHECK_THROWS_WITH(conv2d(x, zeros({4, 5, 3, 3}), Tensor(), {1, 1}, {}),
                    Contains("conv2d") && Contains("[4, 5, 3, 3]") && Contains("[2, 3, 8, 8]"));
  CHECK_THROWS_WITH(conv2d(zeros({3, 8, 8}), zeros({4, 3, 3, 3}), Tensor(), {1, 1}, {}),
                    Contains("conv2d") && Contains("[3, 8, 8]"));
  CHECK_THROWS_WITH(conv2d(x, zeros({4, 3, 3, 3}, TensorOptions().dtype(Dtype::f64)), Tensor(), {1, 1}, {}),
                    Contains("conv2d") && Contains("f64") && Contains("[4, 3, 3, 3]") && Contains("[2, 3, 8, 8]"));
  CHECK_THROWS_WITH(conv2d(x, zeros({4, 3, 3, 3}), zeros({5}), {1, 1}, {}),
                    Contains("conv2d") && Contains("[5]") && Contains("[4, 3, 3, 3]"));
  CHECK_THROWS_WITH(conv2d(x, zeros({4, 3, 3, 3}), Tensor(), {0, 1}, {}),
                    Contains("conv2d") && Contains("stride") && Contains("[2, 3, 8, 8]"));
  CHECK_THROWS_WITH(conv2d(x, zeros({4, 3, 3, 3}), Tensor(), {1, 1}, {-1, 0, 0, 0}),
                    Contains("conv2d") && Contains("padding"));
  CHECK_THROWS_WITH(conv2d(x, zeros({4, 3, 9, 3}), Tensor(), {1, 1}, {}),
                    Contains("conv2d") && Contains("[4, 3, 9, 3]") && Contains("[2, 3, 8, 8]"));

  CHECK_THROWS_WITH(conv_transpose2d(x, zeros({4, 3, 3, 3}), Tensor(), {1, 1}, {}),
                    Contains("conv_transpose2d") && Contains("[4, 3, 3, 3]") && Contains("[2, 3, 8, 8]"));
  CHECK_THROWS_WITH(conv_transpose2d(x, zeros({3, 4, 3, 3}), zeros({3}), {1, 1}, {}),
                    Contains("conv_transpose2d") && Contains("[3]"));
  CHECK_THROWS_WITH(conv_transpose2d(x, zeros({3, 4, 3, 3}), Tensor(), {2, 2}, {}, {2, 0}),
                    Contains("conv_transpose2d") && Contains("output_padding"));
  CHECK_THROWS_WITH(conv_transpose2d(zeros({2, 3, 1, 1}), zeros({3, 4, 1, 1}), Tensor(), {1, 1}, {1, 0, 0, 0}),
                    Contains("conv_transpose2d") && Contains("[2, 3, 1, 1]") && Contains("[3, 4, 1, 1]"));
  CHECK_THROWS_WITH(conv_transpose2d(x, zeros({3, 4, 3, 3}, TensorOptions().dtype(Dtype::f64)), Tensor(), {1, 1}, {}),
                    Contains("conv_transpose2d") && Contains("f64"));

  CHECK_THROWS_WITH(max_pool2d(zeros({8, 8}), {2, 2}, {2, 2}), Contains("max_pool2d") && Contains("[8, 8]"));
  CHECK_THROWS_WITH(max_pool2d(x, {2, 2}, {2, 2}, Padding2d::symmetric(2, 0)),
                    Contains("max_pool2d") && Contains("padding") && Contains("[2, 3, 8, 8]"));
  CHECK_THROWS_WITH(max_pool2d(x, {9, 2}, {1, 1}), Contains("max_pool2d") && Contains("[2, 3, 8, 8]"));
  CHECK_THROWS_WITH(max_pool2d(x, {2, 2}, {0, 2}), Contains("max_pool2d") && Contains("stride"));
}

TEST_CASE("conv2d called inside a parallel region still covers the whole batch", "[conv]") {
  manual_seed(13);
  const Tensor x = uniform({6, 3, 9, 9}, -1, 1), w = uniform({4, 3, 3, 3}, -1, 1);
  const Padding2d same = Padding2d::symmetric(1, 1);
  const std::vector<double> want = conv2d(x, w, Tensor(), {1, 1}, same).to_vector<double>();
  std::vector<double> got;
  // Nested regions get a team of one thread however many the op asks for.
#pragma omp parallel num_threads(2)
  {
#pragma omp single
    got = conv2d(x, w, Tensor(), {1, 1}, same).to_vector<double>();
  }
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(std::abs(got[i] - want[i]) <= 1e-5 * (1 + std::abs(want[i])));
  }
}
