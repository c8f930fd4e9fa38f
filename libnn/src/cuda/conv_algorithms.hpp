#pragma once
// cuDNN convolution algorithms, chosen by running every candidate once per
// problem (cudnnFind*AlgorithmEx on the problem's own buffers, workspace from
// the caching allocator) and remembered for the rest of the process.
#include <cudnn.h>

#include <compare>
#include <cstddef>

#include "nn/tensor.hpp"

namespace nn::cuda_backend {

enum class ConvPass { forward, backward_data, backward_filter };

// Everything the choice depends on. The sizes are what cuDNN sees: the input
// is the padded copy where the convolution needs one.
struct ConvKey {
  ConvPass pass = ConvPass::forward;
  int device = 0;
  Dtype dtype = Dtype::f32;
  cudnnMathType_t math = CUDNN_DEFAULT_MATH;
  bool deterministic = false;
  int batch = 0, in_channels = 0, in_h = 0, in_w = 0;
  int out_channels = 0, kernel_h = 0, kernel_w = 0;
  int pad_h = 0, pad_w = 0, stride_h = 0, stride_w = 0;
  // The operands' common address alignment in bytes (a batch slice need not
  // start on 16 bytes), since some algorithms need more than an element's.
  int alignment = 0;

  auto operator<=>(const ConvKey&) const = default;
};

// The operands of one pass in the forward convolution's terms: x and y are
// the input and output, w the weights. The pass writes one of them (y
// forward, x backward data, w backward filter), which the search overwrites.
struct ConvOperands {
  cudnnHandle_t handle = nullptr;
  cudnnTensorDescriptor_t x_desc = nullptr;
  void* x = nullptr;
  cudnnFilterDescriptor_t w_desc = nullptr;
  void* w = nullptr;
  cudnnConvolutionDescriptor_t conv_desc = nullptr;
  cudnnTensorDescriptor_t y_desc = nullptr;
  void* y = nullptr;
};

struct ConvAlgorithm {
  int algo = 0;  // a cudnnConvolution{Fwd,BwdData,BwdFilter}Algo_t, by key.pass
  std::size_t workspace = 0;
};

// The fastest algorithm for `key` that succeeded, fits the search workspace,
// keeps TF32 off unless key.math allows it and, when key.deterministic, is
// deterministic. nn::Error naming `op` when none qualifies.
ConvAlgorithm conv_algorithm(const char* op, const ConvKey& key, const ConvOperands& operands);

}  // namespace nn::cuda_backend
