#pragma once
// Gradient-check bodies shared by the CPU suite (tests/gradcheck/) and the
// CUDA suite (tests/cuda/): each checks its ops with `options`, whose device
// says where they run. Inputs start as CPU leaves (gradcheck moves them);
// constants the ops read (targets, weights, concatenated tensors) are created
// on the options' device.
#include <string>

#include "support/gradcheck.hpp"

namespace nn::testing {

// The options that run a check on the first CUDA device.
inline const GradcheckOptions kOnCuda{.device = Device::cuda(0)};

// activations and random regularisers
void check_relu_and_leaky_relu(const GradcheckOptions& options);
void check_sigmoid_and_tanh(const GradcheckOptions& options);
void check_dropout(double rate, const GradcheckOptions& options);
void check_gaussian_noise(const GradcheckOptions& options);

// losses, every reduction and weight layout
void check_bce(const GradcheckOptions& options);
void check_bce_with_logits(const GradcheckOptions& options);
void check_mae(const GradcheckOptions& options);
void check_mse(const GradcheckOptions& options);
void check_smooth_labels(Smoothing kind, const GradcheckOptions& options);
// softmax cross-entropy on class ids and on probabilities, with and without
// label smoothing, every reduction
void check_cross_entropy(const GradcheckOptions& options);

// concat
void check_concat_dim0(const GradcheckOptions& options);
void check_concat_channels(const GradcheckOptions& options);
void check_concat_last_dim(const GradcheckOptions& options);

// elementwise, reductions, matmul, shape; op is "add", "sub", "mul" or "div"
void check_binary_broadcasting(const std::string& op, const GradcheckOptions& options);
void check_scalar_arithmetic(const GradcheckOptions& options);
void check_sum_and_mean(const GradcheckOptions& options);
void check_matmul(bool transpose_a, bool transpose_b, const GradcheckOptions& options);
void check_linear(const GradcheckOptions& options);
void check_shape_ops(const GradcheckOptions& options);

// convolutions (asymmetric `same` padding, even kernels, output padding) and
// max pooling on inputs without ties
void check_conv2d(const GradcheckOptions& options);
void check_conv_transpose2d(const GradcheckOptions& options);
void check_max_pool2d(const GradcheckOptions& options);

// batch norm over an [N, C] or [N, C, H, W] input; training opens one Catch2
// SECTION per variant
void check_batch_norm_training(const Shape& shape, const GradcheckOptions& options);
void check_batch_norm_inference(const Shape& shape, const GradcheckOptions& options);

}  // namespace nn::testing
