#pragma once
// The per-device CUDA context: one non-blocking stream on which all of
// libnn's work for the device is queued, and cuBLAS and cuDNN handles bound to
// it. Created on first use and kept until the process ends: destroying them
// during static destruction would race the CUDA runtime's own teardown.
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

namespace nn::cuda_backend {

struct Context {
  int device = 0;
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  cudnnHandle_t cudnn = nullptr;
};

// The context of `device`; nn::Error when no such device is visible. The
// first call logs the CUDA and cuDNN versions (compiled and runtime) once.
Context& context(int device);

// Makes `device` current for its scope and restores the previous device.
class DeviceGuard {
 public:
  explicit DeviceGuard(int device);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;

 private:
  int previous_ = -1;
};

// What every op of the backend starts with: the device made current and its
// context at hand.
class DeviceScope {
 public:
  explicit DeviceScope(int device) : context_(context(device)), guard_(device) {}
  cudaStream_t stream() const { return context_.stream; }

 private:
  Context& context_;
  DeviceGuard guard_;
};

}  // namespace nn::cuda_backend
