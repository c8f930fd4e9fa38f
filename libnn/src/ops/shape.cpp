// Dispatch seam for the ops that only change a tensor's shape.
#include "cpu/fill.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"
#include "tensor_impl.hpp"

namespace nn {

Tensor reshape(const Tensor& x, const Shape& shape) {
  detail::check_defined("reshape", x, "x");
  Shape resolved = shape;
  std::int64_t known = 1, unknown = -1;
  for (std::size_t k = 0; k < resolved.size(); ++k) {
    if (resolved[k] == -1 && unknown < 0) unknown = static_cast<std::int64_t>(k);
    else if (resolved[k] < 0) detail::fail("reshape", "invalid target shape " + shape_str(shape));
    else known *= resolved[k];
  }
  if (unknown >= 0 && known > 0 && x.numel() % known == 0)
    resolved[static_cast<std::size_t>(unknown)] = x.numel() / known;
  if (shape_numel(resolved) != x.numel() || (unknown >= 0 && known == 0))
    detail::fail("reshape", "cannot view " + shape_str(x.shape()) + " as " + shape_str(shape));
  auto impl = std::make_shared<TensorImpl>(*x.detach().impl());
  impl->shape = resolved;
  return record(Tensor(impl), "reshape", {x}, [xs = x.shape()](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{reshape(g, xs)};
  });
}

Tensor flatten(const Tensor& x) {
  detail::check_defined("flatten", x, "x");
  if (x.dim() < 1) detail::fail("flatten", "needs a batch dimension, got " + shape_str(x.shape()));
  return reshape(x, {x.size(0), x.dim() == 1 ? 1 : x.numel() / std::max<std::int64_t>(x.size(0), 1)});
}

void copy_(const Tensor& dst, const Tensor& src) {
  detail::check_defined("copy_", dst, "dst");
  detail::check_defined("copy_", src, "src");
  if (dst.shape() != src.shape())
    detail::fail("copy_", "source " + shape_str(src.shape()) + " does not match destination " + shape_str(dst.shape()));
  // The CUDA backend copies whenever either side is on a CUDA device.
  const Device device = dst.device().is_cpu() ? src.device() : dst.device();
  detail::on_backend(
      "copy_", device, [&] { cpu::copy(src, dst); }, [&](auto...) { cuda_backend::copy(src, dst); });
}

}  // namespace nn
