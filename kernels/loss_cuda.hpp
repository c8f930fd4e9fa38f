#pragma once
// Launchers of the loss and label-smoothing kernels (kernels/loss.cu): raw
// device pointers, the prediction's element count and the stream to queue on;
// T is float or double.
#include <cuda_runtime_api.h>

#include <cstdint>

#include "loss_math.hpp"
#include "reduce_cuda.hpp"
#include "strided_index.hpp"

namespace nn::kernels {

// Per-element loss weights: every weight is 1 when `data` is null, otherwise
// element i of the prediction is weighted by data[strided_offset(index, i)].
template <class T>
struct LossWeights {
  const T* data = nullptr;
  StridedIndex index;
};

// out[i] = weight(i) * loss_term(pred[i], target[i], eps): the unreduced loss.
template <class T>
void loss_none_cuda(LossKind kind, const T* pred, const T* target, const LossWeights<T>& weights, T eps, T* out,
                    std::int64_t n, cudaStream_t stream);

// Doubles of device scratch loss_reduce_cuda needs for n elements: the
// terms, the partial sums and the total.
inline std::int64_t loss_reduce_scratch(std::int64_t n) { return n + sum_all_partials(n) + 1; }

// out[0] = the sum of the weighted terms (converted to double, summed in
// double, divided by n for the mean, then rounded to T), through `scratch`
// (loss_reduce_scratch(n) doubles).
template <class T>
void loss_reduce_cuda(LossKind kind, const T* pred, const T* target, const LossWeights<T>& weights, T eps,
                      bool mean, double* scratch, T* out, std::int64_t n, cudaStream_t stream);

// grad_pred[i] = grad_out[j] * scale * weight(i) * loss_term_grad(pred[i], target[i], eps)
// with j = 0 for a scalar grad_out (mean and sum) and j = i otherwise.
template <class T>
void loss_backward_cuda(LossKind kind, const T* pred, const T* target, const LossWeights<T>& weights, T eps,
                        const T* grad_out, bool scalar_grad_out, T scale, T* grad_pred, std::int64_t n,
                        cudaStream_t stream);

// out[i] = smooth_label(target[i], amount, two_sided).
template <class T>
void smooth_labels_cuda(const T* target, T amount, bool two_sided, T* out, std::int64_t n, cudaStream_t stream);

}  // namespace nn::kernels
