#include "cpu/elementwise.hpp"

#include "cpu/broadcast.hpp"
#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {

template <kernels::BinaryOp op, class T>
void binary_typed(const Tensor& a, const Tensor& b, const Tensor& out) {
  const T* x = a.data<T>();
  const T* y = b.data<T>();
  T* z = out.data<T>();
  const std::int64_t n = out.numel();
  if (a.shape() == out.shape() && b.shape() == out.shape()) {
    parallel_for(n, [&](std::int64_t i) { z[i] = kernels::binary_apply<op>(x[i], y[i]); });
  } else if (a.shape() == out.shape() && b.numel() == 1) {
    const T s = y[0];
    parallel_for(n, [&](std::int64_t i) { z[i] = kernels::binary_apply<op>(x[i], s); });
  } else if (b.shape() == out.shape() && a.numel() == 1) {
    const T s = x[0];
    parallel_for(n, [&](std::int64_t i) { z[i] = kernels::binary_apply<op>(s, y[i]); });
  } else {
    // General broadcast: rows of the last dimension, each with a fixed start.
    const BroadcastIndex ia(a.shape(), out.shape()), ib(b.shape(), out.shape());
    const std::int64_t inner = out.shape().empty() ? 1 : out.shape().back();
    const std::int64_t rows = inner ? n / inner : 0;
    const std::int64_t sa = ia.inner_stride(), sb = ib.inner_stride();
#pragma omp parallel for schedule(static) if (n >= kParallelGrain)
    for (std::int64_t r = 0; r < rows; ++r) {
      const T* xr = x + ia(r * inner);
      const T* yr = y + ib(r * inner);
      T* zr = z + r * inner;
      for (std::int64_t j = 0; j < inner; ++j) zr[j] = kernels::binary_apply<op>(xr[j * sa], yr[j * sb]);
    }
  }
}

template <class T>
void binary_dispatch(kernels::BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out) {
  using kernels::BinaryOp;
  switch (op) {
    case BinaryOp::add: return binary_typed<BinaryOp::add, T>(a, b, out);
    case BinaryOp::sub: return binary_typed<BinaryOp::sub, T>(a, b, out);
    case BinaryOp::mul: return binary_typed<BinaryOp::mul, T>(a, b, out);
    case BinaryOp::div: return binary_typed<BinaryOp::div, T>(a, b, out);
  }
}

}  // namespace

void binary(kernels::BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) { binary_dispatch<decltype(tag)>(op, a, b, out); });
}

void affine(const Tensor& x, double scale, double shift, const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    T* y = out.data<T>();
    const T s = static_cast<T>(scale), t = static_cast<T>(shift);
    parallel_for(out.numel(), [&](std::int64_t i) { y[i] = kernels::affine_apply(in[i], s, t); });
  });
}

void broadcast_to(const Tensor& x, const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    T* y = out.data<T>();
    if (x.numel() == 1) {
      const T v = in[0];
      parallel_for(out.numel(), [&](std::int64_t i) { y[i] = v; });
      return;
    }
    const BroadcastIndex index(x.shape(), out.shape());
    parallel_for(out.numel(), [&](std::int64_t i) { y[i] = in[index(i)]; });
  });
}

}  // namespace nn::cpu
