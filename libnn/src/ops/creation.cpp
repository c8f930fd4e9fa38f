// Dispatch seam for the tensor creators that fill what empty() allocates.
#include "cpu/fill.hpp"
#include "nn/error.hpp"
#include "nn/ops.hpp"
#include "nn/random.hpp"
#include "nn/tensor.hpp"
#include "ops/dispatch.hpp"

namespace nn {

Tensor full(const Shape& shape, double value, TensorOptions opts) {
  Tensor t = empty(shape, opts);
  detail::on_backend(
      "full", t.device(), [&] { cpu::fill(t, value); }, [&](auto...) { cuda_backend::fill(t, value); });
  return t;
}

Tensor zeros(const Shape& shape, TensorOptions opts) { return full(shape, 0.0, opts); }
Tensor ones(const Shape& shape, TensorOptions opts) { return full(shape, 1.0, opts); }
Tensor scalar(double value, TensorOptions opts) { return full({}, value, opts); }

Tensor arange(std::int64_t n, TensorOptions opts) {
  Tensor t = empty({n}, opts);
  detail::on_backend(
      "arange", t.device(), [&] { cpu::fill_arange(t); }, [&](auto...) { cuda_backend::fill_arange(t); });
  return t;
}

Tensor uniform(const Shape& shape, double low, double high, TensorOptions opts) {
  Tensor t = empty(shape, opts);
  const RandomState rs = reserve_random(static_cast<std::uint64_t>(t.numel()));
  detail::on_backend(
      "uniform", t.device(), [&] { cpu::fill_uniform(t, low, high, rs); },
      [&](auto...) { cuda_backend::fill_uniform(t, low, high, rs); });
  return t;
}

Tensor normal(const Shape& shape, double mean, double stddev, TensorOptions opts) {
  Tensor t = empty(shape, opts);
  const RandomState rs = reserve_random(2 * static_cast<std::uint64_t>(t.numel()));
  detail::on_backend(
      "normal", t.device(), [&] { cpu::fill_normal(t, mean, stddev, rs); },
      [&](auto...) { cuda_backend::fill_normal(t, mean, stddev, rs); });
  return t;
}

template <class T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape, TensorOptions opts) {
  if (static_cast<std::int64_t>(values.size()) != shape_numel(shape))
    throw Error("from_vector: " + std::to_string(values.size()) + " values do not fill shape " + shape_str(shape));
  const bool wants_grad = opts.requires_grad();
  Tensor t = empty(shape, opts.requires_grad(false));
  const Tensor host = t.device().is_cpu() ? t : empty(shape, TensorOptions().dtype(t.dtype()));
  visit_dtype(t.dtype(), [&](auto tag) {
    using D = decltype(tag);
    D* y = host.data<D>();
    for (std::size_t i = 0; i < values.size(); ++i) y[i] = static_cast<D>(values[i]);
  });
  if (!t.device().is_cpu()) copy_(t, host);
  t.set_requires_grad(wants_grad);
  return t;
}
template Tensor from_vector<float>(const std::vector<float>&, const Shape&, TensorOptions);
template Tensor from_vector<double>(const std::vector<double>&, const Shape&, TensorOptions);

}  // namespace nn
