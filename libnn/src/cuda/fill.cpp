// CUDA fills: constants, ranges and the Philox-driven random fills.
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "fill_cuda.hpp"

namespace nn::cuda_backend {

void fill(const Tensor& out, double value) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::fill_cuda(out.data<T>(), out.numel(), static_cast<T>(value), scope.stream());
  });
}

void fill_arange(const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::arange_cuda(out.data<T>(), out.numel(), scope.stream());
  });
}

void fill_uniform(const Tensor& out, double low, double high, RandomState rs) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::uniform_cuda(out.data<T>(), out.numel(), static_cast<T>(low), static_cast<T>(high - low), rs.seed,
                          rs.offset, scope.stream());
  });
}

void fill_normal(const Tensor& out, double mean, double stddev, RandomState rs) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::normal_cuda(out.data<T>(), out.numel(), static_cast<T>(mean), static_cast<T>(stddev), rs.seed,
                         rs.offset, scope.stream());
  });
}

}  // namespace nn::cuda_backend
