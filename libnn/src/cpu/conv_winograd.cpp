#include "cpu/conv_winograd.hpp"

#include <optional>

#include "cpu/flipped_kernel.hpp"
#include "cpu/memory.hpp"
#include "cpu/parallel.hpp"
#include "cpu/winograd.hpp"
#include "nn/cpu.hpp"

namespace nn::cpu {
namespace {

using geometry::ConvGeometry;
using geometry::PatchGeometry;

// Below these, Winograd's transforms cost more than its GEMMs save: thin
// GEMMs run far from the peak, partial output tiles waste products, and a 4x4
// stride-2 kernel fills only 16 of its view's 36 taps (work ratio 0.56; it
// measured 0.65-0.95 times the direct convolution's speed; F(4x4, 2x2) on a
// view shifted by one cell, where the kernel is 2x2, measured 0.7-1.15 times
// in the forward pass and no faster over a training step).
constexpr std::int64_t kMinChannels = 32;
constexpr double kMaxWorkRatio = 0.45;

std::int64_t floor_half(std::int64_t a) { return a >= 0 ? a / 2 : -((1 - a) / 2); }

// A convolution as winograd_conv3x3 computes it. For a stride-2 convolution
// the input is seen as its 2x2 space-to-depth view: channel c * 4 + a * 2 + b,
// cell (i, j) holds x[c, 2i + a, 2j + b]. Kernel row u reads the view at row
// offset floor((u - pad_top) / 2) from the output row, phase (u - pad_top) mod
// 2; `first_h` is the smallest offset (likewise for columns).
struct WinogradView {
  ConvGeometry conv;
  bool space_to_depth = false;
  std::int64_t first_h = 0, first_w = 0;
};

std::optional<WinogradView> winograd_view(const ConvGeometry& g) {
  const PatchGeometry& p = g.patch;
  if (p.stride_h == 1 && p.stride_w == 1)
    return p.kernel_h == 3 && p.kernel_w == 3 ? std::optional<WinogradView>(WinogradView{g}) : std::nullopt;
  if (p.stride_h != 2 || p.stride_w != 2) return std::nullopt;
  WinogradView view{g, true, floor_half(-p.pad_top), floor_half(-p.pad_left)};
  if (floor_half(p.kernel_h - 1 - p.pad_top) - view.first_h != 2 ||
      floor_half(p.kernel_w - 1 - p.pad_left) - view.first_w != 2)
    return std::nullopt;
  PatchGeometry& v = view.conv.patch;
  v.channels = 4 * p.channels;
  v.in_h = (p.in_h + 1) / 2;
  v.in_w = (p.in_w + 1) / 2;
  v.kernel_h = v.kernel_w = 3;
  v.stride_h = v.stride_w = 1;
  v.pad_top = -view.first_h;
  v.pad_left = -view.first_w;
  return view;
}

// Winograd's products over the direct convolution's multiply-adds. Its 4x4
// tiles cover the output of the convolution it computes: the view's output in
// the forward pass, the view's input for the input gradient (larger than the
// output for a convolution without padding).
double work_ratio(const ConvGeometry& g, const ConvGeometry& view, bool input_gradient) {
  const PatchGeometry &d = g.patch, &v = view.patch;
  const std::int64_t rows = input_gradient ? v.in_h : v.out_h, cols = input_gradient ? v.in_w : v.out_w;
  const double tiles = static_cast<double>(((rows + 3) / 4) * ((cols + 3) / 4));
  const double direct = static_cast<double>(d.channels * d.kernel_h * d.kernel_w * d.positions());
  return 36.0 * tiles * static_cast<double>(v.channels) / direct;
}

std::optional<WinogradView> chosen_view(const ConvGeometry& g, bool input_gradient) {
  if (!cpu_winograd_enabled()) return std::nullopt;
  std::optional<WinogradView> view = winograd_view(g);
  if (!view || view->conv.patch.channels < kMinChannels || g.out_channels < kMinChannels ||
      work_ratio(g, view->conv, input_gradient) > kMaxWorkRatio)
    return std::nullopt;
  return view;
}

// x's space-to-depth view, zero where 2i + a or 2j + b falls off the image.
void to_view(const float* x, const ConvGeometry& g, const PatchGeometry& v, float* view) {
  const PatchGeometry& p = g.patch;
  const std::int64_t planes = g.batch * p.channels;
  parallel_ranges(planes, planes * p.in_h * p.in_w >= kParallelGrain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t plane = begin; plane < end; ++plane)
      for (std::int64_t a = 0; a < 2; ++a)
        for (std::int64_t b = 0; b < 2; ++b) {
          const float* src = x + plane * p.in_h * p.in_w;
          float* dst = view + (plane * 4 + a * 2 + b) * v.in_h * v.in_w;
          for (std::int64_t i = 0; i < v.in_h; ++i)
            for (std::int64_t j = 0; j < v.in_w; ++j) {
              const std::int64_t r = 2 * i + a, q = 2 * j + b;
              dst[i * v.in_w + j] = r < p.in_h && q < p.in_w ? src[r * p.in_w + q] : 0.0f;
            }
        }
  });
}

// The image whose space-to-depth view is `view` (cells off the image dropped).
void from_view(const float* view, const ConvGeometry& g, const PatchGeometry& v, float* x) {
  const PatchGeometry& p = g.patch;
  const std::int64_t planes = g.batch * p.channels;
  parallel_ranges(planes, planes * p.in_h * p.in_w >= kParallelGrain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t plane = begin; plane < end; ++plane)
      for (std::int64_t r = 0; r < p.in_h; ++r)
        for (std::int64_t q = 0; q < p.in_w; ++q)
          x[(plane * p.in_h + r) * p.in_w + q] =
              view[((plane * 4 + (r % 2) * 2 + q % 2) * v.in_h + r / 2) * v.in_w + q / 2];
  });
}

// The 3x3 kernel of the view: tap (s, t) of view channel c * 4 + a * 2 + b is
// w[o, c, u, v] with u = 2 (s + first_h) + a + pad_top (likewise v), zero
// where (u, v) falls off w's kernel.
ScratchArray<float> view_kernel(const float* w, const ConvGeometry& g, const WinogradView& view) {
  const PatchGeometry& p = g.patch;
  const std::int64_t in_c = view.conv.patch.channels;
  ScratchArray<float> wv(g.out_channels * in_c * 9);
  for (std::int64_t o = 0; o < g.out_channels; ++o)
    for (std::int64_t c = 0; c < p.channels; ++c)
      for (std::int64_t a = 0; a < 2; ++a)
        for (std::int64_t b = 0; b < 2; ++b)
          for (std::int64_t s = 0; s < 3; ++s)
            for (std::int64_t t = 0; t < 3; ++t) {
              const std::int64_t u = 2 * (s + view.first_h) + a + p.pad_top;
              const std::int64_t v = 2 * (t + view.first_w) + b + p.pad_left;
              const bool inside = u >= 0 && u < p.kernel_h && v >= 0 && v < p.kernel_w;
              wv[((o * in_c + c * 4 + a * 2 + b) * 3 + s) * 3 + t] =
                  inside ? w[((o * p.channels + c) * p.kernel_h + u) * p.kernel_w + v] : 0.0f;
            }
  return wv;
}

// The stride-1 3x3 convolution whose forward pass is the input gradient of
// g's: output gradient in, kernel flipped, channel axes swapped.
ConvGeometry adjoint(const ConvGeometry& g) {
  const PatchGeometry& p = g.patch;
  ConvGeometry a;
  a.batch = g.batch;
  a.out_channels = p.channels;
  a.patch.channels = g.out_channels;
  a.patch.in_h = p.out_h;
  a.patch.in_w = p.out_w;
  a.patch.out_h = p.in_h;
  a.patch.out_w = p.in_w;
  a.patch.kernel_h = a.patch.kernel_w = 3;
  a.patch.pad_top = 2 - p.pad_top;
  a.patch.pad_left = 2 - p.pad_left;
  return a;
}

// The flipped kernel (cpu/flipped_kernel.hpp) of 3x3 kernels w [O, C, 3, 3].
ScratchArray<float> adjoint_kernel(const float* w, std::int64_t out_channels, std::int64_t channels) {
  ScratchArray<float> flipped(out_channels * channels * 9);
  flip_kernel(w, out_channels, channels, 9, flipped.get());
  return flipped;
}

}  // namespace

bool winograd_forward(const float* x, const float* w, const ConvGeometry& g, float* y) {
  const std::optional<WinogradView> view = chosen_view(g, false);
  if (!view) return false;
  if (!view->space_to_depth) {
    winograd_conv3x3(x, w, g, y);
    return true;
  }
  ScratchArray<float> xv(g.batch * view->conv.patch.image_size());
  to_view(x, g, view->conv.patch, xv.get());
  winograd_conv3x3(xv.get(), view_kernel(w, g, *view).get(), view->conv, y);
  return true;
}

bool winograd_backward_data(const float* grad_y, const float* w, const ConvGeometry& g, float* grad_x) {
  const std::optional<WinogradView> view = chosen_view(g, true);
  if (!view) return false;
  const ConvGeometry& v = view->conv;
  if (!view->space_to_depth) {
    winograd_conv3x3(grad_y, adjoint_kernel(w, g.out_channels, v.patch.channels).get(), adjoint(v), grad_x);
    return true;
  }
  ScratchArray<float> grad_view(g.batch * v.patch.image_size());
  const auto wv = view_kernel(w, g, *view);
  winograd_conv3x3(grad_y, adjoint_kernel(wv.get(), g.out_channels, v.patch.channels).get(), adjoint(v),
                   grad_view.get());
  from_view(grad_view.get(), g, v.patch, grad_x);
  return true;
}

}  // namespace nn::cpu
