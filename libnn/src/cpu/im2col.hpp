#pragma once
// Patch matrices for convolution as GEMM. For one image [C,H,W] the column
// matrix has a row per (channel, kernel row, kernel column) and a column per
// output position, so a convolution is weight[O, C*kh*kw] . columns.
// Batched variants lay the images of a chunk side by side: image b owns
// columns [b*P, (b+1)*P) of a [C*kh*kw, count*P] matrix, P = out_h*out_w.
#include <cstdint>

#include "geometry/conv_geometry.hpp"

namespace nn::cpu {

// columns[C*kh*kw, count*P] from `count` consecutive images; padded cells are 0.
template <class T>
void im2col(const T* images, std::int64_t count, const geometry::PatchGeometry& g, T* columns);

// The adjoint of im2col: overwrites the `count` images with the sum of every
// column entry that reads each pixel.
template <class T>
void col2im(const T* columns, std::int64_t count, const geometry::PatchGeometry& g, T* images);

}  // namespace nn::cpu
