#include "cpu/im2col.hpp"

#include <algorithm>

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

// A stride-1 row of the column matrix when the output is as wide as the
// input: output position d reads input cell d + shift of the same plane
// whenever its column is inside the image, so the row is one contiguous copy
// followed by zeroing the columns that wrapped around from a neighbouring row.
// One copy per (channel, tap) instead of one per output row is what makes
// this fast on small images.
template <class T>
void unit_stride_row(const T* plane, const geometry::PatchGeometry& g, std::int64_t ki, std::int64_t kj, T* out) {
  const std::int64_t positions = g.positions(), plane_size = g.in_h * g.in_w;
  const std::int64_t shift = (ki - g.pad_top) * g.in_w + (kj - g.pad_left);
  const std::int64_t lo = std::clamp<std::int64_t>(-shift, 0, positions);
  const std::int64_t hi = std::clamp<std::int64_t>(plane_size - shift, lo, positions);
  std::fill(out, out + lo, T(0));
  std::copy(plane + lo + shift, plane + hi + shift, out + lo);
  std::fill(out + hi, out + positions, T(0));
  const Span xs = valid_outputs(g.out_w, g.in_w, 1, kj - g.pad_left);
  for (T* row = out; row < out + positions; row += g.out_w) {
    for (std::int64_t ox = 0; ox < xs.lo; ++ox) row[ox] = T(0);
    for (std::int64_t ox = xs.hi; ox < g.out_w; ++ox) row[ox] = T(0);
  }
}

}  // namespace

template <class T>
void im2col(const T* images, std::int64_t count, const geometry::PatchGeometry& g, T* columns) {
  const std::int64_t taps = g.kernel_h * g.kernel_w, positions = g.positions();
  const std::int64_t ld = count * positions, tasks = g.rows() * count;
  const bool unit_stride = g.stride_h == 1 && g.stride_w == 1 && g.out_w == g.in_w;
  // One task fills one row segment: (channel, tap) for one image.
#pragma omp parallel for schedule(static) if (tasks * positions >= kParallelGrain)
  for (std::int64_t t = 0; t < tasks; ++t) {
    const std::int64_t r = t / count, b = t % count;
    const std::int64_t c = r / taps, ki = (r % taps) / g.kernel_w, kj = r % g.kernel_w;
    const T* plane = images + b * g.image_size() + c * g.in_h * g.in_w;
    T* out = columns + r * ld + b * positions;
    if (unit_stride) {
      unit_stride_row(plane, g, ki, kj, out);
      continue;
    }
    const Span ys = valid_outputs(g.out_h, g.in_h, g.stride_h, ki - g.pad_top);
    const Span xs = valid_outputs(g.out_w, g.in_w, g.stride_w, kj - g.pad_left);
    std::fill(out, out + ys.lo * g.out_w, T(0));
    for (std::int64_t oy = ys.lo; oy < ys.hi; ++oy) {
      T* row = out + oy * g.out_w;
      const T* src = plane + (oy * g.stride_h + ki - g.pad_top) * g.in_w;
      std::fill(row, row + xs.lo, T(0));
      if (xs.hi > xs.lo) {
        const T* first = src + (xs.lo * g.stride_w + kj - g.pad_left);
        if (g.stride_w == 1) {
          std::copy(first, first + (xs.hi - xs.lo), row + xs.lo);
        } else {
          for (std::int64_t ox = xs.lo; ox < xs.hi; ++ox) row[ox] = first[(ox - xs.lo) * g.stride_w];
        }
      }
      std::fill(row + xs.hi, row + g.out_w, T(0));
    }
    std::fill(out + ys.hi * g.out_w, out + positions, T(0));
  }
}

template <class T>
void col2im(const T* columns, std::int64_t count, const geometry::PatchGeometry& g, T* images) {
  const std::int64_t positions = g.positions(), ld = count * positions;
  const std::int64_t plane_size = g.in_h * g.in_w, tasks = count * g.channels;
  // One task owns one image channel, so the scatter needs no atomics.
#pragma omp parallel for schedule(static) if (tasks * plane_size >= kParallelGrain)
  for (std::int64_t t = 0; t < tasks; ++t) {
    const std::int64_t b = t / g.channels, c = t % g.channels;
    T* plane = images + b * g.image_size() + c * plane_size;
    std::fill(plane, plane + plane_size, T(0));
    for (std::int64_t ki = 0; ki < g.kernel_h; ++ki) {
      const Span ys = valid_outputs(g.out_h, g.in_h, g.stride_h, ki - g.pad_top);
      for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
        const Span xs = valid_outputs(g.out_w, g.in_w, g.stride_w, kj - g.pad_left);
        const std::int64_t r = (c * g.kernel_h + ki) * g.kernel_w + kj;
        const T* in = columns + r * ld + b * positions;
        for (std::int64_t oy = ys.lo; oy < ys.hi; ++oy) {
          T* dst = plane + (oy * g.stride_h + ki - g.pad_top) * g.in_w;
          const T* src = in + oy * g.out_w;
          for (std::int64_t ox = xs.lo; ox < xs.hi; ++ox) dst[ox * g.stride_w + kj - g.pad_left] += src[ox];
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
