// Dispatch seam for the elementwise arithmetic ops.
#include "cpu/elementwise.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {
using kernels::BinaryOp;

Tensor binary(const char* name, BinaryOp op, const Tensor& a, const Tensor& b) {
  detail::check_defined(name, a, "a");
  detail::check_compatible(name, a, b, "b");
  Tensor out = empty(broadcast_shapes(name, a.shape(), b.shape()), a.options());
  detail::on_backend(
      name, out.device(), [&] { cpu::binary(op, a, b, out); }, [&](auto...) { cuda_backend::binary(op, a, b, out); });
  return out;
}

Tensor affine(const char* name, const Tensor& x, double scale, double shift) {
  detail::check_defined(name, x, "x");
  Tensor out = empty(x.shape(), x.options());
  detail::on_backend(
      name, out.device(), [&] { cpu::affine(x, scale, shift, out); },
      [&](auto...) { cuda_backend::affine(x, scale, shift, out); });
  return out;
}
}  // namespace

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
  Shape out(std::max(a.size(), b.size()), 1);
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::int64_t da = k < a.size() ? a[a.size() - 1 - k] : 1;
    const std::int64_t db = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (da != db && da != 1 && db != 1)
      detail::fail(op, "shapes " + shape_str(a) + " and " + shape_str(b) + " do not broadcast");
    out[out.size() - 1 - k] = da == 1 ? db : da;
  }
  return out;
}

Tensor add(const Tensor& a, const Tensor& b) {
  return record(binary("add", BinaryOp::add, a, b), "add", {a, b},
                [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& needs) {
                  return std::vector<Tensor>{needs[0] ? sum_to(g, sa) : Tensor(),
                                             needs[1] ? sum_to(g, sb) : Tensor()};
                });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  return record(binary("sub", BinaryOp::sub, a, b), "sub", {a, b},
                [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& needs) {
                  return std::vector<Tensor>{needs[0] ? sum_to(g, sa) : Tensor(),
                                             needs[1] ? sum_to(neg(g), sb) : Tensor()};
                });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  return record(binary("mul", BinaryOp::mul, a, b), "mul", {a, b},
                [a = a.detach(), b = b.detach()](const Tensor& g, const std::vector<bool>& needs) {
                  return std::vector<Tensor>{needs[0] ? sum_to(mul(g, b), a.shape()) : Tensor(),
                                             needs[1] ? sum_to(mul(g, a), b.shape()) : Tensor()};
                });
}

Tensor div(const Tensor& a, const Tensor& b) {
  return record(binary("div", BinaryOp::div, a, b), "div", {a, b},
                [a = a.detach(), b = b.detach()](const Tensor& g, const std::vector<bool>& needs) {
                  Tensor ga, gb;
                  if (needs[0]) ga = sum_to(div(g, b), a.shape());
                  if (needs[1]) gb = sum_to(neg(div(mul(g, a), mul(b, b))), b.shape());
                  return std::vector<Tensor>{ga, gb};
                });
}

Tensor add(const Tensor& a, double b) {
  return record(affine("add", a, 1.0, b), "add_scalar", {a},
                [](const Tensor& g, const std::vector<bool>&) { return std::vector<Tensor>{g}; });
}

Tensor mul(const Tensor& a, double b) {
  return record(affine("mul", a, b, 0.0), "mul_scalar", {a},
                [b](const Tensor& g, const std::vector<bool>&) { return std::vector<Tensor>{mul(g, b)}; });
}

Tensor neg(const Tensor& a) { return mul(a, -1.0); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator+(const Tensor& a, double b) { return add(a, b); }
Tensor operator-(const Tensor& a, double b) { return add(a, -b); }
Tensor operator*(const Tensor& a, double b) { return mul(a, b); }
Tensor operator*(double a, const Tensor& b) { return mul(b, a); }
Tensor operator/(const Tensor& a, double b) { return mul(a, 1.0 / b); }
Tensor operator-(const Tensor& a) { return neg(a); }

}  // namespace nn
