#pragma once
#include "nn/loss.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

// Softmax cross-entropy of logits [N, C] against `target`: [N] class ids
// (integer values in [0, C), checked by the caller) or [N, C] probabilities,
// smoothed by `smoothing`. out is a scalar for mean (over rows) and sum, [N]
// for none. Rows are independent and sums run in row order, so the result
// does not depend on the thread count.
void cross_entropy_forward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                           const Tensor& out);
// grad_logits = d (grad_out . loss) / d logits, with grad_out a scalar for
// mean and sum (mean also divides by N) and [N] for none.
void cross_entropy_backward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                            const Tensor& grad_out, const Tensor& grad_logits);
// out[i] = the index of the largest value of row i of x [N, C], the first on ties.
void argmax_rows(const Tensor& x, const Tensor& out);

}  // namespace nn::cpu
