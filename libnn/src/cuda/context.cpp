#include "cuda/context.hpp"

#include <cudnn_version.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "nn/error.hpp"

namespace nn::cuda_backend {
namespace {

std::mutex g_contexts_mutex;
// Never freed: see context.hpp.
std::vector<Context*>* g_contexts = nullptr;

std::string version_str(int major, int minor) { return std::to_string(major) + "." + std::to_string(minor); }
std::string cuda_version_str(int v) { return version_str(v / 1000, v % 1000 / 10); }
std::string cudnn_version_str(std::size_t v) {
  return std::to_string(v / 10000) + "." + std::to_string(v % 10000 / 100) + "." + std::to_string(v % 100);
}

void log_versions() {
  int runtime = 0, driver = 0;
  NN_CUDA_CHECK(cudaRuntimeGetVersion(&runtime));
  NN_CUDA_CHECK(cudaDriverGetVersion(&driver));
  std::cerr << "libnn: CUDA runtime " << cuda_version_str(runtime) << " (compiled against "
            << cuda_version_str(CUDART_VERSION) << "), driver supports " << cuda_version_str(driver) << "; cuDNN "
            << cudnn_version_str(cudnnGetVersion()) << " (compiled against " << CUDNN_MAJOR << "." << CUDNN_MINOR
            << "." << CUDNN_PATCHLEVEL << ")\n";
}

void log_device(int device) {
  cudaDeviceProp prop{};
  NN_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  std::cerr << "libnn: cuda:" << device << " is " << prop.name << " (compute capability " << prop.major << "."
            << prop.minor << ", " << (prop.totalGlobalMem >> 20) << " MiB)\n";
}

// Undoes a partly created context; errors are moot, an exception is on its way.
void destroy(const Context& ctx) noexcept {
  if (ctx.cudnn) cudnnDestroy(ctx.cudnn);
  if (ctx.cublas) cublasDestroy(ctx.cublas);
  if (ctx.stream) cudaStreamDestroy(ctx.stream);
}

std::unique_ptr<Context> create_context(int device) {
  static std::once_flag versions_logged;
  std::call_once(versions_logged, log_versions);
  DeviceGuard guard(device);
  log_device(device);
  auto ctx = std::make_unique<Context>();
  ctx->device = device;
  try {
    NN_CUDA_CHECK(cudaStreamCreateWithFlags(&ctx->stream, cudaStreamNonBlocking));
    NN_CUBLAS_CHECK(cublasCreate(&ctx->cublas));
    NN_CUBLAS_CHECK(cublasSetStream(ctx->cublas, ctx->stream));
    // Exact FP32 by default (nn::set_tf32): TF32 tensor-core math is asked
    // for per call by the ops that honour tf32_enabled(), never left on here.
    NN_CUBLAS_CHECK(cublasSetMathMode(ctx->cublas, CUBLAS_DEFAULT_MATH));
    NN_CUDNN_CHECK(cudnnCreate(&ctx->cudnn));
    NN_CUDNN_CHECK(cudnnSetStream(ctx->cudnn, ctx->stream));
  } catch (...) {
    destroy(*ctx);
    throw;
  }
  return ctx;
}

}  // namespace

Context& context(int device) {
  std::lock_guard lock(g_contexts_mutex);
  const int count = device_count();
  if (device < 0 || device >= count)
    throw Error("cuda:" + std::to_string(device) + " is not available: " + std::to_string(count) +
                " CUDA device(s) visible");
  if (!g_contexts) g_contexts = new std::vector<Context*>(static_cast<std::size_t>(count), nullptr);
  Context*& slot = (*g_contexts)[static_cast<std::size_t>(device)];
  if (!slot) slot = create_context(device).release();
  return *slot;
}

void synchronize() {
  std::lock_guard lock(g_contexts_mutex);
  if (!g_contexts) return;
  for (const Context* ctx : *g_contexts) {
    if (ctx) NN_CUDA_CHECK(cudaStreamSynchronize(ctx->stream));
  }
}

int device_count() noexcept {
  static const int count = [] {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
      // No driver or no device: not an error for a library that also runs on the CPU.
      cudaGetLastError();
      return 0;
    }
    return n;
  }();
  return count;
}

DeviceGuard::DeviceGuard(int device) {
  NN_CUDA_CHECK(cudaGetDevice(&previous_));
  if (previous_ != device) NN_CUDA_CHECK(cudaSetDevice(device));
}

DeviceGuard::~DeviceGuard() {
  int current = -1;
  if (cudaGetDevice(&current) == cudaSuccess && current != previous_) cudaSetDevice(previous_);
}

}  // namespace nn::cuda_backend
