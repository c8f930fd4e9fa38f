#pragma once
// The CUDA backend as the rest of libnn sees it: plain C++ over nn::Tensor,
// no CUDA types. The ops seam calls these for tensors on a CUDA device after
// checking shapes, dtypes and devices.
//
// A build without CUDA declares these functions but defines none of them.
// The ops seam reaches them only through detail::on_backend (ops/dispatch.hpp),
// which calls the CUDA side in the branch of `if constexpr (compiled)` that
// such a build discards, so nothing refers to them there:
//
//   detail::on_backend("op", out.device(),
//                      [&] { cpu::op(...); },
//                      [&](auto...) { cuda_backend::op(...); });
//
// The CUDA callable must be a generic lambda: its body is then instantiated
// only where it is called.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "activation_math.hpp"
#include "adam_math.hpp"
#include "elementwise_math.hpp"
#include "geometry/conv_geometry.hpp"
#include "loss_math.hpp"
#include "nn/cuda.hpp"
#include "nn/loss.hpp"
#include "nn/random.hpp"
#include "nn/tensor.hpp"
#include "sgd_math.hpp"

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
// Events on the device's stream (nn::cuda::Event); the handle is a cudaEvent_t.
void* event_create(int device);
void event_destroy(void* event) noexcept;
void event_record(void* event, int device);
double event_elapsed_ms(void* start, void* stop, int device);

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

// ---- activations, losses, random ops, concat, optimiser updates ----
// The same contracts as their nn::cpu:: twins (cpu/activation.hpp, loss.hpp,
// cross_entropy.hpp, random_ops.hpp, concat.hpp, optim_update.hpp).
void activation_forward(kernels::Activation kind, const Tensor& x, double alpha, const Tensor& out);
void activation_backward(kernels::Activation kind, const Tensor& saved, const Tensor& grad_out, double alpha,
                         const Tensor& grad_in);
void loss_forward(kernels::LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                  Reduction reduction, const Tensor& out);
void loss_backward(kernels::LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                   Reduction reduction, const Tensor& grad_out, const Tensor& grad_pred);
void smooth_labels(const Tensor& target, double amount, bool two_sided, const Tensor& out);
void cross_entropy_forward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                           const Tensor& out);
void cross_entropy_backward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                            const Tensor& grad_out, const Tensor& grad_logits);
void argmax_rows(const Tensor& x, const Tensor& out);
void dropout(const Tensor& x, double rate, RandomState rs, const Tensor& out);
void gaussian_noise(const Tensor& x, double stddev, RandomState rs, const Tensor& out);
void concat(const std::vector<Tensor>& xs, std::int64_t dim, const Tensor& out);
void narrow(const Tensor& x, std::int64_t dim, std::int64_t start, const Tensor& out);
void adam_update(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                 const kernels::AdamCoefficients<double>& coefficients);
void sgd_update(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                const kernels::SgdCoefficients<double>& coefficients);

// ---- matrix products, batch norm, pooling ----
// out[M, N] = op(a) op(b) through cuBLAS, op transposing where ta/tb: the
// row-major contract of cpu::gemm with alpha 1 and beta 0. f32 products run
// as TF32 only while nn::tf32_enabled().
void matmul(const Tensor& a, const Tensor& b, bool ta, bool tb, const Tensor& out);
// Batch norm of x [N, C] or [N, C, H, W] (cpu/batch_norm.hpp). Training is
// cpu::batch_norm_batch_stats followed by cpu::batch_norm_apply in one cuDNN
// call; inference is batch_norm_running_stats followed by batch_norm_apply.
void batch_norm_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, double momentum,
                         const Tensor& running_mean, const Tensor& running_var, const Tensor& mean,
                         const Tensor& invstd, const Tensor& y);
void batch_norm_running_stats(const Tensor& running_mean, const Tensor& running_var, double eps,
                              const Tensor& mean, const Tensor& invstd);
void batch_norm_apply(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                      const Tensor& bias, const Tensor& y);
// cpu::batch_norm_backward; eps is the forward's, which cuDNN asks for again.
void batch_norm_backward(const Tensor& x, const Tensor& grad_y, const Tensor& mean, const Tensor& invstd,
                         const Tensor& weight, bool training, double eps, const Tensor& grad_x,
                         const Tensor& grad_weight, const Tensor& grad_bias);
// cpu::max_pool2d_forward/backward with argmax in device memory of y's device.
void max_pool2d_forward(const Tensor& x, const geometry::PatchGeometry& g, const Tensor& y, std::int64_t* argmax);
void max_pool2d_backward(const Tensor& grad_y, const std::int64_t* argmax, const geometry::PatchGeometry& g,
                         const Tensor& grad_x);

// ---- convolutions ----
// The contracts of cpu::conv2d_forward, conv2d_backward_data,
// conv2d_backward_weight and add_channel_bias through cuDNN, with libnn's
// per-side padding (a zero-padded copy of the input where cuDNN's symmetric
// padding cannot express it). Algorithms are found once per problem, honour
// nn::set_tf32 and nn::set_deterministic.
void conv2d_forward(const Tensor& x, const Tensor& w, const Tensor& b, const geometry::ConvGeometry& g,
                    const Tensor& y);
void conv2d_backward_data(const Tensor& grad_y, const Tensor& w, const geometry::ConvGeometry& g,
                          const Tensor& grad_x);
void conv2d_backward_weight(const Tensor& x, const Tensor& grad_y, const geometry::ConvGeometry& g,
                            const Tensor& grad_w);
void add_channel_bias(const Tensor& y, const Tensor& b);

}  // namespace nn::cuda_backend
