#include "cpu/im2col.hpp"

#include <algorithm>
#include <vector>

#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {

// The output positions [lo, hi) whose input index o*stride + offset falls
// inside [0, size); offset is the kernel tap minus the leading padding.
struct Span {
  std::int64_t lo, hi;
};

Span valid_outputs(std::int64_t out, std::int64_t size, std::int64_t stride, std::int64_t offset) {
  const std::int64_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const std::int64_t hi = offset >= size ? 0 : (size - offset + stride - 1) / stride;
  const std::int64_t clamped_hi = std::min(hi, out);
  return {std::min(lo, clamped_hi), clamped_hi};
}

// The valid output span of every kernel row and every kernel column, computed
// once per call rather than once per (image, channel, tap).
struct TapSpans {
  std::vector<Span> rows, cols;
};

TapSpans tap_spans(const geometry::PatchGeometry& g) {
  TapSpans s;
  for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
    s.rows.push_back(valid_outputs(g.out_h, g.in_h, g.stride_h, ki - g.pad_top));
  for (std::int64_t kj = 0; kj < g.kernel_w; ++kj)
    s.cols.push_back(valid_outputs(g.out_w, g.in_w, g.stride_w, kj - g.pad_left));
  return s;
}

// dst[i] = src[i * stride] for i < n; strides 1 and 2 (the common ones) get
// loops the compiler vectorises.
template <class T>
void gather(const T* src, std::int64_t n, std::int64_t stride, T* dst) {
  if (stride == 1) {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i];
  } else if (stride == 2) {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = src[2 * i];
  } else {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i * stride];
  }
}

// dst[i * stride] += src[i] for i < n, specialised like gather.
template <class T>
void scatter_add(const T* src, std::int64_t n, std::int64_t stride, T* dst) {
  if (stride == 1) {
    for (std::int64_t i = 0; i < n; ++i) dst[i] += src[i];
  } else if (stride == 2) {
    for (std::int64_t i = 0; i < n; ++i) dst[2 * i] += src[i];
  } else {
    for (std::int64_t i = 0; i < n; ++i) dst[i * stride] += src[i];
  }
}

// A stride-1 row of the column matrix when the output is as wide as the
// input: output position d reads input cell d + shift of the same plane
// whenever its column is inside the image, so the row is one contiguous copy
// followed by zeroing the columns that wrapped around from a neighbouring row.
// One copy per (channel, tap) instead of one per output row is what makes
// this fast on small images.
template <class T>
void unit_stride_row(const T* plane, const geometry::PatchGeometry& g, std::int64_t ki, std::int64_t kj, Span xs,
                     T* out) {
  const std::int64_t positions = g.positions(), plane_size = g.in_h * g.in_w;
  const std::int64_t shift = (ki - g.pad_top) * g.in_w + (kj - g.pad_left);
  const std::int64_t lo = std::clamp<std::int64_t>(-shift, 0, positions);
  const std::int64_t hi = std::clamp<std::int64_t>(plane_size - shift, lo, positions);
  std::fill(out, out + lo, T(0));
  if (hi > lo) std::copy(plane + lo + shift, plane + hi + shift, out + lo);
  std::fill(out + hi, out + positions, T(0));
  for (T* row = out; row < out + positions; row += g.out_w) {
    for (std::int64_t ox = 0; ox < xs.lo; ++ox) row[ox] = T(0);
    for (std::int64_t ox = xs.hi; ox < g.out_w; ++ox) row[ox] = T(0);
  }
}

// Any other row: output row by output row, zero outside the spans.
template <class T>
void strided_row(const T* plane, const geometry::PatchGeometry& g, std::int64_t ki, std::int64_t kj, Span ys,
                 Span xs, T* out) {
  if (xs.hi == xs.lo) ys.hi = ys.lo;  // the tap reads no column of the image
  std::fill(out, out + ys.lo * g.out_w, T(0));
  for (std::int64_t oy = ys.lo; oy < ys.hi; ++oy) {
    T* row = out + oy * g.out_w;
    const T* src = plane + (oy * g.stride_h + ki - g.pad_top) * g.in_w + (xs.lo * g.stride_w + kj - g.pad_left);
    std::fill(row, row + xs.lo, T(0));
    gather(src, xs.hi - xs.lo, g.stride_w, row + xs.lo);
    std::fill(row + xs.hi, row + g.out_w, T(0));
  }
  std::fill(out + ys.hi * g.out_w, out + g.positions(), T(0));
}

}  // namespace

template <class T>
void im2col(const T* images, std::int64_t count, const geometry::PatchGeometry& g, T* columns) {
  const std::int64_t positions = g.positions(), ld = count * positions, plane_size = g.in_h * g.in_w;
  const std::int64_t tasks = count * g.channels;
  const bool unit_stride = g.stride_h == 1 && g.stride_w == 1 && g.out_w == g.in_w;
  const TapSpans spans = tap_spans(g);
  // One task fills the kernel_h * kernel_w row segments of one image channel.
#pragma omp parallel for schedule(static) if (tasks * g.kernel_h * g.kernel_w * positions >= kParallelGrain)
  for (std::int64_t t = 0; t < tasks; ++t) {
    const std::int64_t b = t / g.channels, c = t % g.channels;
    const T* plane = images + t * plane_size;
    for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
      for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
        T* out = columns + ((c * g.kernel_h + ki) * g.kernel_w + kj) * ld + b * positions;
        const Span xs = spans.cols[static_cast<std::size_t>(kj)];
        if (unit_stride) {
          unit_stride_row(plane, g, ki, kj, xs, out);
        } else {
          strided_row(plane, g, ki, kj, spans.rows[static_cast<std::size_t>(ki)], xs, out);
        }
      }
  }
}

template <class T>
void col2im(const T* columns, std::int64_t count, const geometry::PatchGeometry& g, T* images) {
  const std::int64_t positions = g.positions(), ld = count * positions;
  const std::int64_t plane_size = g.in_h * g.in_w, tasks = count * g.channels;
  const TapSpans spans = tap_spans(g);
  // One task owns one image channel, so the scatter needs no atomics.
#pragma omp parallel for schedule(static) if (tasks * plane_size >= kParallelGrain)
  for (std::int64_t t = 0; t < tasks; ++t) {
    const std::int64_t b = t / g.channels, c = t % g.channels;
    T* plane = images + t * plane_size;
    std::fill(plane, plane + plane_size, T(0));
    for (std::int64_t ki = 0; ki < g.kernel_h; ++ki) {
      const Span ys = spans.rows[static_cast<std::size_t>(ki)];
      for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
        const Span xs = spans.cols[static_cast<std::size_t>(kj)];
        if (xs.hi == xs.lo) continue;
        const std::int64_t r = (c * g.kernel_h + ki) * g.kernel_w + kj;
        const T* in = columns + r * ld + b * positions;
        for (std::int64_t oy = ys.lo; oy < ys.hi; ++oy) {
          T* dst = plane + (oy * g.stride_h + ki - g.pad_top) * g.in_w + (xs.lo * g.stride_w + kj - g.pad_left);
          scatter_add(in + oy * g.out_w + xs.lo, xs.hi - xs.lo, g.stride_w, dst);
        }
      }
    }
  }
}

template void im2col<float>(const float*, std::int64_t, const geometry::PatchGeometry&, float*);
template void im2col<double>(const double*, std::int64_t, const geometry::PatchGeometry&, double*);
template void col2im<float>(const float*, std::int64_t, const geometry::PatchGeometry&, float*);
template void col2im<double>(const double*, std::int64_t, const geometry::PatchGeometry&, double*);

}  // namespace nn::cpu
