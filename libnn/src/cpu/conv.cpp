#include "cpu/conv.hpp"

#include <algorithm>
#include <type_traits>

#include "cpu/batch_sums.hpp"
#include "cpu/conv_narrow.hpp"
#include "cpu/conv_taps.hpp"
#include "cpu/conv_winograd.hpp"
#include "cpu/flipped_kernel.hpp"
#include "cpu/gemm.hpp"
#include "cpu/im2col.hpp"
#include "cpu/memory.hpp"
#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {

// A convolution is lowered to a patch map: a linear map from an "expanded"
// batch E [n, patch.channels, patch.in_h, patch.in_w] to a "plain" batch
// F [n, plain_channels, patch.positions()],
//   F = M . im2col(E),   M [plain_channels, patch.rows()],
// with the adjoint E = col2im(M^T . F). The direct lowering has E = x,
// F = y, M = w. A stride-1 convolution can also be written the other way
// round (E = y, F = x, M = w with its taps flipped and its channel axes
// swapped): its column matrix has out_channels*kh*kw rows instead of
// in_channels*kh*kw, far less memory traffic when the convolution narrows
// the channels (the generator's 8x8 output conv: 192 rows instead of 2048).
struct PatchMap {
  geometry::PatchGeometry patch;
  std::int64_t plain_channels = 0;

  std::int64_t expanded_size() const { return patch.image_size(); }
  std::int64_t plain_size() const { return plain_channels * patch.positions(); }
};

bool lowers_swapped(const geometry::ConvGeometry& g) {
  return g.patch.stride_h == 1 && g.patch.stride_w == 1 && g.out_channels < g.patch.channels;
}

PatchMap direct_map(const geometry::ConvGeometry& g) { return {g.patch, g.out_channels}; }

// The stride-1 convolution seen from its output: entry (o, tap) of the column
// matrix of y at input position p is y[o, p - tap + pad], which is im2col of
// y with the kernel flipped and padding kernel - 1 - pad.
PatchMap swapped_map(const geometry::ConvGeometry& g) {
  const geometry::PatchGeometry& p = g.patch;
  geometry::PatchGeometry s;
  s.channels = g.out_channels;
  s.in_h = p.out_h;
  s.in_w = p.out_w;
  s.out_h = p.in_h;
  s.out_w = p.in_w;
  s.kernel_h = p.kernel_h;
  s.kernel_w = p.kernel_w;
  s.pad_top = p.kernel_h - 1 - p.pad_top;
  s.pad_left = p.kernel_w - 1 - p.pad_left;
  return {s, p.channels};
}

// Between w [O, C, kh, kw] and the swapped map's M [C, O*kh*kw]: w's
// flipped kernel (cpu/flipped_kernel.hpp) read as a matrix.
template <class T>
void swap_weight(const T* w, const geometry::ConvGeometry& g, T* m) {
  flip_kernel(w, g.out_channels, g.patch.channels, g.patch.kernel_h * g.patch.kernel_w, m);
}

template <class T>
void unswap_weight(const T* m, const geometry::ConvGeometry& g, T* w) {
  unflip_kernel(m, g.out_channels, g.patch.channels, g.patch.kernel_h * g.patch.kernel_w, w);
}

// Elements of one thread's column matrix per chunk (512 KiB in f32, this
// CPU's L2), so a chunk is still in cache between the GEMM and im2col/col2im.
// One image's columns may exceed it; a chunk always holds at least one image,
// and enough images for a GEMM kMinGemmWidth columns wide: on small images
// (4x4 and below) narrower products run far below the GEMM's peak.
constexpr std::int64_t kColumnBudget = std::int64_t{1} << 17;
constexpr std::int64_t kMinGemmWidth = 128;

std::int64_t chunk_size(const PatchMap& map, std::int64_t batch) {
  const std::int64_t positions = std::max<std::int64_t>(map.patch.positions(), 1);
  const std::int64_t per_image = std::max<std::int64_t>(map.patch.rows() * positions, 1);
  const std::int64_t wide_enough = (kMinGemmWidth + positions - 1) / positions;
  const std::int64_t chunk = std::max(kColumnBudget / per_image, wide_enough);
  return std::clamp<std::int64_t>(chunk, 1, std::max<std::int64_t>(batch, 1));
}

// Between the image layout [count, rows, P] and the GEMM layout
// [rows, count*P] (image b in columns [b*P, (b+1)*P)).
template <class T>
void images_to_gemm(const T* images, std::int64_t count, std::int64_t rows, std::int64_t positions, T* out) {
  const std::int64_t ld = count * positions;
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t b = 0; b < count; ++b) {
      const T* src = images + (b * rows + r) * positions;
      std::copy(src, src + positions, out + r * ld + b * positions);
    }
}

template <class T>
void gemm_to_images(const T* in, std::int64_t count, std::int64_t rows, std::int64_t positions, T* images) {
  const std::int64_t ld = count * positions;
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t b = 0; b < count; ++b) {
      const T* src = in + r * ld + b * positions;
      std::copy(src, src + positions, images + (b * rows + r) * positions);
    }
}

// One thread's buffers for chunks of up to `chunk` images.
template <class T>
struct Scratch {
  Scratch(const PatchMap& map, std::int64_t chunk)
      : columns(map.patch.rows() * chunk * map.patch.positions()), packed(chunk > 1 ? map.plain_size() * chunk : 0) {}
  ScratchArray<T> columns, packed;
};

// Walks [first, first + count) in chunks: fn(n0, images, width, scratch).
template <class T, class Fn>
void over_chunks(const PatchMap& map, std::int64_t batch, std::int64_t first, std::int64_t count, Fn&& fn) {
  if (count <= 0) return;
  const std::int64_t chunk = chunk_size(map, batch);
  Scratch<T> scratch(map, std::min(chunk, count));
  for (std::int64_t n0 = first; n0 < first + count; n0 += chunk) {
    const std::int64_t images = std::min(chunk, first + count - n0);
    fn(n0, images, images * map.patch.positions(), scratch);
  }
}

// plain = M . im2col(expanded), overwriting plain.
template <class T>
void apply(const PatchMap& map, std::int64_t batch, const T* m, const T* expanded, T* plain) {
  const std::int64_t rows = map.patch.rows(), channels = map.plain_channels, positions = map.patch.positions();
  parallel_shares(batch, [&](std::int64_t first, std::int64_t count, int) {
    over_chunks<T>(map, batch, first, count, [&](std::int64_t n0, std::int64_t images, std::int64_t width,
                                                 Scratch<T>& s) {
      im2col(expanded + n0 * map.expanded_size(), images, map.patch, s.columns.get());
      // A single image's product already has the plain layout.
      T* target = images == 1 ? plain + n0 * map.plain_size() : s.packed.get();
      gemm(false, false, channels, width, rows, T(1), m, rows, s.columns.get(), width, T(0), target, width);
      if (images > 1) gemm_to_images(s.packed.get(), images, channels, positions, plain + n0 * map.plain_size());
    });
  });
}

// expanded = col2im(M^T . plain), overwriting expanded.
template <class T>
void apply_adjoint(const PatchMap& map, std::int64_t batch, const T* m, const T* plain, T* expanded) {
  const std::int64_t rows = map.patch.rows(), channels = map.plain_channels, positions = map.patch.positions();
  parallel_shares(batch, [&](std::int64_t first, std::int64_t count, int) {
    over_chunks<T>(map, batch, first, count, [&](std::int64_t n0, std::int64_t images, std::int64_t width,
                                                 Scratch<T>& s) {
      const T* src = plain + n0 * map.plain_size();
      if (images > 1) {
        images_to_gemm(src, images, channels, positions, s.packed.get());
        src = s.packed.get();
      }
      gemm(true, false, rows, width, channels, T(1), m, rows, src, width, T(0), s.columns.get(), width);
      col2im(s.columns.get(), images, map.patch, expanded + n0 * map.expanded_size());
    });
  });
}

// grad_m = sum over the batch of plain . im2col(expanded)^T, overwriting
// grad_m (cpu/batch_sums.hpp: the threads' shares added in thread order).
// With fewer plain channels than patch rows the sum is formed transposed,
// grad_m^T = im2col(expanded) . plain^T, and transposed once at the end:
// OpenBLAS runs these products (K the images' positions) 1.3-1.6 times as
// fast with the longer side as M (64 x 512, K 1024: 72 against 96 GFLOP/s
// on one core; 32 x 512: 45-54 against 73-89).
template <class T>
void matrix_gradient(const PatchMap& map, std::int64_t batch, const T* expanded, const T* plain, T* grad_m) {
  const std::int64_t rows = map.patch.rows(), channels = map.plain_channels, positions = map.patch.positions();
  const bool transposed = rows > channels;
  ScratchArray<T> grad_t(transposed ? rows * channels : 0);
  // The product's rows and columns: grad_m^T [rows, channels] or grad_m [channels, rows].
  const std::int64_t m = transposed ? rows : channels, n = transposed ? channels : rows;
  sum_over_batch(batch, channels * rows, transposed ? grad_t.get() : grad_m,
                 [&](std::int64_t first, std::int64_t count, T* target) {
    over_chunks<T>(map, batch, first, count, [&](std::int64_t n0, std::int64_t images, std::int64_t width,
                                                 Scratch<T>& s) {
      im2col(expanded + n0 * map.expanded_size(), images, map.patch, s.columns.get());
      const T* src = plain + n0 * map.plain_size();
      if (images > 1) {
        images_to_gemm(src, images, channels, positions, s.packed.get());
        src = s.packed.get();
      }
      const T* columns = s.columns.get();
      gemm(false, true, m, n, width, T(1), transposed ? columns : src, width, transposed ? src : columns, width, T(1),
           target, n);
    });
  });
  if (!transposed) return;
  for (std::int64_t c = 0; c < channels; ++c)
    for (std::int64_t r = 0; r < rows; ++r) grad_m[c * rows + r] = grad_t[r * channels + c];
}

// The swapped map's M for the weights w.
template <class T>
ScratchArray<T> swapped_weight(const T* w, const geometry::ConvGeometry& g, const PatchMap& map) {
  ScratchArray<T> m(map.plain_channels * map.patch.rows());
  swap_weight(w, g, m.get());
  return m;
}

// A kernel that covers the whole unpadded input leaves one output cell: the
// convolution is a dense layer over the flattened images (the radford64
// generator's 1x1 -> 4x4 first layer is its adjoint), one GEMM per pass on
// the whole batch where im2col would make one tiny GEMM per image.
bool covers_whole_input(const geometry::ConvGeometry& g) {
  const geometry::PatchGeometry& p = g.patch;
  return p.out_h == 1 && p.out_w == 1 && p.pad_top == 0 && p.pad_left == 0 && p.in_h == p.kernel_h &&
         p.in_w == p.kernel_w;
}

template <class T>
void forward_typed(const T* x, const T* w, const geometry::ConvGeometry& g, T* y) {
  const std::int64_t rows = g.patch.rows();
  // y [batch, out] = x [batch, rows] . w [out, rows]^T
  if (covers_whole_input(g)) return gemm(false, true, g.batch, g.out_channels, rows, T(1), x, rows, w, rows, T(0), y,
                                         g.out_channels);
  if constexpr (std::is_same_v<T, float>)
    if (winograd_forward(x, w, g, y)) return;
  if (narrow_conv_fits(g)) return narrow_conv_forward(x, w, g, y);
  if (tap_conv_fits(g)) return tap_conv_forward(x, w, g, y);
  if (!lowers_swapped(g)) return apply(direct_map(g), g.batch, w, x, y);
  const PatchMap map = swapped_map(g);
  apply_adjoint(map, g.batch, swapped_weight(w, g, map).get(), x, y);
}

template <class T>
void backward_data_typed(const T* grad_y, const T* w, const geometry::ConvGeometry& g, T* grad_x) {
  const std::int64_t rows = g.patch.rows();
  // grad_x [batch, rows] = grad_y [batch, out] . w [out, rows]
  if (covers_whole_input(g)) return gemm(false, false, g.batch, rows, g.out_channels, T(1), grad_y, g.out_channels, w,
                                         rows, T(0), grad_x, rows);
  if constexpr (std::is_same_v<T, float>)
    if (winograd_backward_data(grad_y, w, g, grad_x)) return;
  if (narrow_conv_fits(g)) return narrow_conv_backward_data(grad_y, w, g, grad_x);
  if (tap_conv_fits(g)) return tap_conv_backward_data(grad_y, w, g, grad_x);
  if (!lowers_swapped(g)) return apply_adjoint(direct_map(g), g.batch, w, grad_y, grad_x);
  const PatchMap map = swapped_map(g);
  apply(map, g.batch, swapped_weight(w, g, map).get(), grad_y, grad_x);
}

template <class T>
void backward_weight_typed(const T* x, const T* grad_y, const geometry::ConvGeometry& g, T* grad_w) {
  const std::int64_t rows = g.patch.rows();
  // grad_w [out, rows] = grad_y [batch, out]^T . x [batch, rows]
  if (covers_whole_input(g)) return gemm(true, false, g.out_channels, rows, g.batch, T(1), grad_y, g.out_channels, x,
                                         rows, T(0), grad_w, rows);
  if (narrow_conv_fits(g)) return narrow_conv_backward_weight(x, grad_y, g, grad_w);
  if (tap_conv_fits(g)) return tap_conv_backward_weight(x, grad_y, g, grad_w);
  if (!lowers_swapped(g)) return matrix_gradient(direct_map(g), g.batch, x, grad_y, grad_w);
  const PatchMap map = swapped_map(g);
  ScratchArray<T> grad_m(map.plain_channels * map.patch.rows());
  matrix_gradient(map, g.batch, grad_y, x, grad_m.get());
  unswap_weight(grad_m.get(), g, grad_w);
}

}  // namespace

void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, const geometry::ConvGeometry& g,
                    const Tensor& y) {
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    forward_typed(x.data<T>(), w.data<T>(), g, y.data<T>());
  });
  if (b.defined()) add_channel_bias(y, b);
}

void conv2d_backward_data(const Tensor& grad_y, const Tensor& w, const geometry::ConvGeometry& g,
                          const Tensor& grad_x) {
  visit_dtype(grad_x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    backward_data_typed(grad_y.data<T>(), w.data<T>(), g, grad_x.data<T>());
  });
}

void conv2d_backward_weight(const Tensor& x, const Tensor& grad_y, const geometry::ConvGeometry& g,
                            const Tensor& grad_w) {
  visit_dtype(grad_w.dtype(), [&](auto tag) {
    using T = decltype(tag);
    backward_weight_typed(x.data<T>(), grad_y.data<T>(), g, grad_w.data<T>());
  });
}

void add_channel_bias(const Tensor& y, const Tensor& b) {
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* out = y.data<T>();
    const T* bias = b.data<T>();
    const std::int64_t channels = y.size(1), plane = y.size(2) * y.size(3), planes = y.size(0) * channels;
#pragma omp parallel for schedule(static) if (y.numel() >= kParallelGrain)
    for (std::int64_t t = 0; t < planes; ++t) {
      const T v = bias[t % channels];
      T* p = out + t * plane;
      for (std::int64_t i = 0; i < plane; ++i) p[i] += v;
    }
  });
}

}  // namespace nn::cpu
