#pragma once
// Launchers of the elementwise kernels (kernels/elementwise.cu): raw device
// pointers, the output's element count and the stream to queue on.
#include <cuda_runtime_api.h>

#include <cstdint>

#include "elementwise_math.hpp"
#include "strided_index.hpp"

namespace nn::kernels {

// out[i] = a[i] (op) b[i]: both operands have the output's shape.
template <class T>
void binary_same_shape_cuda(BinaryOp op, const T* a, const T* b, T* out, std::int64_t n, cudaStream_t stream);
// out[i] = a[ia(i)] (op) b[ib(i)]: operands broadcast to the output's shape.
template <class T>
void binary_strided_cuda(BinaryOp op, const T* a, const StridedIndex& ia, const T* b, const StridedIndex& ib,
                         T* out, std::int64_t n, cudaStream_t stream);
// y[i] = x[i] * scale + shift.
template <class T>
void affine_cuda(const T* x, T scale, T shift, T* y, std::int64_t n, cudaStream_t stream);
// y[i] = x[ix(i)]: x broadcast to y's shape.
template <class T>
void gather_cuda(const T* x, const StridedIndex& ix, T* y, std::int64_t n, cudaStream_t stream);

}  // namespace nn::kernels
