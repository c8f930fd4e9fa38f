// CUDA sums: shapes to geometry, scratch from the caching allocator, kernels/reduce.cu.
#include "cuda/allocator.hpp"
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "geometry/strided.hpp"
#include "reduce_cuda.hpp"

namespace nn::cuda_backend {

void sum_all(const Tensor& x, const Tensor& out) {
  const int device = out.device().index;
  const DeviceScope scope(device);
  const std::int64_t n = x.numel();
  const DeviceBuffer partials(static_cast<std::size_t>(kernels::sum_all_partials(n)) * sizeof(double), device);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::sum_all_cuda(x.data<T>(), n, partials.as<double>(), out.data<T>(), scope.stream());
  });
}

void sum_to(const Tensor& x, const Tensor& out) {
  const int device = out.device().index;
  const DeviceScope scope(device);
  const geometry::SumToGeometry g = geometry::sum_to_geometry("sum_to", x.shape(), out.shape());
  const std::int64_t chunks = kernels::sum_to_chunks(g.reduced);
  // One pass needs no scratch; the smallest block stands in for none.
  const std::size_t scratch = chunks > 1 ? static_cast<std::size_t>(out.numel() * chunks) * sizeof(double) : 0;
  const DeviceBuffer partials(scratch, device);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::sum_to_cuda(x.data<T>(), g.kept, out.numel(), g.summed, g.reduced, partials.as<double>(),
                         out.data<T>(), scope.stream());
  });
}

}  // namespace nn::cuda_backend
