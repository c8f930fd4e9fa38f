#pragma once
// Direct convolutions for stride-1 convolutions with at most four output
// channels, such as the AE-AC-GAN generator's 8x8 32 -> 3 output layer, or
// at most 16 channels on each side, such as model1's 3 -> 8 and 8 -> 16.
// Lowered to a GEMM, such a layer gives the product 3 rows (or 32 rows of
// depth 32 with a 192-row col2im after it); a direct loop over the taps
// keeps a row of four output channels in vector registers instead, one pass
// per four. The input gradient is the same loop over the output gradient
// with the kernel flipped and its channel axes swapped. Every sum runs in a
// fixed order: results repeat bit for bit for a given thread count and SIMD
// build (cpu/simd_build.hpp).
#include "geometry/conv_geometry.hpp"

namespace nn::cpu {

// Whether these kernels take the convolution: stride 1, at most four output
// channels or at most 16 on each side, padding inside the kernel
// (pad_top < kernel_h, pad_left < kernel_w).
bool narrow_conv_fits(const geometry::ConvGeometry& g);

// y = conv(x, w), bias not added.
template <class T>
void narrow_conv_forward(const T* x, const T* w, const geometry::ConvGeometry& g, T* y);
// grad_x = the input gradient of conv(., w) for grad_y, overwriting grad_x.
template <class T>
void narrow_conv_backward_data(const T* grad_y, const T* w, const geometry::ConvGeometry& g, T* grad_x);
// grad_w = the weight gradient for input x and output gradient grad_y,
// overwriting grad_w; each thread sums its images, the threads' sums are
// added in thread order.
template <class T>
void narrow_conv_backward_weight(const T* x, const T* grad_y, const geometry::ConvGeometry& g, T* grad_w);

}  // namespace nn::cpu
