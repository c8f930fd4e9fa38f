// Dispatch seam for the activation functions.
#include "cpu/activation.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {
using kernels::Activation;

Tensor activation(const char* name, Activation kind, const Tensor& x, double alpha) {
  detail::check_defined(name, x, "x");
  Tensor out = empty(x.shape(), x.options());
  detail::on_backend(
      name, out.device(), [&] { cpu::activation_forward(kind, x, alpha, out); },
      [&](auto...) { cuda_backend::activation_forward(kind, x, alpha, out); });
  return out;
}

// `saved` is the forward input or output, whichever the derivative reads.
Tensor activation_grad(const char* name, Activation kind, const Tensor& saved, const Tensor& grad_out,
                       double alpha) {
  Tensor grad_in = empty(saved.shape(), saved.options());
  detail::on_backend(
      name, grad_in.device(), [&] { cpu::activation_backward(kind, saved, grad_out, alpha, grad_in); },
      [&](auto...) { cuda_backend::activation_backward(kind, saved, grad_out, alpha, grad_in); });
  return grad_in;
}

// For activations whose derivative reads the input.
Tensor input_based(const char* name, Activation kind, const Tensor& x, double alpha) {
  Tensor out = activation(name, kind, x, alpha);
  return record(out, name, {x},
                [name, kind, alpha, x = x.detach()](const Tensor& g, const std::vector<bool>&) {
                  return std::vector<Tensor>{activation_grad(name, kind, x, g, alpha)};
                });
}

// For activations whose derivative reads the output.
Tensor output_based(const char* name, Activation kind, const Tensor& x) {
  Tensor out = activation(name, kind, x, 0.0);
  return record(out, name, {x}, [name, kind, y = out.detach()](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{activation_grad(name, kind, y, g, 0.0)};
  });
}
}  // namespace

Tensor leaky_relu(const Tensor& x, double alpha) {
  return input_based("leaky_relu", Activation::leaky_relu, x, alpha);
}

Tensor relu(const Tensor& x) { return input_based("relu", Activation::relu, x, 0.0); }

Tensor sigmoid(const Tensor& x) { return output_based("sigmoid", Activation::sigmoid, x); }

Tensor tanh(const Tensor& x) { return output_based("tanh", Activation::tanh, x); }

}  // namespace nn
