// Fills and dtype conversion on CUDA; the random fills call the same
// per-element functions (random_math.hpp) as the CPU backend.
#include "cuda_launch.cuh"
#include "fill_cuda.hpp"
#include "random_math.hpp"

namespace nn::kernels {
namespace {

template <class T>
struct FillValue {
  T* y;
  T value;
  __device__ void operator()(std::int64_t i) const { y[i] = value; }
};

template <class T>
struct FillArange {
  T* y;
  __device__ void operator()(std::int64_t i) const { y[i] = static_cast<T>(i); }
};

template <class T>
struct FillUniform {
  T* y;
  T low, span;
  std::uint64_t seed, offset;
  __device__ void operator()(std::int64_t i) const {
    y[i] = uniform_between_at(low, span, seed, offset, static_cast<std::uint64_t>(i));
  }
};

template <class T>
struct FillNormal {
  T* y;
  T mean, stddev;
  std::uint64_t seed, offset;
  __device__ void operator()(std::int64_t i) const {
    y[i] = normal_at(mean, stddev, seed, offset, static_cast<std::uint64_t>(i));
  }
};

template <class S, class D>
struct Convert {
  const S* x;
  D* y;
  __device__ void operator()(std::int64_t i) const { y[i] = static_cast<D>(x[i]); }
};

}  // namespace

template <class T>
void fill_cuda(T* y, std::int64_t n, T value, cudaStream_t stream) {
  launch_for_each("fill", n, FillValue<T>{y, value}, stream);
}

template <class T>
void arange_cuda(T* y, std::int64_t n, cudaStream_t stream) {
  launch_for_each("arange", n, FillArange<T>{y}, stream);
}

template <class T>
void uniform_cuda(T* y, std::int64_t n, T low, T span, std::uint64_t seed, std::uint64_t offset,
                  cudaStream_t stream) {
  launch_for_each("uniform", n, FillUniform<T>{y, low, span, seed, offset}, stream);
}

template <class T>
void normal_cuda(T* y, std::int64_t n, T mean, T stddev, std::uint64_t seed, std::uint64_t offset,
                 cudaStream_t stream) {
  launch_for_each("normal", n, FillNormal<T>{y, mean, stddev, seed, offset}, stream);
}

template <class S, class D>
void convert_cuda(const S* x, D* y, std::int64_t n, cudaStream_t stream) {
  launch_for_each("convert", n, Convert<S, D>{x, y}, stream);
}

template void fill_cuda<float>(float*, std::int64_t, float, cudaStream_t);
template void fill_cuda<double>(double*, std::int64_t, double, cudaStream_t);
template void arange_cuda<float>(float*, std::int64_t, cudaStream_t);
template void arange_cuda<double>(double*, std::int64_t, cudaStream_t);
template void uniform_cuda<float>(float*, std::int64_t, float, float, std::uint64_t, std::uint64_t, cudaStream_t);
template void uniform_cuda<double>(double*, std::int64_t, double, double, std::uint64_t, std::uint64_t,
                                   cudaStream_t);
template void normal_cuda<float>(float*, std::int64_t, float, float, std::uint64_t, std::uint64_t, cudaStream_t);
template void normal_cuda<double>(double*, std::int64_t, double, double, std::uint64_t, std::uint64_t,
                                  cudaStream_t);
template void convert_cuda<float, double>(const float*, double*, std::int64_t, cudaStream_t);
template void convert_cuda<double, float>(const double*, float*, std::int64_t, cudaStream_t);

}  // namespace nn::kernels
