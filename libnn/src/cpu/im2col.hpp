#pragma once
// Patch matrices for convolution as GEMM. For one image [C,H,W] the column
// matrix has a row per (channel, kernel row, kernel column) and a column per
// output position, so a convolution is weight[O, C*kh*kw] . columns.
// Batched variants lay the images of a chunk side by side: image b owns
// columns [b*P, (b+1)*P) of a [C*kh*kw, count*P] matrix, P = out_h*out_w.
#include <cstdint>

namespace nn::cpu {

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

// columns[C*kh*kw, count*P] from `count` consecutive images; padded cells are 0.
template <class T>
void im2col(const T* images, std::int64_t count, const PatchGeometry& g, T* columns);

// The adjoint of im2col: overwrites the `count` images with the sum of every
// column entry that reads each pixel.
template <class T>
void col2im(const T* columns, std::int64_t count, const PatchGeometry& g, T* images);

}  // namespace nn::cpu
