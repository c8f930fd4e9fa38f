#pragma once
// Launchers of the max pooling kernels (kernels/pool.cu), with the contract
// of nn::cpu::max_pool2d_forward/backward (cpu/pool.hpp): the same winner in
// every window, ties included, and the same gradient sums bit for bit.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace nn::kernels {

// Pooling windows over `planes` planes of in_h x in_w; pad_top and pad_left
// place the windows, bottom and right padding only show in out_h and out_w.
struct PoolGeometry {
  std::int64_t planes = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  std::int64_t kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
  std::int64_t pad_top = 0, pad_left = 0;
};

// y = the window maxima over real (unpadded) cells; the first cell in
// row-major order wins a tie. argmax (null to skip) receives the winner's
// index inside its plane.
template <class T>
void max_pool2d_forward_cuda(const T* x, const PoolGeometry& g, T* y, std::int64_t* argmax, cudaStream_t stream);

// grad_x[cell] = the sum, in output order, of grad_y over the windows that
// cell won. Each input cell gathers its own sum, so no atomics.
template <class T>
void max_pool2d_backward_cuda(const T* grad_y, const std::int64_t* argmax, const PoolGeometry& g, T* grad_x,
                              cudaStream_t stream);

}  // namespace nn::kernels
