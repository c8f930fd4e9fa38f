// The strided row copy that concat (rows into a wider output) and narrow
// (rows out of a wider input) are made of.
#include "concat_cuda.hpp"
#include "cuda_launch.cuh"

namespace nn::kernels {
namespace {

template <class T>
struct CopyRows {
  const T* src;
  std::int64_t src_pitch;
  T* dst;
  std::int64_t dst_pitch;
  std::int64_t width;
  __device__ void operator()(std::int64_t i) const {
    const std::int64_t r = i / width, c = i % width;
    dst[r * dst_pitch + c] = src[r * src_pitch + c];
  }
};

}  // namespace

template <class T>
void copy_rows_cuda(const T* src, std::int64_t src_pitch, T* dst, std::int64_t dst_pitch, std::int64_t rows,
                    std::int64_t width, cudaStream_t stream) {
  if (width <= 0) return;
  launch_for_each("copy_rows", rows * width, CopyRows<T>{src, src_pitch, dst, dst_pitch, width}, stream);
}

template void copy_rows_cuda<float>(const float*, std::int64_t, float*, std::int64_t, std::int64_t, std::int64_t,
                                    cudaStream_t);
template void copy_rows_cuda<double>(const double*, std::int64_t, double*, std::int64_t, std::int64_t,
                                     std::int64_t, cudaStream_t);

}  // namespace nn::kernels
