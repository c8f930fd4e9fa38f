// Dispatch seam for batch normalisation.
#include <algorithm>
#include <string>

#include "cpu/batch_norm.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {
constexpr const char* kOp = "batch_norm";

// An optional per-channel vector: undefined, or [C] like x's channels.
void check_channels(const Tensor& x, const Tensor& t, const char* what) {
  if (!t.defined()) return;
  detail::check_compatible(kOp, x, t, what);
  if (t.shape() != Shape{x.size(1)})
    detail::fail(kOp, std::string(what) + " " + shape_str(t.shape()) + " does not match the " +
                          std::to_string(x.size(1)) + " channels of input " + shape_str(x.shape()));
}

void check_args(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                const Tensor& running_var, bool training) {
  detail::check_defined(kOp, x, "input");
  if (x.dim() != 2 && x.dim() != 4)
    detail::fail(kOp, "input must be [N, C] or [N, C, H, W], got " + shape_str(x.shape()));
  check_channels(x, weight, "weight");
  check_channels(x, bias, "bias");
  check_channels(x, running_mean, "running_mean");
  check_channels(x, running_var, "running_var");
  if (running_mean.defined() != running_var.defined())
    detail::fail(kOp, "running_mean and running_var must both be defined or both undefined (input " +
                          shape_str(x.shape()) + ")");
  if (training && x.numel() / std::max<std::int64_t>(x.size(1), 1) <= 1)
    detail::fail(kOp, "training needs more than one value per channel, got input " + shape_str(x.shape()));
  if (!training && !running_mean.defined())
    detail::fail(kOp, "inference needs running_mean and running_var (input " + shape_str(x.shape()) + ")");
}

// y and the statistics it was normalised with (mean and invstd), on x's device.
void forward(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
             const Tensor& running_var, bool training, double momentum, double eps, const Tensor& mean,
             const Tensor& invstd, const Tensor& y) {
  detail::on_backend(
      kOp, x.device(),
      [&] {
        if (training)
          cpu::batch_norm_batch_stats(x, eps, momentum, running_mean, running_var, mean, invstd);
        else
          cpu::batch_norm_running_stats(running_mean, running_var, eps, mean, invstd);
        cpu::batch_norm_apply(x, mean, invstd, weight, bias, y);
      },
      [&](auto...) {
        if (training) {
          cuda_backend::batch_norm_training(x, weight, bias, eps, momentum, running_mean, running_var, mean, invstd,
                                            y);
        } else {
          cuda_backend::batch_norm_running_stats(running_mean, running_var, eps, mean, invstd);
          cuda_backend::batch_norm_apply(x, mean, invstd, weight, bias, y);
        }
      });
}

// Gradients for x, weight and bias, each only where wanted.
std::vector<Tensor> backward(const Tensor& grad_y, const Tensor& x, const Tensor& weight, const Tensor& mean,
                             const Tensor& invstd, bool training, double eps, bool want_x, bool want_weight,
                             bool want_bias) {
  const Tensor grad_x = want_x ? empty(x.shape(), x.options()) : Tensor();
  const Tensor grad_weight = want_weight ? empty(mean.shape(), x.options()) : Tensor();
  const Tensor grad_bias = want_bias ? empty(mean.shape(), x.options()) : Tensor();
  detail::on_backend(
      kOp, x.device(),
      [&] { cpu::batch_norm_backward(x, grad_y, mean, invstd, weight, training, grad_x, grad_weight, grad_bias); },
      [&](auto...) {
        cuda_backend::batch_norm_backward(x, grad_y, mean, invstd, weight, training, eps, grad_x, grad_weight,
                                          grad_bias);
      });
  return {grad_x, grad_weight, grad_bias};
}
}  // namespace

Tensor batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps) {
  check_args(x, weight, bias, running_mean, running_var, training);
  const Tensor mean = empty({x.size(1)}, x.options());
  const Tensor invstd = empty({x.size(1)}, x.options());
  Tensor y = empty(x.shape(), x.options());
  forward(x, weight, bias, running_mean, running_var, training, momentum, eps, mean, invstd, y);
  // The graph holds only the defined tensors among x, weight, bias; the
  // running buffers are not inputs, so their in-place update is not differentiated.
  std::vector<Tensor> inputs{x};
  if (weight.defined()) inputs.push_back(weight);
  if (bias.defined()) inputs.push_back(bias);
  const bool has_weight = weight.defined(), has_bias = bias.defined();
  return record(y, kOp, inputs,
                [x = x.detach(), weight = has_weight ? weight.detach() : Tensor(), mean, invstd, training, eps,
                 has_weight, has_bias](const Tensor& g, const std::vector<bool>& needs) {
                  const bool want_weight = has_weight && needs[1];
                  const bool want_bias = has_bias && needs[has_weight ? 2 : 1];
                  std::vector<Tensor> grads =
                      backward(g, x, weight, mean, invstd, training, eps, needs[0], want_weight, want_bias);
                  if (!has_bias) grads.pop_back();
                  if (!has_weight) grads.erase(grads.begin() + 1);
                  return grads;
                });
}

}  // namespace nn
