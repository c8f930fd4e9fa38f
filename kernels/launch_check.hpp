#pragma once
// How the launchers of kernels/ report a failed launch. kernels/ includes
// nothing of libnn, so this only declares the reporter; the library that links
// the kernels defines it (libnn's CUDA backend throws nn::CudaError from it, in
// libnn/src/cuda/check.cpp).
#include <cuda_runtime_api.h>

namespace nn::kernels {

// Called with the failed status, the kernel's name and the launch site.
[[noreturn]] void report_launch_failure(cudaError_t status, const char* kernel, const char* file, int line);

// Reports the last launch's error, if any: a bad launch configuration shows
// up only through cudaGetLastError.
inline void check_launch(const char* kernel, const char* file, int line) {
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) report_launch_failure(status, kernel, file, line);
}

}  // namespace nn::kernels

#define NN_KERNELS_CHECK_LAUNCH(kernel) ::nn::kernels::check_launch((kernel), __FILE__, __LINE__)
