#pragma once
// Losses. Each compares a prediction with a target of the same shape; only
// the prediction receives a gradient (targets are constants). `weights`, when
// defined, multiplies each element's loss and must broadcast to the
// prediction's shape. Mean reduction divides the (weighted) sum by the number
// of elements.
#include "nn/tensor.hpp"

namespace nn {

enum class Reduction { mean, sum, none };

// Binary cross-entropy on probabilities, clipped like Keras to
// [kBceEpsilon, 1 - kBceEpsilon] before the logarithm.
inline constexpr double kBceEpsilon = 1e-7;
Tensor bce(const Tensor& prob, const Tensor& target, Reduction reduction = Reduction::mean,
           const Tensor& weights = Tensor());
// Binary cross-entropy on logits, computed stably without forming sigmoid.
Tensor bce_with_logits(const Tensor& logits, const Tensor& target,
                       Reduction reduction = Reduction::mean, const Tensor& weights = Tensor());
Tensor mae(const Tensor& pred, const Tensor& target, Reduction reduction = Reduction::mean,
           const Tensor& weights = Tensor());
Tensor mse(const Tensor& pred, const Tensor& target, Reduction reduction = Reduction::mean,
           const Tensor& weights = Tensor());

// Softmax cross-entropy of logits [N, C], computed in one pass per row with
// the log-sum-exp shifted by the row's maximum (finite for any finite logits).
// `target` is either class ids [N] (integer values in [0, C), stored in the
// logits' dtype; anything else raises nn::Error) or probabilities [N, C]
// (rows need not sum to 1).
// Label smoothing s replaces the target t by (1 - s) t + s / C, PyTorch's
// definition. The loss per row is -sum_j t_j log softmax(logits)_j; mean
// divides the sum by N, none returns [N]. Only the logits get a gradient.
Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction = Reduction::mean,
                     double label_smoothing = 0.0);

// Label smoothing of 0/1 targets by `amount` s.
// one_sided: y * (1 - s)        (real 1 -> 1 - s, fake 0 stays 0)
// two_sided: y * (1 - s) + s/2  (1 -> 1 - s/2, 0 -> s/2)
enum class Smoothing { one_sided, two_sided };
Tensor smooth_labels(const Tensor& target, double amount, Smoothing kind = Smoothing::one_sided);

}  // namespace nn
