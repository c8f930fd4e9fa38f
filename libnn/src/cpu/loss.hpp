#pragma once
#include "loss_math.hpp"
#include "nn/loss.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

// The weighted per-element loss of pred against target (same shape; weights
// undefined or broadcastable to it), reduced into out: a scalar for mean and
// sum, pred's shape for none. Sums run in a fixed order.
void loss_forward(kernels::LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                  Reduction reduction, const Tensor& out);
// grad_pred = grad_out * weight * d loss / d pred, with grad_out a scalar for
// mean and sum (mean also divides by the element count) and pred-shaped for none.
void loss_backward(kernels::LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                   Reduction reduction, const Tensor& grad_out, const Tensor& grad_pred);
// out = target smoothed by `amount` (one- or two-sided), same shape.
void smooth_labels(const Tensor& target, double amount, bool two_sided, const Tensor& out);

}  // namespace nn::cpu
