// CUDA dropout and Gaussian noise: launches kernels/random_ops.cu with the
// reserved Philox range, so the draws equal the CPU's.
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "random_ops_cuda.hpp"

namespace nn::cuda_backend {

void dropout(const Tensor& x, double rate, RandomState rs, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::dropout_cuda(x.data<T>(), static_cast<T>(rate), static_cast<T>(1.0 / (1.0 - rate)), rs.seed,
                          rs.offset, out.data<T>(), out.numel(), scope.stream());
  });
}

void gaussian_noise(const Tensor& x, double stddev, RandomState rs, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::gaussian_noise_cuda(x.data<T>(), static_cast<T>(stddev), rs.seed, rs.offset, out.data<T>(),
                                 out.numel(), scope.stream());
  });
}

}  // namespace nn::cuda_backend
