// Dispatch seam for concatenation.
#include <string>

#include "cpu/concat.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {
constexpr const char* kOp = "concat";

std::string input_name(std::size_t i) { return "input " + std::to_string(i); }

// The output shape, after checking that every input matches the first off `dim`.
Shape concat_shape(const std::vector<Tensor>& xs, std::int64_t dim) {
  const Tensor& first = xs[0];
  Shape out = first.shape();
  for (std::size_t i = 1; i < xs.size(); ++i) {
    const Tensor& x = xs[i];
    detail::check_compatible(kOp, first, x, input_name(i).c_str());
    if (x.dim() != first.dim())
      detail::fail(kOp, input_name(i) + " " + shape_str(x.shape()) + " has " + std::to_string(x.dim()) +
                            " dimensions but input 0 " + shape_str(first.shape()) + " has " +
                            std::to_string(first.dim()));
    for (std::int64_t k = 0; k < x.dim(); ++k)
      if (k != dim && x.size(k) != first.size(k))
        detail::fail(kOp, input_name(i) + " " + shape_str(x.shape()) + " differs from input 0 " +
                              shape_str(first.shape()) + " in dimension " + std::to_string(k) +
                              " (concatenating along dimension " + std::to_string(dim) + ")");
    out[static_cast<std::size_t>(dim)] += x.size(dim);
  }
  return out;
}

// The slice [start, start + length) of g along dim, as a new tensor.
Tensor narrow(const Tensor& g, std::int64_t dim, std::int64_t start, std::int64_t length) {
  Shape shape = g.shape();
  shape[static_cast<std::size_t>(dim)] = length;
  Tensor out = empty(shape, g.options());
  detail::on_backend(
      kOp, out.device(), [&] { cpu::narrow(g, dim, start, out); },
      [&](auto...) { cuda_backend::narrow(g, dim, start, out); });
  return out;
}
}  // namespace

Tensor concat(const std::vector<Tensor>& xs, std::int64_t dim) {
  if (xs.empty()) detail::fail(kOp, "needs at least one tensor, got an empty list");
  detail::check_defined(kOp, xs[0], "input 0");
  const std::int64_t rank = xs[0].dim();
  if (rank == 0) detail::fail(kOp, "cannot concatenate 0-d tensors (input 0 " + shape_str(xs[0].shape()) + ")");
  const std::int64_t d = dim < 0 ? dim + rank : dim;
  if (d < 0 || d >= rank)
    detail::fail(kOp, "dimension " + std::to_string(dim) + " out of range for input 0 " + shape_str(xs[0].shape()));
  Tensor out = empty(concat_shape(xs, d), xs[0].options());
  detail::on_backend(
      kOp, out.device(), [&] { cpu::concat(xs, d, out); }, [&](auto...) { cuda_backend::concat(xs, d, out); });
  std::vector<std::int64_t> sizes;
  for (const Tensor& x : xs) sizes.push_back(x.size(d));
  return record(out, kOp, xs, [d, sizes](const Tensor& g, const std::vector<bool>& needs) {
    std::vector<Tensor> grads(sizes.size());
    std::int64_t start = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      if (needs[i]) grads[i] = narrow(g, d, start, sizes[i]);
      start += sizes[i];
    }
    return grads;
  });
}

}  // namespace nn
