// Dispatch seam for matrix products.
#include "cpu/gemm.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {

void cpu_gemm_into(const Tensor& a, const Tensor& b, bool ta, bool tb, const Tensor& out) {
  const std::int64_t m = out.size(0), n = out.size(1);
  const std::int64_t k = ta ? a.size(0) : a.size(1);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    cpu::gemm(ta, tb, m, n, k, T(1), a.data<T>(), a.size(1), b.data<T>(), b.size(1), T(0), out.data<T>(), n);
  });
}

// out[M,N] = op(a) op(b) on the tensor's device.
void gemm_into(const Tensor& a, const Tensor& b, bool ta, bool tb, const Tensor& out) {
  detail::on_backend(
      "matmul", out.device(), [&] { cpu_gemm_into(a, b, ta, tb, out); },
      [&](auto...) { cuda_backend::matmul(a, b, ta, tb, out); });
}
}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  detail::check_dim("matmul", a, 2, "a");
  detail::check_dim("matmul", b, 2, "b");
  detail::check_compatible("matmul", a, b, "b");
  const std::int64_t m = ta ? a.size(1) : a.size(0), k = ta ? a.size(0) : a.size(1);
  const std::int64_t kb = tb ? b.size(1) : b.size(0), n = tb ? b.size(0) : b.size(1);
  if (k != kb)
    detail::fail("matmul", "inner dimensions differ: a" + std::string(ta ? "^T" : "") + " " + shape_str(a.shape()) +
                               " and b" + (tb ? "^T " : " ") + shape_str(b.shape()));
  Tensor out = empty({m, n}, a.options());
  gemm_into(a, b, ta, tb, out);
  return record(out, "matmul", {a, b},
                [a = a.detach(), b = b.detach(), ta, tb](const Tensor& g, const std::vector<bool>& needs) {
                  Tensor ga, gb;
                  if (needs[0]) ga = ta ? matmul(b, g, tb, true) : matmul(g, b, false, !tb);
                  if (needs[1]) gb = tb ? matmul(g, a, true, ta) : matmul(a, g, !ta, false);
                  return std::vector<Tensor>{ga, gb};
                });
}

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  detail::check_dim("linear", x, 2, "x");
  detail::check_dim("linear", w, 2, "weight");
  detail::check_compatible("linear", x, w, "weight");
  if (x.size(1) != w.size(1))
    detail::fail("linear", "input " + shape_str(x.shape()) + " has " + std::to_string(x.size(1)) +
                               " features but weight " + shape_str(w.shape()) + " expects " +
                               std::to_string(w.size(1)));
  if (b.defined()) {
    detail::check_compatible("linear", x, b, "bias");
    if (b.shape() != Shape{w.size(0)})
      detail::fail("linear", "bias " + shape_str(b.shape()) + " does not match weight " + shape_str(w.shape()));
  }
  Tensor y = matmul(x, w, false, true);
  return b.defined() ? add(y, b) : y;
}

}  // namespace nn
