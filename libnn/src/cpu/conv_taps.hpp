#pragma once
// Stride-2 convolutions over an even-sized input twice the output's size
// (cpu/phase_planes.hpp), with wide channels on both sides and a small
// output: radford64's 8x8 -> 4x4 discriminator layer, and the transposed
// convolutions up to 4x4 -> 8x8 of the DCGANs' generators and the
// autoencoders' decoders.
// Each kernel tap reads one phase plane at a fixed shift, so the convolution
// is one GEMM per tap over the rows of output cells the tap reaches inside
// the image: no column matrix is built, and the products with the padding's
// zeros, which lowering through im2col computes (a quarter of the work at a
// 4x4 output), are skipped. The images of a thread's share lie innermost
// (cell by cell, the share's images side by side), so a row of cells is a
// GEMM as wide as the row times the images. Every sum runs in a fixed order:
// results repeat bit for bit for a given thread count.
#include "geometry/conv_geometry.hpp"

namespace nn::cpu {

// Whether these loops take the convolution.
bool tap_conv_fits(const geometry::ConvGeometry& g);

// y = conv(x, w), bias not added.
template <class T>
void tap_conv_forward(const T* x, const T* w, const geometry::ConvGeometry& g, T* y);
// grad_x = the input gradient of conv(., w) for grad_y, overwriting grad_x.
template <class T>
void tap_conv_backward_data(const T* grad_y, const T* w, const geometry::ConvGeometry& g, T* grad_x);
// grad_w = the weight gradient for input x and output gradient grad_y,
// overwriting grad_w; each thread sums its images, the threads' sums are
// added in thread order.
template <class T>
void tap_conv_backward_weight(const T* x, const T* grad_y, const geometry::ConvGeometry& g, T* grad_w);

}  // namespace nn::cpu
