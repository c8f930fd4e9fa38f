// Batch norm with fixed statistics on CUDA: the same arithmetic as the CPU
// loops of cpu/batch_norm.cpp, element for element, and per-channel sums in
// double without atomics.
#include "batch_norm_cuda.hpp"
#include "cuda_launch.cuh"

namespace nn::kernels {
namespace {

// Threads of a channel-sum block: a power of two, the tree below relies on it.
constexpr int kSumThreads = 256;

// A product that is never fused with a following addition, so that
// a * b + c rounds twice as on the CPU.
__device__ float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ double mul_rn(double a, double b) { return __dmul_rn(a, b); }

__device__ std::int64_t channel_of(const ChannelLayout& l, std::int64_t i) { return i / l.s % l.c; }

template <class T>
struct RunningStats {
  const T* running_mean;
  const T* running_var;
  double eps;
  T* mean;
  T* invstd;
  __device__ void operator()(std::int64_t ch) const {
    mean[ch] = running_mean[ch];
    invstd[ch] = static_cast<T>(1.0 / sqrt(static_cast<double>(running_var[ch]) + eps));
  }
};

template <class T>
struct Apply {
  const T* x;
  const T* mean;
  const T* invstd;
  const T* weight;
  const T* bias;
  T* y;
  ChannelLayout l;
  __device__ void operator()(std::int64_t i) const {
    const std::int64_t ch = channel_of(l, i);
    const T scale = invstd[ch] * (weight ? weight[ch] : T(1));
    const T shift = bias ? bias[ch] : T(0);
    y[i] = mul_rn(x[i] - mean[ch], scale) + shift;
  }
};

template <class T>
struct GradInputFixedStats {
  const T* grad_y;
  const T* invstd;
  const T* weight;
  T* grad_x;
  ChannelLayout l;
  __device__ void operator()(std::int64_t i) const {
    const std::int64_t ch = channel_of(l, i);
    const double scale = static_cast<double>(weight ? weight[ch] : T(1)) * static_cast<double>(invstd[ch]);
    grad_x[i] = static_cast<T>(scale * static_cast<double>(grad_y[i]));
  }
};

// Sums a and b over the block, valid in thread 0. Every thread of the block
// must call it, the same number of times.
__device__ void block_sum2(double& a, double& b) {
  __shared__ double shared_a[kSumThreads], shared_b[kSumThreads];
  __syncthreads();  // the previous call's reads of the shared arrays are done
  shared_a[threadIdx.x] = a;
  shared_b[threadIdx.x] = b;
  __syncthreads();
  for (int half = kSumThreads / 2; half > 0; half /= 2) {
    if (static_cast<int>(threadIdx.x) < half) {
      shared_a[threadIdx.x] += shared_a[threadIdx.x + half];
      shared_b[threadIdx.x] += shared_b[threadIdx.x + half];
    }
    __syncthreads();
  }
  a = shared_a[0];
  b = shared_b[0];
}

// One block per channel: grad_bias = sum(grad_y), grad_weight = sum(grad_y * xhat).
template <class T>
__global__ void channel_sums_kernel(const T* x, const T* grad_y, const T* mean, const T* invstd, ChannelLayout l,
                                    T* grad_weight, T* grad_bias) {
  const std::int64_t count = l.n * l.s;
  for (std::int64_t ch = blockIdx.x; ch < l.c; ch += gridDim.x) {
    const double mu = mean[ch], istd = invstd[ch];
    double sum_g = 0, sum_g_xhat = 0;
    for (std::int64_t r = threadIdx.x; r < count; r += kSumThreads) {
      const std::int64_t at = (r / l.s * l.c + ch) * l.s + r % l.s;
      sum_g += grad_y[at];
      sum_g_xhat += grad_y[at] * (x[at] - mu) * istd;
    }
    block_sum2(sum_g, sum_g_xhat);
    if (threadIdx.x == 0) {
      if (grad_weight) grad_weight[ch] = static_cast<T>(sum_g_xhat);
      if (grad_bias) grad_bias[ch] = static_cast<T>(sum_g);
    }
  }
}

}  // namespace

template <class T>
void batch_norm_running_stats_cuda(const T* running_mean, const T* running_var, double eps, T* mean, T* invstd,
                                   std::int64_t c, cudaStream_t stream) {
  launch_for_each("batch_norm_running_stats", c, RunningStats<T>{running_mean, running_var, eps, mean, invstd},
                  stream);
}

template <class T>
void batch_norm_apply_cuda(const T* x, const T* mean, const T* invstd, const T* weight, const T* bias, T* y,
                           const ChannelLayout& l, cudaStream_t stream) {
  launch_for_each("batch_norm_apply", l.n * l.c * l.s, Apply<T>{x, mean, invstd, weight, bias, y, l}, stream);
}

template <class T>
void batch_norm_backward_fixed_stats_cuda(const T* x, const T* grad_y, const T* mean, const T* invstd,
                                          const T* weight, T* grad_x, T* grad_weight, T* grad_bias,
                                          const ChannelLayout& l, cudaStream_t stream) {
  if (grad_x)
    launch_for_each("batch_norm_grad_input", l.n * l.c * l.s,
                    GradInputFixedStats<T>{grad_y, invstd, weight, grad_x, l}, stream);
  if ((grad_weight || grad_bias) && l.c > 0) {
    const auto blocks = static_cast<unsigned>(l.c < kMaxBlocks ? l.c : kMaxBlocks);
    channel_sums_kernel<<<blocks, kSumThreads, 0, stream>>>(x, grad_y, mean, invstd, l, grad_weight, grad_bias);
    NN_KERNELS_CHECK_LAUNCH("batch_norm_channel_sums");
  }
}

template void batch_norm_running_stats_cuda<float>(const float*, const float*, double, float*, float*,
                                                   std::int64_t, cudaStream_t);
template void batch_norm_running_stats_cuda<double>(const double*, const double*, double, double*, double*,
                                                    std::int64_t, cudaStream_t);
template void batch_norm_apply_cuda<float>(const float*, const float*, const float*, const float*, const float*,
                                           float*, const ChannelLayout&, cudaStream_t);
template void batch_norm_apply_cuda<double>(const double*, const double*, const double*, const double*,
                                            const double*, double*, const ChannelLayout&, cudaStream_t);
template void batch_norm_backward_fixed_stats_cuda<float>(const float*, const float*, const float*, const float*,
                                                          const float*, float*, float*, float*,
                                                          const ChannelLayout&, cudaStream_t);
template void batch_norm_backward_fixed_stats_cuda<double>(const double*, const double*, const double*,
                                                           const double*, const double*, double*, double*,
                                                           double*, const ChannelLayout&, cudaStream_t);

}  // namespace nn::kernels
