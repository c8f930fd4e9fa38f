#include "cpu/conv_narrow.hpp"

#include <algorithm>
#include <cstring>

#include "cpu/batch_sums.hpp"
#include "cpu/flipped_kernel.hpp"
#include "cpu/memory.hpp"
#include "cpu/parallel.hpp"
#include "cpu/simd_build.hpp"

// The loops are written on GCC's vector types, one register wide, and
// compiled once per SIMD build (cpu/simd_build.hpp).

namespace nn::cpu {
namespace {

// A pass keeps a row of up to four output channels in registers.
constexpr std::int64_t kOutputsPerPass = 4;
// Up to 16 channels on both sides (model1's 3 -> 8 and 8 -> 16 layers) these
// loops beat the lowering to a GEMM; at 16 -> 32 they are level with it.
constexpr std::int64_t kMaxChannels = 16;
// The widest register any build uses: 64 bytes (AVX-512).
constexpr std::int64_t kWidestBytes = 64;

// kBytes bytes of T: 16 (SSE2), 32 (AVX2) or 64 (AVX-512), one register.
template <class T, int kBytes>
struct VectorOf {
  typedef T type __attribute__((vector_size(kBytes)));
};
template <class T, int kBytes>
using Vector = typename VectorOf<T, kBytes>::type;
template <class T, int kBytes>
constexpr std::int64_t kLanes = kBytes / static_cast<std::int64_t>(sizeof(T));
// Output columns the padded planes are laid out for: two of the widest
// vectors, a multiple of every build's pass over a row.
template <class T>
constexpr std::int64_t kBlock = 2 * kWidestBytes / static_cast<std::int64_t>(sizeof(T));

// An unaligned load (by reference: returning a wide vector by value would
// depend on the ISA's calling convention).
template <class V, class T>
[[gnu::always_inline]] inline void load(V& v, const T* p) {
  std::memcpy(&v, p, sizeof v);
}

// Keeps a loaded vector in its register. Without it GCC folds the load into
// every multiply-add that uses it, so each output channel repeats a load that
// mostly straddles two cache lines: half the forward pass's speed.
template <class V>
[[gnu::always_inline]] inline void keep_in_register([[maybe_unused]] V& v) {
#ifdef NN_SIMD_X86
  asm("" : "+v"(v));
#endif
}

std::int64_t round_up(std::int64_t v, std::int64_t to) { return (v + to - 1) / to * to; }

// Planes of `rows` x `cols` holding h x w source planes at (top, left), zero
// elsewhere, so the loops read the padding like any other value.
struct PaddedPlanes {
  std::int64_t rows = 0, cols = 0, top = 0, left = 0;
  std::int64_t plane() const { return rows * cols; }
};

template <class T>
void pad_planes(const T* src, std::int64_t planes, std::int64_t h, std::int64_t w, const PaddedPlanes& p, T* dst) {
  std::fill(dst, dst + planes * p.plane(), T(0));
  for (std::int64_t c = 0; c < planes; ++c)
    for (std::int64_t r = 0; r < h; ++r)
      std::copy(src + (c * h + r) * w, src + (c * h + r + 1) * w, dst + c * p.plane() + (p.top + r) * p.cols + p.left);
}

// The sizes of a correlation over padded planes.
struct Correlation {
  std::int64_t inputs = 0, outputs = 0;  // planes read and written
  std::int64_t kernel_h = 0, kernel_w = 0;
  std::int64_t out_h = 0, out_w = 0;
  PaddedPlanes in;  // in.cols >= round_up(out_w, kBlock) + kernel_w - 1
};

// out[o][y][x] = sum over i, ky, kx of k[o][i][ky][kx] * in[i][y + ky][x + kx]
// for the kOuts planes o of one block, two vectors of columns at a time.
template <class T, int kBytes, int kOuts>
[[gnu::always_inline]] inline void correlate_block(const T* in, const T* k, const Correlation& c, T* out) {
  using V = Vector<T, kBytes>;
  constexpr std::int64_t lanes = kLanes<T, kBytes>, block = 2 * lanes;
  const std::int64_t taps = c.kernel_h * c.kernel_w, per_output = c.inputs * taps;
  for (std::int64_t y = 0; y < c.out_h; ++y)
    for (std::int64_t x0 = 0; x0 < c.out_w; x0 += block) {
      V acc[kOuts][2] = {};
      for (std::int64_t i = 0; i < c.inputs; ++i)
        for (std::int64_t ky = 0; ky < c.kernel_h; ++ky) {
          const T* row = in + i * c.in.plane() + (y + ky) * c.in.cols + x0;
          const T* tap = k + i * taps + ky * c.kernel_w;
          for (std::int64_t kx = 0; kx < c.kernel_w; ++kx) {
            V a, b;
            load(a, row + kx);
            load(b, row + kx + lanes);
            keep_in_register(a);
            keep_in_register(b);
            for (int o = 0; o < kOuts; ++o) {
              const T t = tap[o * per_output + kx];
              acc[o][0] += t * a;
              acc[o][1] += t * b;
            }
          }
        }
      const std::int64_t n = std::min(block, c.out_w - x0);
      for (int o = 0; o < kOuts; ++o) {
        T* to = out + (o * c.out_h + y) * c.out_w + x0;
        // Whole blocks go straight from the registers: reading a stored
        // vector back in smaller pieces stalls on store forwarding.
        if (n == block) {
          std::memcpy(to, &acc[o][0], sizeof acc[o][0]);
          std::memcpy(to + lanes, &acc[o][1], sizeof acc[o][1]);
          continue;
        }
        T values[block];
        std::memcpy(values, acc[o], sizeof values);
        std::copy(values, values + n, to);
      }
    }
}

template <class T, int kBytes>
[[gnu::always_inline]] inline void correlate_body(const T* in, const T* k, const Correlation& c, T* out) {
  const std::int64_t per_output = c.inputs * c.kernel_h * c.kernel_w, plane = c.out_h * c.out_w;
  for (std::int64_t o = 0; o < c.outputs; o += kOutputsPerPass) {
    const T* ko = k + o * per_output;
    T* oo = out + o * plane;
    switch (std::min(kOutputsPerPass, c.outputs - o)) {
      case 4: correlate_block<T, kBytes, 4>(in, ko, c, oo); break;
      case 3: correlate_block<T, kBytes, 3>(in, ko, c, oo); break;
      case 2: correlate_block<T, kBytes, 2>(in, ko, c, oo); break;
      default: correlate_block<T, kBytes, 1>(in, ko, c, oo); break;
    }
  }
}

// The sizes of one image's weight gradient.
struct WeightSums {
  std::int64_t channels = 0, outputs = 0;  // x's planes, grad_y's planes
  std::int64_t kernel_h = 0, kernel_w = 0;
  std::int64_t out_h = 0;
  PaddedPlanes x;   // x.cols >= g.cols + kernel_w - 1
  PaddedPlanes g;   // grad_y planes with zero columns up to g.cols, a multiple of every build's lanes
};

// sums[o][c][ky][kx0 + t] += sum over y, x of g[o][y][x] * x[c][y + ky][x + kx0 + t]
// for t < kTaps and the kOuts planes of g: vector partial sums over the
// image, then one horizontal sum each, added to `sums` in a fixed order.
template <class T, int kBytes, int kOuts, int kTaps>
[[gnu::always_inline]] inline void weight_sums_block(const T* x, const T* g, const WeightSums& s, std::int64_t kx0,
                                                     T* sums) {
  using V = Vector<T, kBytes>;
  constexpr std::int64_t lanes = kLanes<T, kBytes>;
  const std::int64_t taps = s.kernel_h * s.kernel_w, per_output = s.channels * taps;
  for (std::int64_t c = 0; c < s.channels; ++c)
    for (std::int64_t ky = 0; ky < s.kernel_h; ++ky) {
      V acc[kOuts][kTaps] = {};
      for (std::int64_t y = 0; y < s.out_h; ++y) {
        const T* xrow = x + c * s.x.plane() + (y + ky) * s.x.cols + kx0;
        const T* grow = g + y * s.g.cols;
        for (std::int64_t x0 = 0; x0 < s.g.cols; x0 += lanes) {
          V gv[kOuts];
          for (int o = 0; o < kOuts; ++o) {
            load(gv[o], grow + o * s.g.plane() + x0);
            keep_in_register(gv[o]);
          }
          for (int t = 0; t < kTaps; ++t) {
            V xv;
            load(xv, xrow + x0 + t);
            keep_in_register(xv);
            for (int o = 0; o < kOuts; ++o) acc[o][t] += gv[o] * xv;
          }
        }
      }
      for (int o = 0; o < kOuts; ++o)
        for (int t = 0; t < kTaps; ++t) {
          T values[lanes];
          std::memcpy(values, &acc[o][t], sizeof values);
          T total = 0;
          for (const T v : values) total += v;
          sums[o * per_output + c * taps + ky * s.kernel_w + kx0 + t] += total;
        }
    }
}

// Taps per pass: kOuts x kTaps accumulators and kOuts + 1 operands fit the
// 32 AVX-512 registers with 4 taps, the 16 of AVX2 and SSE2 with 2.
template <class T, int kBytes, int kOuts>
[[gnu::always_inline]] inline void weight_sums_outputs(const T* x, const T* g, const WeightSums& s, T* sums) {
  constexpr int kMaxTaps = kBytes == 64 ? 4 : 2;
  for (std::int64_t kx = 0; kx < s.kernel_w; kx += kMaxTaps) {
    if (kMaxTaps == 4 && s.kernel_w - kx >= 4) {
      weight_sums_block<T, kBytes, kOuts, 4>(x, g, s, kx, sums);
    } else if (kMaxTaps == 4 && s.kernel_w - kx == 3) {
      weight_sums_block<T, kBytes, kOuts, 3>(x, g, s, kx, sums);
    } else if (s.kernel_w - kx >= 2) {
      weight_sums_block<T, kBytes, kOuts, 2>(x, g, s, kx, sums);
    } else {
      weight_sums_block<T, kBytes, kOuts, 1>(x, g, s, kx, sums);
    }
  }
}

template <class T, int kBytes>
[[gnu::always_inline]] inline void weight_sums_body(const T* x, const T* g, const WeightSums& s, T* sums) {
  const std::int64_t per_output = s.channels * s.kernel_h * s.kernel_w;
  for (std::int64_t o = 0; o < s.outputs; o += kOutputsPerPass) {
    const T* go = g + o * s.g.plane();
    T* so = sums + o * per_output;
    switch (std::min(kOutputsPerPass, s.outputs - o)) {
      case 4: weight_sums_outputs<T, kBytes, 4>(x, go, s, so); break;
      case 3: weight_sums_outputs<T, kBytes, 3>(x, go, s, so); break;
      case 2: weight_sums_outputs<T, kBytes, 2>(x, go, s, so); break;
      default: weight_sums_outputs<T, kBytes, 1>(x, go, s, so); break;
    }
  }
}

// The loops as each build compiles them.
template <class T>
struct Kernels {
  void (*correlate)(const T* in, const T* k, const Correlation& c, T* out);
  void (*weight_sums)(const T* x, const T* g, const WeightSums& s, T* sums);
};

template <class T>
void correlate_sse2(const T* in, const T* k, const Correlation& c, T* out) {
  correlate_body<T, 16>(in, k, c, out);
}
template <class T>
void weight_sums_sse2(const T* x, const T* g, const WeightSums& s, T* sums) {
  weight_sums_body<T, 16>(x, g, s, sums);
}

#ifdef NN_SIMD_X86
template <class T>
__attribute__((target("arch=x86-64-v3"))) void correlate_avx2(const T* in, const T* k, const Correlation& c,
                                                               T* out) {
  correlate_body<T, 32>(in, k, c, out);
}
template <class T>
__attribute__((target("arch=x86-64-v3"))) void weight_sums_avx2(const T* x, const T* g, const WeightSums& s,
                                                                 T* sums) {
  weight_sums_body<T, 32>(x, g, s, sums);
}
template <class T>
__attribute__((target("arch=x86-64-v4"))) void correlate_avx512(const T* in, const T* k, const Correlation& c,
                                                                 T* out) {
  correlate_body<T, 64>(in, k, c, out);
}
template <class T>
__attribute__((target("arch=x86-64-v4"))) void weight_sums_avx512(const T* x, const T* g, const WeightSums& s,
                                                                   T* sums) {
  weight_sums_body<T, 64>(x, g, s, sums);
}
#endif

template <class T>
Kernels<T> kernels() {
  switch (simd_build()) {
#ifdef NN_SIMD_X86
    case SimdBuild::avx512: return {correlate_avx512<T>, weight_sums_avx512<T>};
    case SimdBuild::avx2: return {correlate_avx2<T>, weight_sums_avx2<T>};
#endif
    default: return {correlate_sse2<T>, weight_sums_sse2<T>};
  }
}

// x's planes padded for reading the kernel's taps from output position
// (y, x) at (y + ky, x + kx): the forward pass and the weight gradient.
template <class T>
PaddedPlanes padded_input(const geometry::ConvGeometry& g, std::int64_t columns) {
  const geometry::PatchGeometry& p = g.patch;
  return {.rows = std::max(p.out_h + p.kernel_h - 1, p.pad_top + p.in_h),
          .cols = std::max(columns + p.kernel_w - 1, p.pad_left + p.in_w),
          .top = p.pad_top,
          .left = p.pad_left};
}

}  // namespace

bool narrow_conv_fits(const geometry::ConvGeometry& g) {
  const geometry::PatchGeometry& p = g.patch;
  const bool narrow =
      g.out_channels <= kOutputsPerPass || (g.out_channels <= kMaxChannels && p.channels <= kMaxChannels);
  return p.stride_h == 1 && p.stride_w == 1 && g.out_channels >= 1 && narrow &&
         p.pad_top < p.kernel_h && p.pad_left < p.kernel_w && p.out_h > 0 && p.out_w > 0;
}

template <class T>
void narrow_conv_forward(const T* x, const T* w, const geometry::ConvGeometry& g, T* y) {
  const geometry::PatchGeometry& p = g.patch;
  Correlation c{.inputs = p.channels,
                .outputs = g.out_channels,
                .kernel_h = p.kernel_h,
                .kernel_w = p.kernel_w,
                .out_h = p.out_h,
                .out_w = p.out_w,
                .in = padded_input<T>(g, round_up(p.out_w, kBlock<T>))};
  const Kernels<T> run = kernels<T>();
  parallel_shares(g.batch, [&](std::int64_t first, std::int64_t count, int) {
    ScratchArray<T> padded(p.channels * c.in.plane());
    for (std::int64_t n = first; n < first + count; ++n) {
      pad_planes(x + n * p.image_size(), p.channels, p.in_h, p.in_w, c.in, padded.get());
      run.correlate(padded.get(), w, c, y + n * g.out_channels * p.positions());
    }
  });
}

template <class T>
void narrow_conv_backward_data(const T* grad_y, const T* w, const geometry::ConvGeometry& g, T* grad_x) {
  const geometry::PatchGeometry& p = g.patch;
  // grad_x[c][y][x] = sum over o, ky, kx of w[o][c][ky][kx] * grad_y[o][y + pad_top - ky][x + pad_left - kx]:
  // a correlation of grad_y, padded by kernel - 1 - pad before, with the
  // kernel flipped and its channel axes swapped.
  ScratchArray<T> flipped(g.out_channels * p.rows());
  flip_kernel(w, g.out_channels, p.channels, p.kernel_h * p.kernel_w, flipped.get());
  const PaddedPlanes in{.rows = std::max(p.in_h + p.kernel_h - 1, p.kernel_h - 1 - p.pad_top + p.out_h),
                        .cols = std::max(round_up(p.in_w, kBlock<T>) + p.kernel_w - 1,
                                         p.kernel_w - 1 - p.pad_left + p.out_w),
                        .top = p.kernel_h - 1 - p.pad_top,
                        .left = p.kernel_w - 1 - p.pad_left};
  const Correlation c{.inputs = g.out_channels,
                      .outputs = p.channels,
                      .kernel_h = p.kernel_h,
                      .kernel_w = p.kernel_w,
                      .out_h = p.in_h,
                      .out_w = p.in_w,
                      .in = in};
  const Kernels<T> run = kernels<T>();
  parallel_shares(g.batch, [&](std::int64_t first, std::int64_t count, int) {
    ScratchArray<T> padded(g.out_channels * in.plane());
    for (std::int64_t n = first; n < first + count; ++n) {
      pad_planes(grad_y + n * g.out_channels * p.positions(), g.out_channels, p.out_h, p.out_w, in, padded.get());
      run.correlate(padded.get(), flipped.get(), c, grad_x + n * p.image_size());
    }
  });
}

template <class T>
void narrow_conv_backward_weight(const T* x, const T* grad_y, const geometry::ConvGeometry& g, T* grad_w) {
  const geometry::PatchGeometry& p = g.patch;
  const std::int64_t size = g.out_channels * p.rows(), columns = round_up(p.out_w, kLanes<T, kWidestBytes>);
  const WeightSums s{.channels = p.channels,
                     .outputs = g.out_channels,
                     .kernel_h = p.kernel_h,
                     .kernel_w = p.kernel_w,
                     .out_h = p.out_h,
                     .x = padded_input<T>(g, columns),
                     .g = {.rows = p.out_h, .cols = columns, .top = 0, .left = 0}};
  const Kernels<T> run = kernels<T>();
  sum_over_batch(g.batch, size, grad_w, [&](std::int64_t first, std::int64_t count, T* sums) {
    ScratchArray<T> padded_x(p.channels * s.x.plane()), padded_g(g.out_channels * s.g.plane());
    for (std::int64_t n = first; n < first + count; ++n) {
      pad_planes(x + n * p.image_size(), p.channels, p.in_h, p.in_w, s.x, padded_x.get());
      pad_planes(grad_y + n * g.out_channels * p.positions(), g.out_channels, p.out_h, p.out_w, s.g, padded_g.get());
      run.weight_sums(padded_x.get(), padded_g.get(), s, sums);
    }
  });
}

template void narrow_conv_forward<float>(const float*, const float*, const geometry::ConvGeometry&, float*);
template void narrow_conv_forward<double>(const double*, const double*, const geometry::ConvGeometry&, double*);
template void narrow_conv_backward_data<float>(const float*, const float*, const geometry::ConvGeometry&, float*);
template void narrow_conv_backward_data<double>(const double*, const double*, const geometry::ConvGeometry&,
                                                double*);
template void narrow_conv_backward_weight<float>(const float*, const float*, const geometry::ConvGeometry&, float*);
template void narrow_conv_backward_weight<double>(const double*, const double*, const geometry::ConvGeometry&,
                                                  double*);

}  // namespace nn::cpu
