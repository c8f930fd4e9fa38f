#include "cpu/winograd.hpp"

#include <algorithm>

#include "cpu/gemm.hpp"
#include "cpu/memory.hpp"
#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {

constexpr std::int64_t kTile = 4;     // output tile side
constexpr std::int64_t kSpan = 6;     // input tile side: kTile + 3 - 1
constexpr std::int64_t kPoints = 36;  // transform points: kSpan * kSpan

// The three 1-d transforms, each applied to n columns at once: row r of the
// source starts at src + r * in, row r of the result at dst + r * out. The
// 2-d transforms apply them down the rows, then along each row. Written out
// rather than as matrix products so that no product with zero is computed.
// The rows of one array never overlap (ivdep: GCC would otherwise need more
// run-time overlap checks than it makes, and leave the loops scalar).

// B^T d: six input rows to six transform rows.
void input_rows(const float* __restrict src, std::int64_t in, float* __restrict dst, std::int64_t out,
                std::int64_t n) {
#pragma GCC ivdep
  for (std::int64_t i = 0; i < n; ++i) {
    const float d0 = src[i], d1 = src[in + i], d2 = src[2 * in + i], d3 = src[3 * in + i], d4 = src[4 * in + i],
                d5 = src[5 * in + i];
    dst[i] = 4.0f * d0 - 5.0f * d2 + d4;
    dst[out + i] = (d3 + d4) - 4.0f * (d1 + d2);
    dst[2 * out + i] = (d4 - d3) + 4.0f * (d1 - d2);
    dst[3 * out + i] = (d4 - d2) + 2.0f * (d3 - d1);
    dst[4 * out + i] = (d4 - d2) - 2.0f * (d3 - d1);
    dst[5 * out + i] = 4.0f * d1 - 5.0f * d3 + d5;
  }
}

// G g: three kernel rows to six transform rows.
void kernel_rows(const float* __restrict src, std::int64_t in, float* __restrict dst, std::int64_t out,
                 std::int64_t n) {
  constexpr float kSixth = 1.0f / 6.0f;
#pragma GCC ivdep
  for (std::int64_t i = 0; i < n; ++i) {
    const float g0 = src[i], g1 = src[in + i], g2 = src[2 * in + i];
    const float sum02 = g0 + g2, quarter = 0.25f * g0 + g2;
    dst[i] = 0.25f * g0;
    dst[out + i] = -kSixth * (sum02 + g1);
    dst[2 * out + i] = -kSixth * (sum02 - g1);
    dst[3 * out + i] = kSixth * (quarter + 0.5f * g1);
    dst[4 * out + i] = kSixth * (quarter - 0.5f * g1);
    dst[5 * out + i] = g2;
  }
}

// A^T m: six transform rows to four output rows.
void output_rows(const float* __restrict src, std::int64_t in, float* __restrict dst, std::int64_t out,
                 std::int64_t n) {
#pragma GCC ivdep
  for (std::int64_t i = 0; i < n; ++i) {
    const float m0 = src[i], m1 = src[in + i], m2 = src[2 * in + i], m3 = src[3 * in + i], m4 = src[4 * in + i],
                m5 = src[5 * in + i];
    const float sum12 = m1 + m2, diff12 = m1 - m2, sum34 = m3 + m4, diff34 = m3 - m4;
    dst[i] = m0 + sum12 + sum34;
    dst[out + i] = diff12 + 2.0f * diff34;
    dst[2 * out + i] = sum12 + 4.0f * sum34;
    dst[3 * out + i] = diff12 + 8.0f * diff34 + m5;
  }
}

// How the output is cut into 4x4 tiles; tile t of an image is row t / cols,
// column t % cols.
struct Tiling {
  std::int64_t rows, cols;
  std::int64_t per_image() const { return rows * cols; }
};

Tiling tiling(const geometry::PatchGeometry& p) {
  return {(p.out_h + kTile - 1) / kTile, (p.out_w + kTile - 1) / kTile};
}

// Channels handled together by the transforms, so their vector loops run over
// at least 64 values even when an image has a few tiles only.
std::int64_t channel_block(std::int64_t channels, const Tiling& tiles) {
  return std::clamp<std::int64_t>((64 + tiles.per_image() - 1) / tiles.per_image(), 1, channels);
}

// u[p, o, c] for transform point p: G w[o, c] G^T.
void transform_kernels(const float* w, std::int64_t out_channels, std::int64_t channels, float* u) {
  parallel_ranges(out_channels, out_channels * channels >= kParallelGrain / 8, [&](std::int64_t begin,
                                                                                    std::int64_t end) {
    ScratchArray<float> taps(9 * channels), rows(18 * channels), points(kPoints * channels);
    for (std::int64_t o = begin; o < end; ++o) {
      // Tap-major, so the transforms run along the channels.
      for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t t = 0; t < 9; ++t) taps[t * channels + c] = w[(o * channels + c) * 9 + t];
      kernel_rows(taps.get(), 3 * channels, rows.get(), 3 * channels, 3 * channels);
      for (std::int64_t k = 0; k < kSpan; ++k)
        kernel_rows(rows.get() + k * 3 * channels, channels, points.get() + k * kSpan * channels, channels, channels);
      for (std::int64_t p = 0; p < kPoints; ++p)
        std::copy_n(points.get() + p * channels, channels, u + (p * out_channels + o) * channels);
    }
  });
}

// v[p, c, b * tiles + t] for the images x[0, count): B^T d B of each tile's
// 6x6 input window d (zeros outside the image).
void transform_inputs(const float* x, std::int64_t count, const geometry::PatchGeometry& pg, const Tiling& tiles,
                      float* v) {
  const std::int64_t per_image = tiles.per_image(), width = count * per_image, channels = pg.channels;
  const std::int64_t block = channel_block(channels, tiles), stride = block * per_image;
  ScratchArray<float> window(kPoints * stride), rows(kPoints * stride), points(kPoints * stride);
  // Columns [first, last) of an input row land in the tiles' reach.
  const std::int64_t reach = tiles.cols * kTile + kSpan - kTile;
  const std::int64_t first = std::clamp<std::int64_t>(-pg.pad_left, 0, pg.in_w);
  const std::int64_t last = std::clamp<std::int64_t>(reach - pg.pad_left, first, pg.in_w);
  ScratchArray<float> line(reach);
  for (std::int64_t b = 0; b < count; ++b)
    for (std::int64_t c0 = 0; c0 < channels; c0 += block) {
      const std::int64_t n = std::min(block, channels - c0), len = n * per_image;
      // window[i, j, ci * per_image + t]: input cell (i, j) of tile t, read
      // from a copy of the input row padded with zeros to the tiles' reach.
      for (std::int64_t ci = 0; ci < n; ++ci) {
        const float* plane = x + ((b * channels) + c0 + ci) * pg.in_h * pg.in_w;
        for (std::int64_t ty = 0; ty < tiles.rows; ++ty)
          for (std::int64_t i = 0; i < kSpan; ++i) {
            const std::int64_t r = ty * kTile - pg.pad_top + i;
            std::fill_n(line.get(), reach, 0.0f);
            if (r >= 0 && r < pg.in_h) std::copy(plane + r * pg.in_w + first, plane + r * pg.in_w + last,
                                                 line.get() + first + pg.pad_left);
            for (std::int64_t j = 0; j < kSpan; ++j) {
              float* dst = window.get() + (i * kSpan + j) * stride + ci * per_image + ty * tiles.cols;
              for (std::int64_t tx = 0; tx < tiles.cols; ++tx) dst[tx] = line[tx * kTile + j];
            }
          }
      }
      for (std::int64_t j = 0; j < kSpan; ++j)
        input_rows(window.get() + j * stride, kSpan * stride, rows.get() + j * stride, kSpan * stride, len);
      for (std::int64_t k = 0; k < kSpan; ++k)
        input_rows(rows.get() + k * kSpan * stride, stride, points.get() + k * kSpan * stride, stride, len);
      for (std::int64_t p = 0; p < kPoints; ++p)
        for (std::int64_t ci = 0; ci < n; ++ci)
          std::copy_n(points.get() + p * stride + ci * per_image, per_image,
                      v + (p * channels + c0 + ci) * width + b * per_image);
    }
}

// y for the images of m[p, o, b * tiles + t]: A^T m A of each tile, cut at
// the output's edges.
void transform_outputs(const float* m, std::int64_t count, std::int64_t out_channels,
                       const geometry::PatchGeometry& pg, const Tiling& tiles, float* y) {
  const std::int64_t per_image = tiles.per_image(), width = count * per_image;
  const std::int64_t block = channel_block(out_channels, tiles), stride = block * per_image;
  ScratchArray<float> points(kPoints * stride), rows(kTile * kSpan * stride), cells(kTile * kTile * stride);
  ScratchArray<float> line(tiles.cols * kTile);
  for (std::int64_t b = 0; b < count; ++b)
    for (std::int64_t o0 = 0; o0 < out_channels; o0 += block) {
      const std::int64_t n = std::min(block, out_channels - o0), len = n * per_image;
      for (std::int64_t p = 0; p < kPoints; ++p)
        for (std::int64_t oi = 0; oi < n; ++oi)
          std::copy_n(m + (p * out_channels + o0 + oi) * width + b * per_image, per_image,
                      points.get() + p * stride + oi * per_image);
      for (std::int64_t l = 0; l < kSpan; ++l)
        output_rows(points.get() + l * stride, kSpan * stride, rows.get() + l * stride, kSpan * stride, len);
      for (std::int64_t i = 0; i < kTile; ++i)
        output_rows(rows.get() + i * kSpan * stride, stride, cells.get() + i * kTile * stride, stride, len);
      // Each output row is assembled whole from its tiles, then cut to width.
      for (std::int64_t oi = 0; oi < n; ++oi) {
        float* plane = y + (b * out_channels + o0 + oi) * pg.positions();
        for (std::int64_t ty = 0; ty < tiles.rows; ++ty)
          for (std::int64_t i = 0; i < kTile && ty * kTile + i < pg.out_h; ++i) {
            for (std::int64_t j = 0; j < kTile; ++j) {
              const float* src = cells.get() + (i * kTile + j) * stride + oi * per_image + ty * tiles.cols;
              for (std::int64_t tx = 0; tx < tiles.cols; ++tx) line[tx * kTile + j] = src[tx];
            }
            std::copy_n(line.get(), pg.out_w, plane + (ty * kTile + i) * pg.out_w);
          }
      }
    }
}

// Images per pass of one thread: the transformed inputs and products of a
// pass take at most kPassBudget floats, but the GEMMs are at least
// kMinGemmWidth tiles wide.
constexpr std::int64_t kPassBudget = std::int64_t{1} << 22;
constexpr std::int64_t kMinGemmWidth = 64;

std::int64_t images_per_pass(std::int64_t channels, std::int64_t out_channels, const Tiling& tiles,
                             std::int64_t count) {
  const std::int64_t per_image = kPoints * (channels + out_channels) * tiles.per_image();
  const std::int64_t wide_enough = (kMinGemmWidth + tiles.per_image() - 1) / tiles.per_image();
  return std::clamp<std::int64_t>(std::max(kPassBudget / per_image, wide_enough), 1, std::max<std::int64_t>(count, 1));
}

}  // namespace

void winograd_conv3x3(const float* x, const float* w, const geometry::ConvGeometry& g, float* y) {
  const geometry::PatchGeometry& pg = g.patch;
  const std::int64_t channels = pg.channels, out_channels = g.out_channels;
  const Tiling tiles = tiling(pg);
  ScratchArray<float> u(kPoints * out_channels * channels);
  transform_kernels(w, out_channels, channels, u.get());
  parallel_shares(g.batch, [&](std::int64_t first, std::int64_t count, int) {
    if (count <= 0) return;
    const std::int64_t pass = images_per_pass(channels, out_channels, tiles, count);
    const std::int64_t max_width = pass * tiles.per_image();
    ScratchArray<float> v(kPoints * channels * max_width), m(kPoints * out_channels * max_width);
    for (std::int64_t n0 = first; n0 < first + count; n0 += pass) {
      const std::int64_t images = std::min(pass, first + count - n0), width = images * tiles.per_image();
      transform_inputs(x + n0 * pg.image_size(), images, pg, tiles, v.get());
      for (std::int64_t p = 0; p < kPoints; ++p)
        gemm(false, false, out_channels, width, channels, 1.0f, u.get() + p * out_channels * channels, channels,
             v.get() + p * channels * width, width, 0.0f, m.get() + p * out_channels * width, width);
      transform_outputs(m.get(), images, out_channels, pg, tiles, y + n0 * out_channels * pg.positions());
    }
  });
}

}  // namespace nn::cpu
