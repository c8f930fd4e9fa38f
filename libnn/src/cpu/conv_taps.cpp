#include "cpu/conv_taps.hpp"

#include <algorithm>

#include "cpu/batch_sums.hpp"
#include "cpu/gemm.hpp"
#include "cpu/memory.hpp"
#include "cpu/parallel.hpp"
#include "cpu/patch_spans.hpp"
#include "cpu/phase_planes.hpp"

namespace nn::cpu {
namespace {

using geometry::ConvGeometry;
using geometry::PatchGeometry;

// Each tap's GEMM is as deep as the channels on one side, and a row of cells
// is as wide as out_w times a thread's images: below kMinChannels and
// kMinBatchWidth the GEMMs run far from OpenBLAS's peak. On outputs larger
// than 4x4 the padding's share of the products (an eighth at 8x8) hardly
// pays for copying the images into and out of the layout: with 8x8 outputs
// included the radford64 and AE-AC-GAN steps measured no faster.
constexpr std::int64_t kMinChannels = 64;
constexpr std::int64_t kMinBatchWidth = 128;
constexpr std::int64_t kMaxCells = 16;

// Calls run(tap, phase, out, in, width) for the stretches of output cells
// each tap ky * kernel_w + kx reaches inside the image: the tap's phase plane
// 2 * row phase + column phase, offsets into an output plane and into that
// phase plane, and the width, in values (cells times `count` images). A tap
// that reaches whole rows reaches them in one stretch.
template <class Run>
void for_each_stretch(const PatchGeometry& p, std::int64_t count, Run&& run) {
  const TapSpans spans = tap_spans(p);
  const std::int64_t w = p.out_w;
  for (std::int64_t ky = 0; ky < p.kernel_h; ++ky)
    for (std::int64_t kx = 0; kx < p.kernel_w; ++kx) {
      const Span ys = spans.rows[static_cast<std::size_t>(ky)], xs = spans.cols[static_cast<std::size_t>(kx)];
      if (ys.lo == ys.hi || xs.lo == xs.hi) continue;
      const PhaseShift row = phase_shift(ky - p.pad_top), col = phase_shift(kx - p.pad_left);
      const std::int64_t tap = ky * p.kernel_w + kx, phase = 2 * row.phase + col.phase;
      if (xs.lo == 0 && xs.hi == w) {  // then col.shift is 0
        run(tap, phase, ys.lo * w * count, (ys.lo + row.shift) * w * count, (ys.hi - ys.lo) * w * count);
        continue;
      }
      for (std::int64_t oy = ys.lo; oy < ys.hi; ++oy)
        run(tap, phase, (oy * w + xs.lo) * count, ((oy + row.shift) * w + xs.lo + col.shift) * count,
            (xs.hi - xs.lo) * count);
    }
}

// w [O, C, taps] as one [O, C] matrix per tap, and back, kPairBlock (o, c)
// pairs at a time: whole cache lines written on the per-tap side.
constexpr std::int64_t kPairBlock = 16;

template <class Copy>
void over_pair_blocks(const ConvGeometry& g, Copy&& copy) {
  const std::int64_t taps = g.patch.kernel_h * g.patch.kernel_w, pairs = g.out_channels * g.patch.channels;
  const std::int64_t blocks = (pairs + kPairBlock - 1) / kPairBlock;
  parallel_ranges(blocks, pairs * taps >= kParallelGrain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t block = begin; block < end; ++block) {
      const std::int64_t first = block * kPairBlock, last = std::min(pairs, first + kPairBlock);
      for (std::int64_t t = 0; t < taps; ++t)
        for (std::int64_t i = first; i < last; ++i) copy(i * taps + t, t * pairs + i);
    }
  });
}

template <class T>
ScratchArray<T> weights_by_tap(const T* w, const ConvGeometry& g) {
  ScratchArray<T> by_tap(g.patch.kernel_h * g.patch.kernel_w * g.out_channels * g.patch.channels);
  over_pair_blocks(g, [&](std::int64_t kernel, std::int64_t tap) { by_tap[tap] = w[kernel]; });
  return by_tap;
}

template <class T>
void weights_from_taps(const T* by_tap, const ConvGeometry& g, T* w) {
  over_pair_blocks(g, [&](std::int64_t kernel, std::int64_t tap) { w[kernel] = by_tap[tap]; });
}

// One thread's share of `count` images in the images-innermost layout: a
// plane of h x w cells per channel, each cell the `count` images' values
// side by side. An input [count, channels, 2h, 2w] becomes four phases of
// `channels` such planes (phase-major), an output [count, channels, h, w]
// `channels` planes.
struct LayoutShape {
  std::int64_t count, channels, h, w;
  bool phases;

  std::int64_t step() const { return phases ? 2 : 1; }
  std::int64_t image() const { return channels * h * w * step() * step(); }
  std::int64_t plane() const { return h * w * count; }
};

// The copies go a row of kImageBlock images at a time through a tile: the
// image rows are read whole, and each cell's block of images is one cache
// line written whole.
constexpr std::int64_t kImageBlock = 16;

// Calls copy(row, even, odd, nb) for each image row of each block of nb
// images: the offsets of the row in the block's first image and of the
// layout rows its values go to (at the block's first image), value x to
// cell x / step of row `odd` when x is odd in phase planes, else of `even`.
template <class Copy>
void over_rows(const LayoutShape& s, Copy&& copy) {
  const std::int64_t step = s.step(), in_h = s.h * step, in_w = s.w * step;
  const std::int64_t odd = s.phases ? s.channels * s.plane() : 0;  // the next phase plane
  for (std::int64_t b0 = 0; b0 < s.count; b0 += kImageBlock) {
    const std::int64_t nb = std::min(kImageBlock, s.count - b0);
    for (std::int64_t c = 0; c < s.channels; ++c)
      for (std::int64_t y = 0; y < in_h; ++y) {
        const std::int64_t even = (step * (y % step) * s.channels + c) * s.plane() + (y / step) * s.w * s.count;
        copy(b0 * s.image() + (c * in_h + y) * in_w, even + b0, even + odd + b0, nb);
      }
  }
}

template <class T>
void to_layout(const T* images, const LayoutShape& s, T* cells) {
  const std::int64_t step = s.step(), in_w = s.w * step;
  T tile[kImageBlock * 2 * kMaxCells];
  over_rows(s, [&](std::int64_t row, std::int64_t even, std::int64_t odd, std::int64_t nb) {
    for (std::int64_t b = 0; b < nb; ++b) std::copy_n(images + row + b * s.image(), in_w, tile + b * in_w);
    for (std::int64_t x = 0; x < in_w; ++x) {
      T* cell = cells + (x % step ? odd : even) + (x / step) * s.count;
      for (std::int64_t b = 0; b < nb; ++b) cell[b] = tile[b * in_w + x];
    }
  });
}

template <class T>
void from_layout(const T* cells, const LayoutShape& s, T* images) {
  const std::int64_t step = s.step(), in_w = s.w * step;
  T tile[kImageBlock * 2 * kMaxCells];
  over_rows(s, [&](std::int64_t row, std::int64_t even, std::int64_t odd, std::int64_t nb) {
    for (std::int64_t x = 0; x < in_w; ++x) {
      const T* cell = cells + (x % step ? odd : even) + (x / step) * s.count;
      for (std::int64_t b = 0; b < nb; ++b) tile[b * in_w + x] = cell[b];
    }
    for (std::int64_t b = 0; b < nb; ++b) std::copy_n(tile + b * in_w, in_w, images + row + b * s.image());
  });
}

// A thread's share of `count` images: their phase planes and output planes,
// each plane `plane` values long.
template <class T>
struct Share {
  Share(const ConvGeometry& g, std::int64_t count)
      : plane(g.patch.out_h * g.patch.out_w * count),
        inputs(4 * g.patch.channels * plane),
        outputs(g.out_channels * plane) {}
  std::int64_t plane;
  ScratchArray<T> inputs, outputs;
};

}  // namespace

bool tap_conv_fits(const ConvGeometry& g) {
  return splits_into_phases(g.patch) && g.patch.channels >= kMinChannels && g.out_channels >= kMinChannels &&
         g.patch.positions() <= kMaxCells && g.batch * g.patch.out_w >= kMinBatchWidth;
}

template <class T>
void tap_conv_forward(const T* x, const T* w, const ConvGeometry& g, T* y) {
  const PatchGeometry& p = g.patch;
  const std::int64_t in_c = p.channels, out_c = g.out_channels, cells = p.positions();
  const ScratchArray<T> by_tap = weights_by_tap(w, g);
  parallel_shares(g.batch, [&](std::int64_t first, std::int64_t count, int) {
    if (count == 0) return;
    Share<T> s(g, count);
    to_layout(x + first * p.image_size(), LayoutShape{count, in_c, p.out_h, p.out_w, true}, s.inputs.get());
    std::fill(s.outputs.get(), s.outputs.get() + out_c * s.plane, T(0));
    for_each_stretch(p, count, [&](std::int64_t tap, std::int64_t phase, std::int64_t at, std::int64_t from,
                                   std::int64_t width) {
      gemm(false, false, out_c, width, in_c, T(1), by_tap.get() + tap * out_c * in_c, in_c,
           s.inputs.get() + phase * in_c * s.plane + from, s.plane, T(1), s.outputs.get() + at, s.plane);
    });
    from_layout(s.outputs.get(), LayoutShape{count, out_c, p.out_h, p.out_w, false}, y + first * out_c * cells);
  });
}

template <class T>
void tap_conv_backward_data(const T* grad_y, const T* w, const ConvGeometry& g, T* grad_x) {
  const PatchGeometry& p = g.patch;
  const std::int64_t in_c = p.channels, out_c = g.out_channels, cells = p.positions();
  const ScratchArray<T> by_tap = weights_by_tap(w, g);
  parallel_shares(g.batch, [&](std::int64_t first, std::int64_t count, int) {
    if (count == 0) return;
    Share<T> s(g, count);
    to_layout(grad_y + first * out_c * cells, LayoutShape{count, out_c, p.out_h, p.out_w, false}, s.outputs.get());
    std::fill(s.inputs.get(), s.inputs.get() + 4 * in_c * s.plane, T(0));
    for_each_stretch(p, count, [&](std::int64_t tap, std::int64_t phase, std::int64_t at, std::int64_t from,
                                   std::int64_t width) {
      gemm(true, false, in_c, width, out_c, T(1), by_tap.get() + tap * out_c * in_c, in_c, s.outputs.get() + at,
           s.plane, T(1), s.inputs.get() + phase * in_c * s.plane + from, s.plane);
    });
    from_layout(s.inputs.get(), LayoutShape{count, in_c, p.out_h, p.out_w, true}, grad_x + first * p.image_size());
  });
}

template <class T>
void tap_conv_backward_weight(const T* x, const T* grad_y, const ConvGeometry& g, T* grad_w) {
  const PatchGeometry& p = g.patch;
  const std::int64_t in_c = p.channels, out_c = g.out_channels, cells = p.positions();
  const std::int64_t size = p.kernel_h * p.kernel_w * out_c * in_c;
  ScratchArray<T> by_tap(size);
  sum_over_batch(g.batch, size, by_tap.get(), [&](std::int64_t first, std::int64_t count, T* sums) {
    if (count == 0) return;
    Share<T> s(g, count);
    to_layout(x + first * p.image_size(), LayoutShape{count, in_c, p.out_h, p.out_w, true}, s.inputs.get());
    to_layout(grad_y + first * out_c * cells, LayoutShape{count, out_c, p.out_h, p.out_w, false}, s.outputs.get());
    for_each_stretch(p, count, [&](std::int64_t tap, std::int64_t phase, std::int64_t at, std::int64_t from,
                                   std::int64_t width) {
      gemm(false, true, out_c, in_c, width, T(1), s.outputs.get() + at, s.plane,
           s.inputs.get() + phase * in_c * s.plane + from, s.plane, T(1), sums + tap * out_c * in_c, in_c);
    });
  });
  weights_from_taps(by_tap.get(), g, grad_w);
}

template void tap_conv_forward(const float*, const float*, const ConvGeometry&, float*);
template void tap_conv_forward(const double*, const double*, const ConvGeometry&, double*);
template void tap_conv_backward_data(const float*, const float*, const ConvGeometry&, float*);
template void tap_conv_backward_data(const double*, const double*, const ConvGeometry&, double*);
template void tap_conv_backward_weight(const float*, const float*, const ConvGeometry&, float*);
template void tap_conv_backward_weight(const double*, const double*, const ConvGeometry&, double*);

}  // namespace nn::cpu
