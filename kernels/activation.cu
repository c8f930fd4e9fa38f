// Activations on CUDA through the shared per-element math of activation_math.hpp.
#include <type_traits>

#include "activation_cuda.hpp"
#include "cuda_launch.cuh"

namespace nn::kernels {
namespace {

template <Activation kind, class T>
struct Forward {
  const T* x;
  T alpha;
  T* y;
  __device__ void operator()(std::int64_t i) const { y[i] = activation_forward<kind>(x[i], alpha); }
};

template <Activation kind, class T>
struct Backward {
  const T* saved;
  const T* grad_out;
  T alpha;
  T* grad_in;
  __device__ void operator()(std::int64_t i) const {
    grad_in[i] = activation_backward<kind>(saved[i], grad_out[i], alpha);
  }
};

}  // namespace

template <class T>
void activation_forward_cuda(Activation kind, const T* x, T alpha, T* y, std::int64_t n, cudaStream_t stream) {
  visit_activation(kind, [&](auto tag) {
    launch_for_each("activation_forward", n, Forward<decltype(tag)::value, T>{x, alpha, y}, stream);
  });
}

template <class T>
void activation_backward_cuda(Activation kind, const T* saved, const T* grad_out, T alpha, T* grad_in,
                              std::int64_t n, cudaStream_t stream) {
  visit_activation(kind, [&](auto tag) {
    launch_for_each("activation_backward", n, Backward<decltype(tag)::value, T>{saved, grad_out, alpha, grad_in},
                    stream);
  });
}

template void activation_forward_cuda<float>(Activation, const float*, float, float*, std::int64_t, cudaStream_t);
template void activation_forward_cuda<double>(Activation, const double*, double, double*, std::int64_t,
                                              cudaStream_t);
template void activation_backward_cuda<float>(Activation, const float*, const float*, float, float*, std::int64_t,
                                              cudaStream_t);
template void activation_backward_cuda<double>(Activation, const double*, const double*, double, double*,
                                               std::int64_t, cudaStream_t);

}  // namespace nn::kernels
