#pragma once
// The CUDA caching allocator: one memory::BlockPool per device, fed by
// cudaMalloc, keyed by the device's stream (see memory/block_pool.hpp for the
// policy). The functions are declared in cuda/backend.hpp; this header adds
// scratch buffers for the backend's own kernels.
#include <cstddef>

namespace nn::cuda_backend {

// Device scratch memory for the duration of a scope. Freeing it before the
// queued kernels have run is safe: the block goes back to the cache of the
// stream those kernels run on, and any later user is queued behind them.
class DeviceBuffer {
 public:
  DeviceBuffer(std::size_t bytes, int device);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  template <class T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }

 private:
  void* ptr_ = nullptr;
  int device_ = 0;
};

}  // namespace nn::cuda_backend
