#pragma once
// Launcher of the row copy behind concat and narrow on CUDA
// (kernels/concat.cu): raw device pointers, counts in elements, the stream to
// queue on; T is float or double.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace nn::kernels {

// dst[r * dst_pitch + c] = src[r * src_pitch + c] for r < rows, c < width.
template <class T>
void copy_rows_cuda(const T* src, std::int64_t src_pitch, T* dst, std::int64_t dst_pitch, std::int64_t rows,
                    std::int64_t width, cudaStream_t stream);

}  // namespace nn::kernels
