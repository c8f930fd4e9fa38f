#include "cpu/activation.hpp"

#include <type_traits>

#include "cpu/parallel.hpp"

namespace nn::cpu {
namespace {
using kernels::Activation;

template <Activation kind, class T>
void forward_typed(const Tensor& x, T alpha, const Tensor& out) {
  const T* in = x.data<T>();
  T* y = out.data<T>();
  parallel_for(out.numel(), [&](std::int64_t i) { y[i] = kernels::activation_forward<kind>(in[i], alpha); });
}

template <Activation kind, class T>
void backward_typed(const Tensor& saved, const Tensor& grad_out, T alpha, const Tensor& grad_in) {
  const T* s = saved.data<T>();
  const T* g = grad_out.data<T>();
  T* gx = grad_in.data<T>();
  parallel_for(grad_in.numel(),
               [&](std::int64_t i) { gx[i] = kernels::activation_backward<kind>(s[i], g[i], alpha); });
}

}  // namespace

void activation_forward(Activation kind, const Tensor& x, double alpha, const Tensor& out) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    visit_activation(kind, [&](auto k) {
      forward_typed<decltype(k)::value, T>(x, static_cast<T>(alpha), out);
    });
  });
}

void activation_backward(Activation kind, const Tensor& saved, const Tensor& grad_out, double alpha,
                         const Tensor& grad_in) {
  visit_dtype(grad_in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    visit_activation(kind, [&](auto k) {
      backward_typed<decltype(k)::value, T>(saved, grad_out, static_cast<T>(alpha), grad_in);
    });
  });
}

}  // namespace nn::cpu
