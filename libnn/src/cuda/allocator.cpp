#include "cuda/allocator.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/context.hpp"
#include "memory/block_pool.hpp"
#include "nn/error.hpp"

namespace nn::cuda_backend {
namespace {

class CudaSegments final : public memory::SegmentSource {
 public:
  explicit CudaSegments(int device) : device_(device) {}

  void* allocate(std::size_t bytes) override {
    DeviceGuard guard(device_);
    void* ptr = nullptr;
    const cudaError_t status = cudaMalloc(&ptr, bytes);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      return nullptr;
    }
    NN_CUDA_CHECK(status);
    return ptr;
  }

  void release(void* segment) noexcept override {
    // Called from destructors and cleanup: a failure here cannot be reported,
    // and cudaFree already waits for the work queued on the device.
    int previous = device_;
    cudaGetDevice(&previous);
    if (previous != device_) cudaSetDevice(device_);
    cudaFree(segment);
    if (previous != device_) cudaSetDevice(previous);
    cudaGetLastError();
  }

 private:
  int device_;
};

struct DeviceAllocator {
  explicit DeviceAllocator(int device) : segments(device), pool(segments) {}
  CudaSegments segments;
  memory::BlockPool pool;
};

std::mutex g_allocators_mutex;
// Never freed: storages may be released during static destruction.
std::vector<DeviceAllocator*>* g_allocators = nullptr;

DeviceAllocator& allocator(int device) {
  context(device);  // validates the index
  std::lock_guard lock(g_allocators_mutex);
  if (!g_allocators)
    g_allocators = new std::vector<DeviceAllocator*>(static_cast<std::size_t>(device_count()), nullptr);
  DeviceAllocator*& slot = (*g_allocators)[static_cast<std::size_t>(device)];
  if (!slot) slot = new DeviceAllocator(device);
  return *slot;
}

std::string stats_str(const cuda::MemoryStats& s) {
  return "allocated " + std::to_string(s.allocated_bytes) + " bytes, reserved " + std::to_string(s.reserved_bytes) +
         " bytes, peak reserved " + std::to_string(s.peak_reserved_bytes) + " bytes";
}

}  // namespace

void* allocate(std::size_t bytes, int device) {
  DeviceAllocator& a = allocator(device);
  void* ptr = a.pool.allocate(bytes, context(device).stream);
  if (!ptr) {
    const std::size_t segment = memory::BlockPool::segment_size(memory::BlockPool::round_size(bytes));
    throw CudaError("cudaMalloc(" + std::to_string(segment) + " bytes)",
                    "cudaErrorMemoryAllocation (out of memory)", "cuda/allocator.cpp", __LINE__, device,
                    "requested " + std::to_string(bytes) + " bytes after freeing the cache and retrying; " +
                        stats_str(a.pool.stats()));
  }
  return ptr;
}

void deallocate(void* ptr, int device) noexcept {
  std::lock_guard lock(g_allocators_mutex);
  if (!g_allocators || device < 0 || static_cast<std::size_t>(device) >= g_allocators->size()) return;
  if (DeviceAllocator* a = (*g_allocators)[static_cast<std::size_t>(device)]) a->pool.free(ptr);
}

void poison(void* ptr, std::size_t bytes, int device) {
  DeviceGuard guard(device);
  NN_CUDA_CHECK(cudaMemsetAsync(ptr, 0xff, bytes, context(device).stream));
}

cuda::MemoryStats memory_stats(int device) { return allocator(device).pool.stats(); }

void empty_cache() {
  synchronize();
  std::lock_guard lock(g_allocators_mutex);
  if (!g_allocators) return;
  for (DeviceAllocator* a : *g_allocators) {
    if (a) a->pool.release_cached();
  }
}

DeviceBuffer::DeviceBuffer(std::size_t bytes, int device) : ptr_(allocate(bytes, device)), device_(device) {}
DeviceBuffer::~DeviceBuffer() { deallocate(ptr_, device_); }

}  // namespace nn::cuda_backend
