#pragma once
// Launchers of the fill and conversion kernels (kernels/fill.cu). They take
// raw device pointers, an element count and the stream to queue on; T is
// float or double.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace nn::kernels {

template <class T>
void fill_cuda(T* y, std::int64_t n, T value, cudaStream_t stream);
template <class T>
void arange_cuda(T* y, std::int64_t n, cudaStream_t stream);
// Element i from the Philox stream (seed, offset): the same values as the CPU.
template <class T>
void uniform_cuda(T* y, std::int64_t n, T low, T span, std::uint64_t seed, std::uint64_t offset,
                  cudaStream_t stream);
template <class T>
void normal_cuda(T* y, std::int64_t n, T mean, T stddev, std::uint64_t seed, std::uint64_t offset,
                 cudaStream_t stream);
// y[i] = D(x[i]).
template <class S, class D>
void convert_cuda(const S* x, D* y, std::int64_t n, cudaStream_t stream);

}  // namespace nn::kernels
