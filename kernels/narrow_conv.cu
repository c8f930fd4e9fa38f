// Direct stride-1 convolutions with at most four output channels. Each
// block stages one input plane's tile (with its halo) and that plane's taps in
// shared memory and loops over the planes; each thread keeps its outputs in
// registers. A thread's pixels sit 16 columns apart, so a warp reads
// consecutive shared-memory words. Sums run in a fixed order: bitwise
// repeatable.
#include "cuda_launch.cuh"
#include "narrow_conv_cuda.hpp"

namespace nn::kernels {
namespace {

// A block covers kTileRows x kTileCols outputs with kThreadCols x kTileRows
// threads, each holding kPixels pixels kThreadCols columns apart.
constexpr int kTileRows = 16, kThreadCols = 16, kPixels = 4, kTileCols = kThreadCols * kPixels;
constexpr int kBlockThreads = kThreadCols * kTileRows;
// Input channels per block of the backward-data kernel.
constexpr int kDataChannels = 8;
// Output rows per tile of the backward-weight kernel.
constexpr int kWeightRows = 8;

__device__ bool inside(int row, int col, int rows, int cols) {
  return row >= 0 && row < rows && col >= 0 && col < cols;
}

// Shared tile of one plane: rows [row0, row0 + tile_h) and columns
// [col0, col0 + tile_w) of a rows x cols plane, zero outside it.
template <class T>
__device__ void stage_plane(const T* plane, int rows, int cols, int row0, int col0, int tile_h, int tile_w, T* tile,
                            int tid, int threads) {
  for (int i = tid; i < tile_h * tile_w; i += threads) {
    const int r = row0 + i / tile_w, c = col0 + i % tile_w;
    tile[i] = inside(r, c, rows, cols) ? plane[static_cast<std::int64_t>(r) * cols + c] : T(0);
  }
}

template <class T, int O>
__global__ void __launch_bounds__(kBlockThreads) forward_kernel(const T* __restrict__ x, const T* __restrict__ w,
                                                                 NarrowConvGeometry g, T* __restrict__ y) {
  extern __shared__ unsigned char shared[];
  const int tile_h = kTileRows + g.kernel_h - 1, tile_w = kTileCols + g.kernel_w - 1;
  const int taps = g.kernel_h * g.kernel_w;
  T* tile = reinterpret_cast<T*>(shared);
  T* weights = tile + tile_h * tile_w;
  const int tx = static_cast<int>(threadIdx.x), ty = static_cast<int>(threadIdx.y), tid = ty * kThreadCols + tx;
  const int b = static_cast<int>(blockIdx.z);
  const int oh0 = static_cast<int>(blockIdx.y) * kTileRows, ow0 = static_cast<int>(blockIdx.x) * kTileCols;
  T acc[O][kPixels] = {};
  for (int c = 0; c < g.channels; ++c) {
    const T* plane = x + (static_cast<std::int64_t>(b) * g.channels + c) * g.in_h * g.in_w;
    stage_plane(plane, g.in_h, g.in_w, oh0 - g.pad_top, ow0 - g.pad_left, tile_h, tile_w, tile, tid, kBlockThreads);
    for (int i = tid; i < O * taps; i += kBlockThreads)
      weights[i] = w[(static_cast<std::int64_t>(i / taps) * g.channels + c) * taps + i % taps];
    __syncthreads();
    for (int kh = 0; kh < g.kernel_h; ++kh) {
      const T* row = tile + (ty + kh) * tile_w + tx;
      for (int kw = 0; kw < g.kernel_w; ++kw) {
        T v[kPixels];
#pragma unroll
        for (int p = 0; p < kPixels; ++p) v[p] = row[kw + p * kThreadCols];
#pragma unroll
        for (int o = 0; o < O; ++o) {
          const T wv = weights[o * taps + kh * g.kernel_w + kw];
#pragma unroll
          for (int p = 0; p < kPixels; ++p) acc[o][p] += wv * v[p];
        }
      }
    }
    __syncthreads();
  }
  const int oh = oh0 + ty;
  if (oh >= g.out_h) return;
#pragma unroll
  for (int o = 0; o < O; ++o) {
    T* out = y + ((static_cast<std::int64_t>(b) * O + o) * g.out_h + oh) * g.out_w;
#pragma unroll
    for (int p = 0; p < kPixels; ++p) {
      const int ow = ow0 + tx + p * kThreadCols;
      if (ow < g.out_w) out[ow] = acc[o][p];
    }
  }
}

// grad_x[c, i, j] = sum over o, kh, kw of w[o, c, kh, kw] * grad_y[o, i + pad_top - kh, j + pad_left - kw].
template <class T, int O>
__global__ void __launch_bounds__(kBlockThreads) backward_data_kernel(const T* __restrict__ grad_y,
                                                                       const T* __restrict__ w, NarrowConvGeometry g,
                                                                       T* __restrict__ grad_x) {
  extern __shared__ unsigned char shared[];
  const int tile_h = kTileRows + g.kernel_h - 1, tile_w = kTileCols + g.kernel_w - 1;
  const int taps = g.kernel_h * g.kernel_w;
  T* tile = reinterpret_cast<T*>(shared);
  T* weights = tile + tile_h * tile_w;
  const int tx = static_cast<int>(threadIdx.x), ty = static_cast<int>(threadIdx.y), tid = ty * kThreadCols + tx;
  const int groups = (g.channels + kDataChannels - 1) / kDataChannels;
  const int b = static_cast<int>(blockIdx.z) / groups, c0 = static_cast<int>(blockIdx.z) % groups * kDataChannels;
  const int ih0 = static_cast<int>(blockIdx.y) * kTileRows, iw0 = static_cast<int>(blockIdx.x) * kTileCols;
  T acc[kDataChannels][kPixels] = {};
  for (int o = 0; o < O; ++o) {
    const T* plane = grad_y + (static_cast<std::int64_t>(b) * O + o) * g.out_h * g.out_w;
    stage_plane(plane, g.out_h, g.out_w, ih0 + g.pad_top - (g.kernel_h - 1), iw0 + g.pad_left - (g.kernel_w - 1),
                tile_h, tile_w, tile, tid, kBlockThreads);
    for (int i = tid; i < kDataChannels * taps; i += kBlockThreads) {
      const int c = c0 + i / taps;
      weights[i] = c < g.channels ? w[(static_cast<std::int64_t>(o) * g.channels + c) * taps + i % taps] : T(0);
    }
    __syncthreads();
    for (int kh = 0; kh < g.kernel_h; ++kh) {
      // Tile row ty + kernel_h - 1 - kh holds grad_y row ih0 + ty + pad_top - kh.
      const T* row = tile + (ty + g.kernel_h - 1 - kh) * tile_w + tx + g.kernel_w - 1;
      for (int kw = 0; kw < g.kernel_w; ++kw) {
        T v[kPixels];
#pragma unroll
        for (int p = 0; p < kPixels; ++p) v[p] = row[p * kThreadCols - kw];
#pragma unroll
        for (int cc = 0; cc < kDataChannels; ++cc) {
          const T wv = weights[cc * taps + kh * g.kernel_w + kw];
#pragma unroll
          for (int p = 0; p < kPixels; ++p) acc[cc][p] += wv * v[p];
        }
      }
    }
    __syncthreads();
  }
  const int ih = ih0 + ty;
  if (ih >= g.in_h) return;
#pragma unroll
  for (int cc = 0; cc < kDataChannels; ++cc) {
    if (c0 + cc >= g.channels) break;
    T* out = grad_x + ((static_cast<std::int64_t>(b) * g.channels + c0 + cc) * g.in_h + ih) * g.in_w;
#pragma unroll
    for (int p = 0; p < kPixels; ++p) {
      const int iw = iw0 + tx + p * kThreadCols;
      if (iw < g.in_w) out[iw] = acc[cc][p];
    }
  }
}

// One block per (input channel, image); thread j < out_channels * taps sums
// grad_y[o] * x[c] shifted by its tap over the image, tile by tile, into
// partial[image][o][c][tap].
template <class T>
__global__ void __launch_bounds__(kBlockThreads)
    backward_weight_kernel(const T* __restrict__ x, const T* __restrict__ grad_y, NarrowConvGeometry g,
                           T* __restrict__ partial) {
  extern __shared__ unsigned char shared[];
  const int tile_h = kWeightRows + g.kernel_h - 1, tile_w = kTileCols + g.kernel_w - 1;
  const int taps = g.kernel_h * g.kernel_w, O = g.out_channels;
  T* dy = reinterpret_cast<T*>(shared);
  T* tile = dy + O * kWeightRows * kTileCols;
  const int tid = static_cast<int>(threadIdx.x), c = static_cast<int>(blockIdx.x), b = static_cast<int>(blockIdx.y);
  const bool active = tid < O * taps;
  const int o = active ? tid / taps : 0, kh = active ? tid % taps / g.kernel_w : 0, kw = active ? tid % g.kernel_w : 0;
  const T* plane = x + (static_cast<std::int64_t>(b) * g.channels + c) * g.in_h * g.in_w;
  T acc = 0;
  for (int oh0 = 0; oh0 < g.out_h; oh0 += kWeightRows)
    for (int ow0 = 0; ow0 < g.out_w; ow0 += kTileCols) {
      for (int k = 0; k < O; ++k)
        stage_plane(grad_y + (static_cast<std::int64_t>(b) * O + k) * g.out_h * g.out_w, g.out_h, g.out_w, oh0, ow0,
                    kWeightRows, kTileCols, dy + k * kWeightRows * kTileCols, tid, kBlockThreads);
      stage_plane(plane, g.in_h, g.in_w, oh0 - g.pad_top, ow0 - g.pad_left, tile_h, tile_w, tile, tid, kBlockThreads);
      __syncthreads();
      if (active) {
        const T* d = dy + o * kWeightRows * kTileCols;
        for (int r = 0; r < kWeightRows; ++r) {
          const T* t = tile + (r + kh) * tile_w + kw;
          for (int s = 0; s < kTileCols; ++s) acc += d[r * kTileCols + s] * t[s];
        }
      }
      __syncthreads();
    }
  if (active)
    partial[static_cast<std::int64_t>(b) * O * g.channels * taps +
            (static_cast<std::int64_t>(o) * g.channels + c) * taps + kh * g.kernel_w + kw] = acc;
}

// grad_w[j] = the images' partial sums added in image order.
template <class T>
struct SumImages {
  const T* partial;
  std::int64_t images, weights;
  T* grad_w;
  __device__ void operator()(std::int64_t j) const {
    T sum = 0;
    for (std::int64_t b = 0; b < images; ++b) sum += partial[b * weights + j];
    grad_w[j] = sum;
  }
};

std::size_t tile_bytes(const NarrowConvGeometry& g, int weight_rows, std::size_t element_size) {
  const std::size_t tile = static_cast<std::size_t>(kTileRows + g.kernel_h - 1) * (kTileCols + g.kernel_w - 1);
  return (tile + static_cast<std::size_t>(weight_rows) * g.kernel_h * g.kernel_w) * element_size;
}

std::size_t weight_kernel_bytes(const NarrowConvGeometry& g, std::size_t element_size) {
  const std::size_t dy = static_cast<std::size_t>(g.out_channels) * kWeightRows * kTileCols;
  const std::size_t tile = static_cast<std::size_t>(kWeightRows + g.kernel_h - 1) * (kTileCols + g.kernel_w - 1);
  return (dy + tile) * element_size;
}

unsigned blocks(int extent, int tile) { return static_cast<unsigned>((extent + tile - 1) / tile); }

template <class T, int O>
void forward_with(const T* x, const T* w, const NarrowConvGeometry& g, T* y, cudaStream_t stream) {
  const dim3 grid(blocks(g.out_w, kTileCols), blocks(g.out_h, kTileRows), static_cast<unsigned>(g.batch));
  forward_kernel<T, O><<<grid, dim3(kThreadCols, kTileRows), tile_bytes(g, O, sizeof(T)), stream>>>(x, w, g, y);
  NN_KERNELS_CHECK_LAUNCH("narrow_conv_forward");
}

template <class T, int O>
void backward_data_with(const T* grad_y, const T* w, const NarrowConvGeometry& g, T* grad_x, cudaStream_t stream) {
  const unsigned groups = blocks(g.channels, kDataChannels);
  const dim3 grid(blocks(g.in_w, kTileCols), blocks(g.in_h, kTileRows), static_cast<unsigned>(g.batch) * groups);
  backward_data_kernel<T, O><<<grid, dim3(kThreadCols, kTileRows), tile_bytes(g, kDataChannels, sizeof(T)), stream>>>(
      grad_y, w, g, grad_x);
  NN_KERNELS_CHECK_LAUNCH("narrow_conv_backward_data");
}

}  // namespace

bool narrow_conv_fits(const NarrowConvGeometry& g) {
  const long long data_blocks = static_cast<long long>(g.batch) * ((g.channels + kDataChannels - 1) / kDataChannels);
  return g.batch > 0 && g.channels > 0 && g.out_channels >= 1 && g.out_channels <= kNarrowMaxOutChannels &&
         g.kernel_h >= 1 && g.kernel_h <= kNarrowMaxKernel && g.kernel_w >= 1 && g.kernel_w <= kNarrowMaxKernel &&
         g.out_channels * g.kernel_h * g.kernel_w <= kBlockThreads && data_blocks <= 65535 && g.batch <= 65535 &&
         g.out_h > 0 && g.out_w > 0 && g.in_h > 0 && g.in_w > 0;
}

template <class T>
void narrow_conv_forward_cuda(const T* x, const T* w, const NarrowConvGeometry& g, T* y, cudaStream_t stream) {
  switch (g.out_channels) {
    case 1: return forward_with<T, 1>(x, w, g, y, stream);
    case 2: return forward_with<T, 2>(x, w, g, y, stream);
    case 3: return forward_with<T, 3>(x, w, g, y, stream);
    default: return forward_with<T, 4>(x, w, g, y, stream);
  }
}

template <class T>
void narrow_conv_backward_data_cuda(const T* grad_y, const T* w, const NarrowConvGeometry& g, T* grad_x,
                                    cudaStream_t stream) {
  switch (g.out_channels) {
    case 1: return backward_data_with<T, 1>(grad_y, w, g, grad_x, stream);
    case 2: return backward_data_with<T, 2>(grad_y, w, g, grad_x, stream);
    case 3: return backward_data_with<T, 3>(grad_y, w, g, grad_x, stream);
    default: return backward_data_with<T, 4>(grad_y, w, g, grad_x, stream);
  }
}

std::size_t narrow_conv_backward_weight_scratch(const NarrowConvGeometry& g, std::size_t element_size) {
  return static_cast<std::size_t>(g.batch) * g.out_channels * g.channels * g.kernel_h * g.kernel_w * element_size;
}

template <class T>
void narrow_conv_backward_weight_cuda(const T* x, const T* grad_y, const NarrowConvGeometry& g, T* grad_w,
                                      void* scratch, cudaStream_t stream) {
  T* partial = static_cast<T*>(scratch);
  const dim3 grid(static_cast<unsigned>(g.channels), static_cast<unsigned>(g.batch));
  backward_weight_kernel<T><<<grid, kBlockThreads, weight_kernel_bytes(g, sizeof(T)), stream>>>(x, grad_y, g,
                                                                                                partial);
  NN_KERNELS_CHECK_LAUNCH("narrow_conv_backward_weight");
  const std::int64_t weights = static_cast<std::int64_t>(g.out_channels) * g.channels * g.kernel_h * g.kernel_w;
  launch_for_each("narrow_conv_backward_weight_sum", weights, SumImages<T>{partial, g.batch, weights, grad_w}, stream);
}

#define NN_NARROW_CONV_INSTANTIATE(T)                                                                              \
  template void narrow_conv_forward_cuda<T>(const T*, const T*, const NarrowConvGeometry&, T*, cudaStream_t);    \
  template void narrow_conv_backward_data_cuda<T>(const T*, const T*, const NarrowConvGeometry&, T*, cudaStream_t); \
  template void narrow_conv_backward_weight_cuda<T>(const T*, const T*, const NarrowConvGeometry&, T*, void*,     \
                                                    cudaStream_t);
NN_NARROW_CONV_INSTANTIATE(float)
NN_NARROW_CONV_INSTANTIATE(double)
#undef NN_NARROW_CONV_INSTANTIATE

}  // namespace nn::kernels
