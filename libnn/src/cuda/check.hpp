#pragma once
// Checks for CUDA runtime, cuBLAS and cuDNN calls. A failure throws
// nn::CudaError carrying the call's text, file:line and the current device.
// Failed kernel launches come through kernels::report_launch_failure
// (kernels/launch_check.hpp), which check.cpp defines the same way.
#include <cuda_runtime_api.h>

namespace nn::cuda_backend {

[[noreturn]] void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line);
// cuBLAS and cuDNN statuses travel as int so that this header needs neither
// library's header; both use 0 for success.
[[noreturn]] void throw_cublas_error(int status, const char* call, const char* file, int line);
[[noreturn]] void throw_cudnn_error(int status, const char* call, const char* file, int line);

}  // namespace nn::cuda_backend

#define NN_CUDA_CHECK(call)                                                        \
  do {                                                                             \
    const cudaError_t nn_status_ = (call);                                         \
    if (nn_status_ != cudaSuccess)                                                 \
      ::nn::cuda_backend::throw_cuda_error(nn_status_, #call, __FILE__, __LINE__); \
  } while (0)

#define NN_CUBLAS_CHECK(call)                                                        \
  do {                                                                               \
    const int nn_status_ = static_cast<int>(call);                                   \
    if (nn_status_ != 0)                                                             \
      ::nn::cuda_backend::throw_cublas_error(nn_status_, #call, __FILE__, __LINE__); \
  } while (0)

#define NN_CUDNN_CHECK(call)                                                        \
  do {                                                                              \
    const int nn_status_ = static_cast<int>(call);                                  \
    if (nn_status_ != 0)                                                            \
      ::nn::cuda_backend::throw_cudnn_error(nn_status_, #call, __FILE__, __LINE__); \
  } while (0)
