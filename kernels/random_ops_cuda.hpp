#pragma once
// Launchers of dropout and Gaussian noise (kernels/random_ops.cu): raw device
// pointers, the element count, the reserved Philox range (seed, offset) and the
// stream to queue on; T is float or double. Element i draws at the same
// positions of the range as on the CPU, so both backends agree.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace nn::kernels {

// y[i] = x[i] * scale where element i is kept (its draw reaches `rate`), else 0.
template <class T>
void dropout_cuda(const T* x, T rate, T scale, std::uint64_t seed, std::uint64_t offset, T* y, std::int64_t n,
                  cudaStream_t stream);
// y[i] = x[i] + stddev * N(0, 1), two draws per element.
template <class T>
void gaussian_noise_cuda(const T* x, T stddev, std::uint64_t seed, std::uint64_t offset, T* y, std::int64_t n,
                         cudaStream_t stream);

}  // namespace nn::kernels
