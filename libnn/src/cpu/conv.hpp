#pragma once
// 2-d convolution on the CPU as im2col + BLAS GEMM (some f32 ones by
// Winograd, see conv_winograd.hpp). Each thread takes a share of the batch
// and walks it in chunks whose column matrix stays in cache, so memory does
// not grow with the batch and small feature maps still make wide GEMMs.
// Stride-1 convolutions that narrow the channels are lowered from the output
// side (see conv.cpp).
#include "geometry/conv_geometry.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

// y = conv(x, w), plus b[o] on channel o when b is defined.
void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, const geometry::ConvGeometry& g,
                    const Tensor& y);
// grad_x = the adjoint of conv(., w) applied to grad_y (col2im of w^T . grad_y).
// This is also the forward pass of the transposed convolution.
void conv2d_backward_data(const Tensor& grad_y, const Tensor& w, const geometry::ConvGeometry& g,
                          const Tensor& grad_x);
// grad_w = sum over the batch of grad_y . columns(x)^T.
void conv2d_backward_weight(const Tensor& x, const Tensor& grad_y, const geometry::ConvGeometry& g,
                            const Tensor& grad_w);
// y[n, o, ...] += b[o] for y [N, O, H, W].
void add_channel_bias(const Tensor& y, const Tensor& b);

}  // namespace nn::cpu
