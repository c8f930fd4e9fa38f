// Max pooling on CUDA: one thread per output window forward, one thread per
// input cell backward, each scanning in the CPU loops' order (cpu/pool.cpp).
#include "cuda_launch.cuh"
#include "pool_cuda.hpp"

namespace nn::kernels {
namespace {

__device__ std::int64_t max_of(std::int64_t a, std::int64_t b) { return a > b ? a : b; }
__device__ std::int64_t min_of(std::int64_t a, std::int64_t b) { return a < b ? a : b; }

template <class T>
struct MaxPoolForward {
  const T* x;
  PoolGeometry g;
  T* y;
  std::int64_t* argmax;
  __device__ void operator()(std::int64_t o) const {
    const std::int64_t positions = g.out_h * g.out_w;
    const std::int64_t plane = o / positions, oy = o % positions / g.out_w, ox = o % g.out_w;
    const T* src = x + plane * g.in_h * g.in_w;
    const std::int64_t top = oy * g.stride_h - g.pad_top, left = ox * g.stride_w - g.pad_left;
    const std::int64_t y0 = max_of(top, 0), y1 = min_of(top + g.kernel_h, g.in_h);
    const std::int64_t x0 = max_of(left, 0), x1 = min_of(left + g.kernel_w, g.in_w);
    // Only real cells compete, and only a strictly greater value displaces
    // the current winner: the CPU's rule, ties and NaNs included.
    std::int64_t best = y0 * g.in_w + x0;
    for (std::int64_t iy = y0; iy < y1; ++iy)
      for (std::int64_t ix = x0; ix < x1; ++ix)
        if (src[iy * g.in_w + ix] > src[best]) best = iy * g.in_w + ix;
    y[o] = src[best];
    if (argmax) argmax[o] = best;
  }
};

template <class T>
struct MaxPoolBackward {
  const T* grad_y;
  const std::int64_t* argmax;
  PoolGeometry g;
  T* grad_x;
  __device__ void operator()(std::int64_t i) const {
    const std::int64_t cells = g.in_h * g.in_w;
    const std::int64_t plane = i / cells, cell = i % cells, iy = cell / g.in_w, ix = cell % g.in_w;
    // Window oy covers rows [oy * stride - pad, oy * stride - pad + kernel).
    const std::int64_t below_y = iy + g.pad_top - g.kernel_h, below_x = ix + g.pad_left - g.kernel_w;
    const std::int64_t oy0 = below_y < 0 ? 0 : below_y / g.stride_h + 1;
    const std::int64_t ox0 = below_x < 0 ? 0 : below_x / g.stride_w + 1;
    const std::int64_t oy1 = min_of((iy + g.pad_top) / g.stride_h, g.out_h - 1);
    const std::int64_t ox1 = min_of((ix + g.pad_left) / g.stride_w, g.out_w - 1);
    const std::int64_t first = plane * g.out_h * g.out_w;
    // Ascending output order and accumulation in T, as the CPU's scatter adds.
    T sum = 0;
    for (std::int64_t oy = oy0; oy <= oy1; ++oy)
      for (std::int64_t ox = ox0; ox <= ox1; ++ox) {
        const std::int64_t o = first + oy * g.out_w + ox;
        if (argmax[o] == cell) sum += grad_y[o];
      }
    grad_x[i] = sum;
  }
};

}  // namespace

template <class T>
void max_pool2d_forward_cuda(const T* x, const PoolGeometry& g, T* y, std::int64_t* argmax, cudaStream_t stream) {
  launch_for_each("max_pool2d_forward", g.planes * g.out_h * g.out_w, MaxPoolForward<T>{x, g, y, argmax}, stream);
}

template <class T>
void max_pool2d_backward_cuda(const T* grad_y, const std::int64_t* argmax, const PoolGeometry& g, T* grad_x,
                              cudaStream_t stream) {
  launch_for_each("max_pool2d_backward", g.planes * g.in_h * g.in_w, MaxPoolBackward<T>{grad_y, argmax, g, grad_x},
                  stream);
}

template void max_pool2d_forward_cuda<float>(const float*, const PoolGeometry&, float*, std::int64_t*,
                                             cudaStream_t);
template void max_pool2d_forward_cuda<double>(const double*, const PoolGeometry&, double*, std::int64_t*,
                                              cudaStream_t);
template void max_pool2d_backward_cuda<float>(const float*, const std::int64_t*, const PoolGeometry&, float*,
                                              cudaStream_t);
template void max_pool2d_backward_cuda<double>(const double*, const std::int64_t*, const PoolGeometry&, double*,
                                               cudaStream_t);

}  // namespace nn::kernels
