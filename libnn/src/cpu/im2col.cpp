#include "cpu/im2col.hpp"

#include <algorithm>

#include "cpu/memory.hpp"
#include "cpu/parallel.hpp"
#include "cpu/patch_spans.hpp"
#include "cpu/phase_planes.hpp"

namespace nn::cpu {
namespace {

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

// out[d] = plane[d + shift] for every output position d whose cell lies in
// the plane, 0 for the others, then 0 in the columns outside xs of every
// output row: those wrapped around from a neighbouring row. The plane has the
// output's row width, so a row of the column matrix is one contiguous copy.
template <class T>
void shifted_copy(const T* plane, std::int64_t plane_size, std::int64_t positions, std::int64_t out_w,
                  std::int64_t shift, Span xs, T* out) {
  const std::int64_t lo = std::clamp<std::int64_t>(-shift, 0, positions);
  const std::int64_t hi = std::clamp<std::int64_t>(plane_size - shift, lo, positions);
  std::fill(out, out + lo, T(0));
  if (hi > lo) std::copy(plane + lo + shift, plane + hi + shift, out + lo);
  std::fill(out + hi, out + positions, T(0));
  for (T* row = out; row < out + positions; row += out_w) {
    for (std::int64_t ox = 0; ox < xs.lo; ++ox) row[ox] = T(0);
    for (std::int64_t ox = xs.hi; ox < out_w; ++ox) row[ox] = T(0);
  }
}

// A stride-1 row when the output is as wide as the input: output position d
// reads input cell d + shift of the same plane. One copy per (channel, tap)
// instead of one per output row is what makes this fast on small images.
template <class T>
void unit_stride_row(const T* plane, const geometry::PatchGeometry& g, std::int64_t ki, std::int64_t kj, Span xs,
                     T* out) {
  const std::int64_t shift = (ki - g.pad_top) * g.in_w + (kj - g.pad_left);
  shifted_copy(plane, g.in_h * g.in_w, g.positions(), g.out_w, shift, xs, out);
}

// Phase planes (cpu/phase_planes.hpp) turn every tap of a stride-2 patch
// into a shifted copy of one out_h x out_w phase plane instead of a strided
// gather per output row. The column matrix, and col2im's sums in their order,
// are the same as the general path's.

// Phase (py, px) of a [2h, 2w] plane goes to phases + (2 * py + px) * h * w.
template <class T>
void split_phases(const T* plane, std::int64_t h, std::int64_t w, T* phases) {
  for (std::int64_t y = 0; y < 2 * h; ++y) {
    const T* src = plane + y * 2 * w;
    T* even = phases + (y % 2) * 2 * h * w + (y / 2) * w;
    gather(src, w, 2, even);
    gather(src + 1, w, 2, even + h * w);
  }
}

template <class T>
void merge_phases(const T* phases, std::int64_t h, std::int64_t w, T* plane) {
  for (std::int64_t y = 0; y < 2 * h; ++y) {
    T* dst = plane + y * 2 * w;
    const T* even = phases + (y % 2) * 2 * h * w + (y / 2) * w;
    const T* odd = even + h * w;
    for (std::int64_t i = 0; i < w; ++i) {
      dst[2 * i] = even[i];
      dst[2 * i + 1] = odd[i];
    }
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

// im2col through the phase planes (splits_into_phases): one task splits one
// image channel into a thread's scratch, then copies its taps' rows.
template <class T>
void im2col_phases(const T* images, std::int64_t count, const geometry::PatchGeometry& g, const TapSpans& spans,
                   T* columns) {
  const std::int64_t positions = g.positions(), ld = count * positions, tasks = count * g.channels;
#pragma omp parallel if (tasks * g.kernel_h * g.kernel_w * positions >= kParallelGrain)
  {
    ScratchArray<T> phases(4 * positions);
#pragma omp for schedule(static)
    for (std::int64_t t = 0; t < tasks; ++t) {
      const std::int64_t b = t / g.channels, c = t % g.channels;
      split_phases(images + t * 4 * positions, g.out_h, g.out_w, phases.get());
      for (std::int64_t ki = 0; ki < g.kernel_h; ++ki) {
        const PhaseShift row = phase_shift(ki - g.pad_top);
        for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
          const PhaseShift col = phase_shift(kj - g.pad_left);
          const T* plane = phases.get() + (2 * row.phase + col.phase) * positions;
          T* out = columns + ((c * g.kernel_h + ki) * g.kernel_w + kj) * ld + b * positions;
          shifted_copy(plane, positions, positions, g.out_w, row.shift * g.out_w + col.shift,
                       spans.cols[static_cast<std::size_t>(kj)], out);
        }
      }
    }
  }
}

// col2im through the phase planes: each tap adds its rows, unit stride, to
// one phase plane; the planes are then interleaved into the image.
template <class T>
void col2im_phases(const T* columns, std::int64_t count, const geometry::PatchGeometry& g, const TapSpans& spans,
                   T* images) {
  const std::int64_t positions = g.positions(), ld = count * positions, tasks = count * g.channels;
#pragma omp parallel if (tasks * 4 * positions >= kParallelGrain)
  {
    ScratchArray<T> phases(4 * positions);
#pragma omp for schedule(static)
    for (std::int64_t t = 0; t < tasks; ++t) {
      const std::int64_t b = t / g.channels, c = t % g.channels;
      std::fill(phases.get(), phases.get() + 4 * positions, T(0));
      for (std::int64_t ki = 0; ki < g.kernel_h; ++ki) {
        const Span ys = spans.rows[static_cast<std::size_t>(ki)];
        const PhaseShift row = phase_shift(ki - g.pad_top);
        for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
          const Span xs = spans.cols[static_cast<std::size_t>(kj)];
          if (xs.hi == xs.lo || ys.hi == ys.lo) continue;
          const PhaseShift col = phase_shift(kj - g.pad_left);
          const T* in = columns + ((c * g.kernel_h + ki) * g.kernel_w + kj) * ld + b * positions;
          T* plane = phases.get() + (2 * row.phase + col.phase) * positions;
          const std::int64_t n = xs.hi - xs.lo;
          if (n == g.out_w) {  // no column shift: the rows are one contiguous span
            scatter_add(in + ys.lo * g.out_w, (ys.hi - ys.lo) * g.out_w, 1, plane + (ys.lo + row.shift) * g.out_w);
            continue;
          }
          for (std::int64_t oy = ys.lo; oy < ys.hi; ++oy)
            scatter_add(in + oy * g.out_w + xs.lo, n, 1, plane + (oy + row.shift) * g.out_w + xs.lo + col.shift);
        }
      }
      merge_phases(phases.get(), g.out_h, g.out_w, images + t * 4 * positions);
    }
  }
}

}  // namespace

template <class T>
void im2col(const T* images, std::int64_t count, const geometry::PatchGeometry& g, T* columns) {
  const TapSpans spans = tap_spans(g);
  if (splits_into_phases(g)) return im2col_phases(images, count, g, spans, columns);
  const std::int64_t positions = g.positions(), ld = count * positions, plane_size = g.in_h * g.in_w;
  const std::int64_t tasks = count * g.channels;
  const bool unit_stride = g.stride_h == 1 && g.stride_w == 1 && g.out_w == g.in_w;
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
  const TapSpans spans = tap_spans(g);
  if (splits_into_phases(g)) return col2im_phases(columns, count, g, spans, images);
  const std::int64_t positions = g.positions(), ld = count * positions;
  const std::int64_t plane_size = g.in_h * g.in_w, tasks = count * g.channels;
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
