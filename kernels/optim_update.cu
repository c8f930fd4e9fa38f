// Fused Adam and SGD steps on CUDA through the shared per-element math of
// adam_math.hpp and sgd_math.hpp.
#include "cuda_launch.cuh"
#include "optim_update_cuda.hpp"

namespace nn::kernels {
namespace {

template <class T>
struct AdamStep {
  T* param;
  const T* grad;
  T* exp_avg;
  T* exp_avg_sq;
  AdamCoefficients<T> c;
  __device__ void operator()(std::int64_t i) const { adam_apply(param[i], exp_avg[i], exp_avg_sq[i], grad[i], c); }
};

template <class T>
struct SgdStep {
  T* param;
  const T* grad;
  SgdCoefficients<T> c;
  __device__ void operator()(std::int64_t i) const { sgd_apply(param[i], grad[i], c); }
};

template <class T>
struct SgdMomentumStep {
  T* param;
  const T* grad;
  T* momentum_buffer;
  SgdCoefficients<T> c;
  __device__ void operator()(std::int64_t i) const {
    sgd_momentum_apply(param[i], momentum_buffer[i], grad[i], c);
  }
};

}  // namespace

template <class T>
void adam_update_cuda(T* param, const T* grad, T* exp_avg, T* exp_avg_sq, const AdamCoefficients<T>& coefficients,
                      std::int64_t n, cudaStream_t stream) {
  launch_for_each("adam_update", n, AdamStep<T>{param, grad, exp_avg, exp_avg_sq, coefficients}, stream);
}

template <class T>
void sgd_update_cuda(T* param, const T* grad, T* momentum_buffer, const SgdCoefficients<T>& coefficients,
                     std::int64_t n, cudaStream_t stream) {
  if (momentum_buffer)
    launch_for_each("sgd_momentum_update", n, SgdMomentumStep<T>{param, grad, momentum_buffer, coefficients},
                    stream);
  else
    launch_for_each("sgd_update", n, SgdStep<T>{param, grad, coefficients}, stream);
}

template void adam_update_cuda<float>(float*, const float*, float*, float*, const AdamCoefficients<float>&,
                                      std::int64_t, cudaStream_t);
template void adam_update_cuda<double>(double*, const double*, double*, double*, const AdamCoefficients<double>&,
                                       std::int64_t, cudaStream_t);
template void sgd_update_cuda<float>(float*, const float*, float*, const SgdCoefficients<float>&, std::int64_t,
                                     cudaStream_t);
template void sgd_update_cuda<double>(double*, const double*, double*, const SgdCoefficients<double>&,
                                      std::int64_t, cudaStream_t);

}  // namespace nn::kernels
