// CUDA matrix products through cuBLAS, with the row-major contract of cpu::gemm.
#include <cublas_v2.h>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/context.hpp"
#include "cuda/math_mode.hpp"

namespace nn::cuda_backend {
namespace {

cublasOperation_t op(bool transposed) { return transposed ? CUBLAS_OP_T : CUBLAS_OP_N; }

}  // namespace

void matmul(const Tensor& a, const Tensor& b, bool ta, bool tb, const Tensor& out) {
  const int device = out.device().index;
  const DeviceScope scope(device);
  const std::int64_t m = out.size(0), n = out.size(1), k = ta ? a.size(0) : a.size(1);
  if (m == 0 || n == 0) return;
  // cuBLAS would reject the leading dimension 0 of an empty operand.
  if (k == 0) {
    fill(out, 0.0);
    return;
  }
  const cublasHandle_t handle = context(device).cublas;
  NN_CUBLAS_CHECK(cublasSetMathMode(handle, cublas_math_mode(out.dtype())));
  // cuBLAS is column-major, and a row-major [R, C] buffer is the column-major
  // [C, R] transpose. So the row-major out[m, n] = op(a) op(b) is computed as
  // the column-major out^T[n, m] = op(b)^T op(a)^T, whose operands are the
  // buffers of b and a as they are, with the same transpose flags and each
  // tensor's row length as its leading dimension.
  const std::int64_t lda = a.size(1), ldb = b.size(1), ldc = n;
  if (out.dtype() == Dtype::f32) {
    const float alpha = 1, beta = 0;
    NN_CUBLAS_CHECK(cublasGemmEx_64(handle, op(tb), op(ta), n, m, k, &alpha, b.data<float>(), CUDA_R_32F, ldb,
                                    a.data<float>(), CUDA_R_32F, lda, &beta, out.data<float>(), CUDA_R_32F, ldc,
                                    cublas_compute(Dtype::f32), CUBLAS_GEMM_DEFAULT));
  } else {
    const double alpha = 1, beta = 0;
    NN_CUBLAS_CHECK(cublasDgemm_64(handle, op(tb), op(ta), n, m, k, &alpha, b.data<double>(), ldb,
                                   a.data<double>(), lda, &beta, out.data<double>(), ldc));
  }
}

}  // namespace nn::cuda_backend
