#pragma once
// Stride-1 3x3 convolutions in f32 by Winograd's minimal filtering F(4x4, 3x3)
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks"): each
// 4x4 output tile costs 36 products per (input, output) channel pair instead
// of 144. The input's 6x6 tiles and the 3x3 kernels are carried to 36
// transform points, 36 GEMMs multiply them there, and the products are carried
// back to 4x4 tiles. The transforms round in f32, so results differ from the
// direct convolution's by a few units in the fifth significant digit.
#include "geometry/conv_geometry.hpp"

namespace nn::cpu {

// y = conv(x, w) for a stride-1 geometry with a 3x3 kernel (any padding);
// x [batch, C, in_h, in_w], w [O, C, 3, 3], y [batch, O, out_h, out_w].
void winograd_conv3x3(const float* x, const float* w, const geometry::ConvGeometry& g, float* y);

}  // namespace nn::cpu
