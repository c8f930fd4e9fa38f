#pragma once
// Max pooling on the CPU. The forward pass records, per output, which input
// cell won so the backward pass is a scatter.
#include <cstdint>

#include "geometry/conv_geometry.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

// g.channels counts every (sample, channel) plane of x [N, C, H, W]; every
// window must hold at least one real (unpadded) cell.
// y = the window maxima; argmax[i] = the winner's index inside its input plane
// (argmax may be null when no backward pass will follow).
void max_pool2d_forward(const Tensor& x, const geometry::PatchGeometry& g, const Tensor& y, std::int64_t* argmax);
// grad_x = 0, then each grad_y[i] is added to the cell that won window i.
void max_pool2d_backward(const Tensor& grad_y, const std::int64_t* argmax, const geometry::PatchGeometry& g,
                         const Tensor& grad_x);

}  // namespace nn::cpu
