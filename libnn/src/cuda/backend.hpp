#pragma once
// The CUDA backend as the rest of libnn sees it: plain C++ over nn::Tensor,
// no CUDA types. The ops seam calls these for tensors on a CUDA device after
// checking shapes, dtypes and devices.
//
// A build without CUDA declares these functions but defines none of them.
// Every call sits in the branch of `if constexpr (cuda_backend::compiled)`
// that such a build discards, so nothing refers to them there:
//
//   if (out.device().is_cpu()) cpu::op(...);
//   else if constexpr (cuda_backend::compiled) cuda_backend::op(...);
//   else detail::no_cuda_backend("op", out.device());
#include <cstddef>

#include "elementwise_math.hpp"
#include "nn/cuda.hpp"
#include "nn/random.hpp"
#include "nn/tensor.hpp"

namespace nn::cuda_backend {

#if defined(LIBNN_HAS_CUDA)
inline constexpr bool compiled = true;
#else
inline constexpr bool compiled = false;
#endif

// ---- devices and memory ----
// Visible devices; 0 (never an exception) without a driver or a device.
int device_count() noexcept;
void synchronize();
// Device memory from the caching allocator of `device`; nn::CudaError when
// the device is out of memory even after the cache was freed.
void* allocate(std::size_t bytes, int device);
void deallocate(void* ptr, int device) noexcept;
// Sets every byte of a fresh allocation to 0xff (a NaN in f32 and f64).
void poison(void* ptr, std::size_t bytes, int device);
cuda::MemoryStats memory_stats(int device);
void empty_cache();

// ---- copies and fills (out on a CUDA device) ----
// Copies src into dst (same numel), converting the dtype; either or both may
// be on a CUDA device, the other on the CPU.
void copy(const Tensor& src, const Tensor& dst);
void fill(const Tensor& out, double value);
void fill_arange(const Tensor& out);
void fill_uniform(const Tensor& out, double low, double high, RandomState rs);
void fill_normal(const Tensor& out, double mean, double stddev, RandomState rs);

// ---- elementwise and reductions: the same contracts as nn::cpu:: ----
void binary(kernels::BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out);
void affine(const Tensor& x, double scale, double shift, const Tensor& out);
void broadcast_to(const Tensor& x, const Tensor& out);
void sum_all(const Tensor& x, const Tensor& out);
void sum_to(const Tensor& x, const Tensor& out);

}  // namespace nn::cuda_backend
