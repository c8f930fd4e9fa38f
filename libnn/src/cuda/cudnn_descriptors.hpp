#pragma once
// Owning wrappers of the cuDNN descriptors the convolutions use, NCHW only,
// and the scaling factors cuDNN takes by pointer. Each public constructor
// delegates to the private one that creates the descriptor, so that the
// destructor frees it when setting it up throws.
#include <cudnn.h>

#include "cuda/check.hpp"
#include "nn/tensor.hpp"

namespace nn::cuda_backend {

inline cudnnDataType_t cudnn_dtype(Dtype dtype) {
  return dtype == Dtype::f64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT;
}

// alpha and beta: double for f64 data, float otherwise.
class CudnnScalar {
 public:
  CudnnScalar(Dtype dtype, double value) : f64_(dtype == Dtype::f64), d_(value), f_(static_cast<float>(value)) {}
  const void* get() const { return f64_ ? static_cast<const void*>(&d_) : static_cast<const void*>(&f_); }

 private:
  bool f64_;
  double d_;
  float f_;
};

class TensorDescriptor {
 public:
  // A contiguous [n, c, h, w] tensor.
  TensorDescriptor(Dtype dtype, int n, int c, int h, int w) : TensorDescriptor() {
    NN_CUDNN_CHECK(cudnnSetTensor4dDescriptor(desc_, CUDNN_TENSOR_NCHW, cudnn_dtype(dtype), n, c, h, w));
  }
  // An [n, c, h, w] window of a contiguous [n, c, rows, cols] tensor.
  TensorDescriptor(Dtype dtype, int n, int c, int h, int w, int rows, int cols) : TensorDescriptor() {
    NN_CUDNN_CHECK(
        cudnnSetTensor4dDescriptorEx(desc_, cudnn_dtype(dtype), n, c, h, w, c * rows * cols, rows * cols, cols, 1));
  }
  ~TensorDescriptor() { cudnnDestroyTensorDescriptor(desc_); }
  TensorDescriptor(const TensorDescriptor&) = delete;
  TensorDescriptor& operator=(const TensorDescriptor&) = delete;
  cudnnTensorDescriptor_t get() const { return desc_; }

 private:
  TensorDescriptor() { NN_CUDNN_CHECK(cudnnCreateTensorDescriptor(&desc_)); }
  cudnnTensorDescriptor_t desc_ = nullptr;
};

class FilterDescriptor {
 public:
  // Weights [out_channels, in_channels, h, w].
  FilterDescriptor(Dtype dtype, int out_channels, int in_channels, int h, int w) : FilterDescriptor() {
    NN_CUDNN_CHECK(
        cudnnSetFilter4dDescriptor(desc_, cudnn_dtype(dtype), CUDNN_TENSOR_NCHW, out_channels, in_channels, h, w));
  }
  ~FilterDescriptor() { cudnnDestroyFilterDescriptor(desc_); }
  FilterDescriptor(const FilterDescriptor&) = delete;
  FilterDescriptor& operator=(const FilterDescriptor&) = delete;
  cudnnFilterDescriptor_t get() const { return desc_; }

 private:
  FilterDescriptor() { NN_CUDNN_CHECK(cudnnCreateFilterDescriptor(&desc_)); }
  cudnnFilterDescriptor_t desc_ = nullptr;
};

// A 2-d cross-correlation (libnn's and the CPU's convolution), no dilation,
// accumulating in the data's precision.
class ConvolutionDescriptor {
 public:
  ConvolutionDescriptor(Dtype dtype, int pad_h, int pad_w, int stride_h, int stride_w, cudnnMathType_t math)
      : ConvolutionDescriptor() {
    NN_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(desc_, pad_h, pad_w, stride_h, stride_w, 1, 1,
                                                   CUDNN_CROSS_CORRELATION, cudnn_dtype(dtype)));
    NN_CUDNN_CHECK(cudnnSetConvolutionMathType(desc_, math));
  }
  ~ConvolutionDescriptor() { cudnnDestroyConvolutionDescriptor(desc_); }
  ConvolutionDescriptor(const ConvolutionDescriptor&) = delete;
  ConvolutionDescriptor& operator=(const ConvolutionDescriptor&) = delete;
  cudnnConvolutionDescriptor_t get() const { return desc_; }

 private:
  ConvolutionDescriptor() { NN_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&desc_)); }
  cudnnConvolutionDescriptor_t desc_ = nullptr;
};

}  // namespace nn::cuda_backend
