#include "cuda/check.hpp"

#include <cublas_v2.h>
#include <cudnn.h>

#include <string>

#include "launch_check.hpp"
#include "nn/error.hpp"

namespace nn::cuda_backend {
namespace {

// The file's last two path components: "cuda/allocator.cpp", "kernels/fill.cu".
std::string short_path(const char* file) {
  const std::string path(file);
  const auto last = path.rfind('/');
  if (last == std::string::npos || last == 0) return path;
  const auto before = path.rfind('/', last - 1);
  return before == std::string::npos ? path : path.substr(before + 1);
}

int current_device() noexcept {
  int device = -1;
  return cudaGetDevice(&device) == cudaSuccess ? device : -1;
}

}  // namespace

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
  const std::string text = std::string(cudaGetErrorName(status)) + " (" + cudaGetErrorString(status) + ")";
  // A failed launch or call leaves a non-sticky error behind; clear it so
  // that the next check reports its own call.
  cudaGetLastError();
  throw CudaError(call, text, short_path(file), line, current_device());
}

void throw_cublas_error(int status, const char* call, const char* file, int line) {
  const auto code = static_cast<cublasStatus_t>(status);
  const std::string text = std::string(cublasGetStatusName(code)) + " (" + cublasGetStatusString(code) + ")";
  throw CudaError(call, text, short_path(file), line, current_device());
}

void throw_cudnn_error(int status, const char* call, const char* file, int line) {
  const auto code = static_cast<cudnnStatus_t>(status);
  throw CudaError(call, cudnnGetErrorString(code), short_path(file), line, current_device());
}

}  // namespace nn::cuda_backend

namespace nn::kernels {

void report_launch_failure(cudaError_t status, const char* kernel, const char* file, int line) {
  cuda_backend::throw_cuda_error(status, ("launch of " + std::string(kernel)).c_str(), file, line);
}

}  // namespace nn::kernels
