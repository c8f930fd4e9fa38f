// CUDA events on a device's libnn stream, behind nn::cuda::Event.
#include <cuda_runtime_api.h>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/context.hpp"

namespace nn::cuda_backend {

void* event_create(int device) {
  const DeviceGuard guard(device);
  cudaEvent_t event = nullptr;
  NN_CUDA_CHECK(cudaEventCreate(&event));
  return event;
}

// cudaEventDestroy does not need the event's device to be current.
void event_destroy(void* event) noexcept { cudaEventDestroy(static_cast<cudaEvent_t>(event)); }

void event_record(void* event, int device) {
  const DeviceScope scope(device);
  NN_CUDA_CHECK(cudaEventRecord(static_cast<cudaEvent_t>(event), scope.stream()));
}

double event_elapsed_ms(void* start, void* stop, int device) {
  const DeviceGuard guard(device);
  NN_CUDA_CHECK(cudaEventSynchronize(static_cast<cudaEvent_t>(stop)));
  float ms = 0;
  NN_CUDA_CHECK(cudaEventElapsedTime(&ms, static_cast<cudaEvent_t>(start), static_cast<cudaEvent_t>(stop)));
  return ms;
}

}  // namespace nn::cuda_backend
