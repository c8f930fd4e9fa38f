#pragma once
// The index geometry of 2-d convolutions and pooling windows: the ops seam
// builds it from the tensors' shapes, both backends compute with it.
#include <cstdint>

namespace nn::geometry {

// Windows over `channels` images of in_h x in_w: output (oy, ox) reads input
// row oy * stride_h - pad_top + ky and column ox * stride_w - pad_left + kx for
// ky < kernel_h, kx < kernel_w; cells outside the image read as zero.
struct PatchGeometry {
  std::int64_t channels = 0, in_h = 0, in_w = 0;
  std::int64_t out_h = 0, out_w = 0;
  std::int64_t kernel_h = 0, kernel_w = 0;
  std::int64_t stride_h = 1, stride_w = 1;
  // Bottom/right padding only shows in out_h/out_w; indexing needs these two.
  std::int64_t pad_top = 0, pad_left = 0;

  std::int64_t rows() const { return channels * kernel_h * kernel_w; }
  std::int64_t positions() const { return out_h * out_w; }
  std::int64_t image_size() const { return channels * in_h * in_w; }
};

// A conv2d from x [batch, patch.channels, patch.in_h, patch.in_w] with weight
// [out_channels, patch.channels, kernel_h, kernel_w] to
// y [batch, out_channels, patch.out_h, patch.out_w].
struct ConvGeometry {
  std::int64_t batch = 0, out_channels = 0;
  PatchGeometry patch;
};

}  // namespace nn::geometry
