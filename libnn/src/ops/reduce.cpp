// Dispatch seam for sums and means.
#include <algorithm>

#include "cpu/elementwise.hpp"
#include "cpu/reduce.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {

// x broadcast up to `shape` (the adjoint of sum_to).
Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  if (broadcast_shapes("broadcast_to", x.shape(), shape) != shape)
    detail::fail("broadcast_to", "cannot broadcast " + shape_str(x.shape()) + " to " + shape_str(shape));
  Tensor out = empty(shape, x.options());
  detail::on_backend(
      "broadcast_to", out.device(), [&] { cpu::broadcast_to(x, out); },
      [&](auto...) { cuda_backend::broadcast_to(x, out); });
  return record(out, "broadcast_to", {x}, [xs = x.shape()](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{sum_to(g, xs)};
  });
}

// Which dimensions of x a reduction over `dims` removes.
std::vector<bool> reduced_dims(const char* op, const Tensor& x, const std::vector<std::int64_t>& dims) {
  std::vector<bool> reduced(x.shape().size(), false);
  for (std::int64_t d : dims) {
    const std::int64_t k = d < 0 ? d + x.dim() : d;
    if (k < 0 || k >= x.dim())
      detail::fail(op, "dimension " + std::to_string(d) + " out of range for " + shape_str(x.shape()));
    reduced[static_cast<std::size_t>(k)] = true;
  }
  return reduced;
}

Shape reduced_shape(const Shape& x, const std::vector<bool>& reduced, bool keepdim) {
  Shape out;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!reduced[k]) out.push_back(x[k]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}
}  // namespace

Tensor sum_to(const Tensor& x, const Shape& shape) {
  detail::check_defined("sum_to", x, "x");
  if (x.shape() == shape) return x;
  if (broadcast_shapes("sum_to", shape, x.shape()) != x.shape())
    detail::fail("sum_to", "cannot sum " + shape_str(x.shape()) + " down to " + shape_str(shape));
  Tensor out = empty(shape, x.options());
  detail::on_backend(
      "sum_to", out.device(), [&] { cpu::sum_to(x, out); }, [&](auto...) { cuda_backend::sum_to(x, out); });
  return record(out, "sum_to", {x}, [xs = x.shape()](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{broadcast_to(g, xs)};
  });
}

Tensor sum(const Tensor& x) {
  detail::check_defined("sum", x, "x");
  Tensor out = empty({}, x.options());
  detail::on_backend(
      "sum", out.device(), [&] { cpu::sum_all(x, out); }, [&](auto...) { cuda_backend::sum_all(x, out); });
  return record(out, "sum", {x}, [xs = x.shape()](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{broadcast_to(g, xs)};
  });
}

Tensor mean(const Tensor& x) {
  detail::check_defined("mean", x, "x");
  if (x.numel() == 0) detail::fail("mean", "empty tensor " + shape_str(x.shape()));
  return mul(sum(x), 1.0 / static_cast<double>(x.numel()));
}

Tensor sum(const Tensor& x, const std::vector<std::int64_t>& dims, bool keepdim) {
  detail::check_defined("sum", x, "x");
  const std::vector<bool> reduced = reduced_dims("sum", x, dims);
  Tensor out = sum_to(x, reduced_shape(x.shape(), reduced, true));
  return keepdim ? out : reshape(out, reduced_shape(x.shape(), reduced, false));
}

Tensor mean(const Tensor& x, const std::vector<std::int64_t>& dims, bool keepdim) {
  detail::check_defined("mean", x, "x");
  const Shape kept = reduced_shape(x.shape(), reduced_dims("mean", x, dims), true);
  const std::int64_t count = x.numel() / std::max<std::int64_t>(shape_numel(kept), 1);
  if (count == 0) detail::fail("mean", "empty reduction over " + shape_str(x.shape()));
  return mul(sum(x, dims, keepdim), 1.0 / static_cast<double>(count));
}

}  // namespace nn
