#pragma once
// nn::set_tf32 as cuBLAS and cuDNN settings. TF32 only ever touches f32
// work: f64 products and convolutions always run in full double precision.
// Read per call, so a change of policy applies to the next op.
#include <cublas_v2.h>
#include <cudnn.h>

#include "nn/cuda.hpp"
#include "nn/dtype.hpp"

namespace nn::cuda_backend {

inline bool use_tf32(Dtype dtype) { return dtype == Dtype::f32 && tf32_enabled(); }

// The compute type of a cuBLAS GEMM (cublasGemmEx) on `dtype`.
inline cublasComputeType_t cublas_compute(Dtype dtype) {
  if (dtype == Dtype::f64) return CUBLAS_COMPUTE_64F;
  return use_tf32(dtype) ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
}

// The math mode of the cuBLAS handle for a call on `dtype`; the default mode
// never rounds f32 inputs to TF32.
inline cublasMath_t cublas_math_mode(Dtype dtype) {
  return use_tf32(dtype) ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH;
}

// The math type of a cuDNN convolution descriptor on `dtype`. cuDNN's default
// lets f32 convolutions run as TF32 on Ampere and later, so exact FP32 has
// to be asked for with FMA math.
inline cudnnMathType_t cudnn_math_type(Dtype dtype) {
  if (dtype == Dtype::f64) return CUDNN_DEFAULT_MATH;
  return use_tf32(dtype) ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
}

}  // namespace nn::cuda_backend
