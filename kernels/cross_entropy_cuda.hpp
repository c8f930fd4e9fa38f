#pragma once
// Launchers of the softmax cross-entropy kernels (kernels/cross_entropy.cu):
// raw device pointers to logits [rows, classes] and the target, the stream to
// queue on; T is float or double. One thread walks one row, so no sum depends
// on the GPU's scheduling.
#include <cuda_runtime_api.h>

#include <cstdint>

#include "reduce_cuda.hpp"

namespace nn::kernels {

// The target as the kernels read it: class ids [rows] (integers in
// [0, classes), checked by the caller) when `class_ids`, else probabilities
// [rows, classes]; smoothed by `smoothing`.
template <class T>
struct CrossEntropyTarget {
  const T* data;
  bool class_ids;
  double smoothing;
};

// out[i] = the loss of row i.
template <class T>
void cross_entropy_none_cuda(const T* logits, const CrossEntropyTarget<T>& target, T* out, std::int64_t rows,
                             std::int64_t classes, cudaStream_t stream);

// Doubles of device scratch cross_entropy_reduce_cuda needs for `rows` rows.
inline std::int64_t cross_entropy_reduce_scratch(std::int64_t rows) { return rows + sum_all_partials(rows) + 1; }

// out[0] = the sum of the row losses (divided by rows for the mean), summed
// in double through `scratch` (cross_entropy_reduce_scratch(rows) doubles).
template <class T>
void cross_entropy_reduce_cuda(const T* logits, const CrossEntropyTarget<T>& target, bool mean, double* scratch,
                               T* out, std::int64_t rows, std::int64_t classes, cudaStream_t stream);

// Row i of grad_logits = the gradient of grad_out[j] * scale * loss(row i),
// with j = 0 for a scalar grad_out (mean and sum) and j = i otherwise.
template <class T>
void cross_entropy_backward_cuda(const T* logits, const CrossEntropyTarget<T>& target, const T* grad_out,
                                 bool scalar_grad_out, double scale, T* grad_logits, std::int64_t rows,
                                 std::int64_t classes, cudaStream_t stream);

// out[i] = the column of the largest value of row i, the first on ties.
template <class T>
void argmax_rows_cuda(const T* x, T* out, std::int64_t rows, std::int64_t classes, cudaStream_t stream);

}  // namespace nn::kernels
