// Dispatch seam for the losses and label smoothing.
#include <sstream>

#include "cpu/loss.hpp"
#include "nn/autograd.hpp"
#include "nn/loss.hpp"
#include "nn/ops.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {
using kernels::LossKind;

void check_loss_args(const char* op, const Tensor& pred, const Tensor& target, Reduction reduction,
                     const Tensor& weights) {
  detail::check_defined(op, pred, "prediction");
  detail::check_compatible(op, pred, target, "target");
  detail::check_same_shape(op, pred, target, "target");
  if (weights.defined()) {
    detail::check_compatible(op, pred, weights, "weights");
    if (broadcast_shapes(op, weights.shape(), pred.shape()) != pred.shape())
      detail::fail(op, "weights " + shape_str(weights.shape()) + " do not broadcast to the prediction " +
                           shape_str(pred.shape()));
  }
  if (reduction == Reduction::mean && pred.numel() == 0)
    detail::fail(op, "mean of an empty prediction " + shape_str(pred.shape()));
}

Tensor loss_grad(const char* op, LossKind kind, const Tensor& pred, const Tensor& target, Reduction reduction,
                 const Tensor& weights, const Tensor& grad_out) {
  Tensor grad = empty(pred.shape(), pred.options());
  detail::on_backend(
      op, grad.device(), [&] { cpu::loss_backward(kind, pred, target, weights, reduction, grad_out, grad); },
      [&](auto...) { cuda_backend::loss_backward(kind, pred, target, weights, reduction, grad_out, grad); });
  return grad;
}

// Only the prediction is recorded as an input: targets and weights are constants.
Tensor loss(const char* op, LossKind kind, const Tensor& pred, const Tensor& target, Reduction reduction,
            const Tensor& weights) {
  check_loss_args(op, pred, target, reduction, weights);
  Tensor out = empty(reduction == Reduction::none ? pred.shape() : Shape{}, pred.options());
  detail::on_backend(
      op, out.device(), [&] { cpu::loss_forward(kind, pred, target, weights, reduction, out); },
      [&](auto...) { cuda_backend::loss_forward(kind, pred, target, weights, reduction, out); });
  const Tensor p = pred.detach(), y = target.detach();
  const Tensor w = weights.defined() ? weights.detach() : Tensor();
  return record(out, op, {pred}, [=](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{loss_grad(op, kind, p, y, reduction, w, g)};
  });
}
}  // namespace

Tensor bce(const Tensor& prob, const Tensor& target, Reduction reduction, const Tensor& weights) {
  return loss("bce", LossKind::bce, prob, target, reduction, weights);
}

Tensor bce_with_logits(const Tensor& logits, const Tensor& target, Reduction reduction,
                       const Tensor& weights) {
  return loss("bce_with_logits", LossKind::bce_with_logits, logits, target, reduction, weights);
}

Tensor mae(const Tensor& pred, const Tensor& target, Reduction reduction, const Tensor& weights) {
  return loss("mae", LossKind::mae, pred, target, reduction, weights);
}

Tensor mse(const Tensor& pred, const Tensor& target, Reduction reduction, const Tensor& weights) {
  return loss("mse", LossKind::mse, pred, target, reduction, weights);
}

Tensor smooth_labels(const Tensor& target, double amount, Smoothing kind) {
  detail::check_defined("smooth_labels", target, "target");
  if (!(amount >= 0.0 && amount <= 1.0)) {
    std::ostringstream what;
    what << "amount " << amount << " for target " << shape_str(target.shape()) << " must be in [0, 1]";
    detail::fail("smooth_labels", what.str());
  }
  Tensor out = empty(target.shape(), target.options());
  const bool two_sided = kind == Smoothing::two_sided;
  detail::on_backend(
      "smooth_labels", out.device(), [&] { cpu::smooth_labels(target, amount, two_sided, out); },
      [&](auto...) { cuda_backend::smooth_labels(target, amount, two_sided, out); });
  return record(out, "smooth_labels", {target}, [amount](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{mul(g, 1.0 - amount)};
  });
}

}  // namespace nn
