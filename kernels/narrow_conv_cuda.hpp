#pragma once
// Launchers of the direct convolution kernels (kernels/narrow_conv.cu) for
// stride-1 convolutions with at most four output channels, such as the
// generator's 8x8 32 -> 3 output layer. Implicit-GEMM algorithms fill a tile
// of 32 or more output channels with 3 real ones, so cuDNN runs these at a
// few percent of the chip; a direct loop over the taps wastes nothing. Every
// sum runs in a fixed order (no atomics): results repeat bit for bit.
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace nn::kernels {

// x [batch, channels, in_h, in_w] -> y [batch, out_channels, out_h, out_w]
// with stride 1; pad_top and pad_left place the kernel (the bottom and right
// padding only show in out_h and out_w).
struct NarrowConvGeometry {
  int batch = 0, channels = 0, in_h = 0, in_w = 0;
  int out_channels = 0, out_h = 0, out_w = 0;
  int kernel_h = 0, kernel_w = 0, pad_top = 0, pad_left = 0;
};

inline constexpr int kNarrowMaxOutChannels = 4;
inline constexpr int kNarrowMaxKernel = 16;

// Whether these kernels take the problem: stride 1 (the caller's check), at
// most 4 output channels and kernels up to 16x16.
bool narrow_conv_fits(const NarrowConvGeometry& g);

// y = conv(x, w), bias not added.
template <class T>
void narrow_conv_forward_cuda(const T* x, const T* w, const NarrowConvGeometry& g, T* y, cudaStream_t stream);

// grad_x = the adjoint of the forward convolution applied to grad_y.
template <class T>
void narrow_conv_backward_data_cuda(const T* grad_y, const T* w, const NarrowConvGeometry& g, T* grad_x,
                                    cudaStream_t stream);

// Bytes of device scratch narrow_conv_backward_weight_cuda needs.
std::size_t narrow_conv_backward_weight_scratch(const NarrowConvGeometry& g, std::size_t element_size);

// grad_w [out_channels, channels, kernel_h, kernel_w]: each image's sum first
// (one block per image and input channel), then the images' sums in order.
template <class T>
void narrow_conv_backward_weight_cuda(const T* x, const T* grad_y, const NarrowConvGeometry& g, T* grad_w,
                                      void* scratch, cudaStream_t stream);

}  // namespace nn::kernels
