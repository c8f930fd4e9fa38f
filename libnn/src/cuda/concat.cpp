// CUDA concat and narrow: both are copies of `outer` rows between tensors
// whose rows differ in length (kernels/concat.cu).
#include "concat_cuda.hpp"
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "geometry/concat_rows.hpp"

namespace nn::cuda_backend {

using geometry::outer_count;
using geometry::row_length;

void concat(const std::vector<Tensor>& xs, std::int64_t dim, const Tensor& out) {
  if (out.numel() == 0) return;
  const DeviceScope scope(out.device().index);
  const std::int64_t outer = outer_count(out.shape(), dim);
  const std::int64_t out_row = row_length(out.shape(), dim);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::int64_t offset = 0;
    for (const Tensor& x : xs) {
      const std::int64_t row = row_length(x.shape(), dim);
      kernels::copy_rows_cuda(x.data<T>(), row, out.data<T>() + offset, out_row, outer, row, scope.stream());
      offset += row;
    }
  });
}

void narrow(const Tensor& x, std::int64_t dim, std::int64_t start, const Tensor& out) {
  if (out.numel() == 0) return;
  const DeviceScope scope(out.device().index);
  const std::int64_t outer = outer_count(x.shape(), dim);
  const std::int64_t x_row = row_length(x.shape(), dim);
  const std::int64_t out_row = row_length(out.shape(), dim);
  // One step along `dim` is a row of the dimensions after it.
  const std::int64_t skip = start * row_length(x.shape(), dim + 1);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::copy_rows_cuda(x.data<T>() + skip, x_row, out.data<T>(), out_row, outer, out_row, scope.stream());
  });
}

}  // namespace nn::cuda_backend
