#pragma once
// The CUDA side of libnn that a user may touch directly: devices, the caching
// allocator's statistics and cache, stream synchronisation, the TF32 policy
// and deterministic algorithms. Every function works in a build without CUDA:
// there are no devices, empty_cache() and synchronize() do nothing and
// memory_stats() throws.
#include <cstddef>
#include <cstdint>

namespace nn {

// TF32 tensor-core math for FP32 matrix products and convolutions (cuBLAS and
// cuDNN). Off by default, so f32 results are exact FP32 as on the CPU.
void set_tf32(bool enabled);
bool tf32_enabled();

// Deterministic cuDNN convolution algorithms only, picked by cuDNN's
// heuristics rather than by timing, so that repeated runs, in one process or
// in several (a resumed training run), give bitwise identical results. On by
// default; set_deterministic(false) times every algorithm and takes the
// fastest, some of which accumulate with atomics.
void set_deterministic(bool enabled);
bool deterministic();

namespace cuda {

// Number of visible CUDA devices; 0 without a driver, a device or a CUDA build.
int device_count();

// The caching allocator of one device. Sizes are in bytes; "blocks" are what
// tensors hold, "segments" what the allocator obtained from cudaMalloc.
struct MemoryStats {
  std::size_t allocated_bytes = 0;       // in blocks handed out now
  std::size_t reserved_bytes = 0;        // in segments held now (allocated + cached)
  std::size_t peak_allocated_bytes = 0;
  std::size_t peak_reserved_bytes = 0;
  std::uint64_t allocations = 0;         // blocks handed out so far
  std::uint64_t frees = 0;               // blocks given back so far
  std::uint64_t segment_allocations = 0; // successful cudaMalloc calls
  std::uint64_t segment_frees = 0;       // cudaFree calls
  std::uint64_t retries = 0;             // cudaMalloc failures answered by freeing the cache
  std::uint64_t out_of_memory = 0;       // requests that failed even after that
};

// Statistics of device `device`; nn::Error if there is no such device.
MemoryStats memory_stats(int device = 0);
// Waits for every device's stream, then returns all cached segments that hold
// no live block to the driver.
void empty_cache();
// Waits until all work queued by libnn on every device has finished.
void synchronize();

// A CUDA event on libnn's stream of one device, for timing GPU work without
// waiting for the GPU in between: record() marks the point that all work
// queued on the device so far must pass. nn::Error if there is no such device.
class Event {
 public:
  explicit Event(int device = 0);
  ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  void record();
  // GPU milliseconds from `start` to this event (both recorded); waits until
  // this event has passed.
  double elapsed_ms_since(const Event& start) const;

 private:
  int device_;
  void* handle_;
};

}  // namespace cuda
}  // namespace nn
