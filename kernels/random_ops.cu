// Dropout and Gaussian noise on CUDA through the shared per-element math of
// dropout_math.hpp and noise_math.hpp.
#include "cuda_launch.cuh"
#include "dropout_math.hpp"
#include "noise_math.hpp"
#include "random_ops_cuda.hpp"

namespace nn::kernels {
namespace {

template <class T>
struct Dropout {
  const T* x;
  T rate, scale;
  std::uint64_t seed, offset;
  T* y;
  __device__ void operator()(std::int64_t i) const {
    const bool keep = dropout_keep<T>(seed, offset, static_cast<std::uint64_t>(i), rate);
    y[i] = dropout_apply(x[i], keep, scale);
  }
};

template <class T>
struct GaussianNoise {
  const T* x;
  T stddev;
  std::uint64_t seed, offset;
  T* y;
  __device__ void operator()(std::int64_t i) const {
    y[i] = gaussian_noise_apply(x[i], stddev, seed, offset, static_cast<std::uint64_t>(i));
  }
};

}  // namespace

template <class T>
void dropout_cuda(const T* x, T rate, T scale, std::uint64_t seed, std::uint64_t offset, T* y, std::int64_t n,
                  cudaStream_t stream) {
  launch_for_each("dropout", n, Dropout<T>{x, rate, scale, seed, offset, y}, stream);
}

template <class T>
void gaussian_noise_cuda(const T* x, T stddev, std::uint64_t seed, std::uint64_t offset, T* y, std::int64_t n,
                         cudaStream_t stream) {
  launch_for_each("gaussian_noise", n, GaussianNoise<T>{x, stddev, seed, offset, y}, stream);
}

template void dropout_cuda<float>(const float*, float, float, std::uint64_t, std::uint64_t, float*, std::int64_t,
                                  cudaStream_t);
template void dropout_cuda<double>(const double*, double, double, std::uint64_t, std::uint64_t, double*,
                                   std::int64_t, cudaStream_t);
template void gaussian_noise_cuda<float>(const float*, float, std::uint64_t, std::uint64_t, float*, std::int64_t,
                                         cudaStream_t);
template void gaussian_noise_cuda<double>(const double*, double, std::uint64_t, std::uint64_t, double*,
                                          std::int64_t, cudaStream_t);

}  // namespace nn::kernels
