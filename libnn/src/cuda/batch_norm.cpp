// CUDA batch normalisation. Training runs through cuDNN's spatial batch norm,
// whose contract is the CPU's: normalisation by the biased batch variance,
// saved inverse standard deviation 1/sqrt(var + eps), running averages
// running = (1 - momentum) * running + momentum * batch with the unbiased
// variance. cuDNN always applies a scale and a shift and always writes every
// gradient, so ones, zeros and scratch stand in for what the caller leaves
// undefined. Fixed statistics (inference) run through kernels/batch_norm.cu.
#include <cudnn.h>

#include <climits>
#include <string>

#include "batch_norm_cuda.hpp"
#include "cuda/backend.hpp"
#include "cuda/check.hpp"
#include "cuda/context.hpp"
#include "nn/error.hpp"

namespace nn::cuda_backend {
namespace {
constexpr const char* kOp = "batch_norm";

int as_int(std::int64_t v, const Tensor& x) {
  if (v > INT_MAX)
    throw Error(std::string(kOp) + ": input " + shape_str(x.shape()) + " is too large for cuDNN");
  return static_cast<int>(v);
}

kernels::ChannelLayout layout_of(const Tensor& x) {
  return {x.size(0), x.size(1), x.dim() == 4 ? x.size(2) * x.size(3) : 1};
}

template <class T>
const T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

template <class T>
T* mutable_data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

// x as cuDNN sees it, [N, C, H, W] or [N, C, 1, 1] for [N, C], and the
// derived [1, C, 1, 1] descriptor of the per-channel vectors.
class Descriptors {
 public:
  explicit Descriptors(const Tensor& x) {
    try {
      NN_CUDNN_CHECK(cudnnCreateTensorDescriptor(&x_));
      NN_CUDNN_CHECK(cudnnCreateTensorDescriptor(&channels_));
      const bool spatial = x.dim() == 4;
      const cudnnDataType_t type = x.dtype() == Dtype::f32 ? CUDNN_DATA_FLOAT : CUDNN_DATA_DOUBLE;
      NN_CUDNN_CHECK(cudnnSetTensor4dDescriptor(x_, CUDNN_TENSOR_NCHW, type, as_int(x.size(0), x),
                                                as_int(x.size(1), x), spatial ? as_int(x.size(2), x) : 1,
                                                spatial ? as_int(x.size(3), x) : 1));
      NN_CUDNN_CHECK(cudnnDeriveBNTensorDescriptor(channels_, x_, CUDNN_BATCHNORM_SPATIAL));
    } catch (...) {
      destroy();
      throw;
    }
  }
  ~Descriptors() { destroy(); }
  Descriptors(const Descriptors&) = delete;
  Descriptors& operator=(const Descriptors&) = delete;

  cudnnTensorDescriptor_t x() const { return x_; }
  cudnnTensorDescriptor_t channels() const { return channels_; }

 private:
  void destroy() noexcept {
    if (channels_) cudnnDestroyTensorDescriptor(channels_);
    if (x_) cudnnDestroyTensorDescriptor(x_);
  }
  cudnnTensorDescriptor_t x_ = nullptr;
  cudnnTensorDescriptor_t channels_ = nullptr;
};

// t, or a [C] vector filled with `value` where t is undefined.
Tensor or_constant(const Tensor& t, double value, const Tensor& x) {
  return t.defined() ? t : full({x.size(1)}, value, x.options());
}

// t, or scratch shaped like `shape` where t is undefined.
Tensor or_scratch(const Tensor& t, const Shape& shape, const Tensor& x) {
  return t.defined() ? t : empty(shape, x.options());
}

}  // namespace

void batch_norm_training(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, double momentum,
                         const Tensor& running_mean, const Tensor& running_var, const Tensor& mean,
                         const Tensor& invstd, const Tensor& y) {
  const int device = x.device().index;
  const DeviceScope scope(device);
  const Descriptors d(x);
  const Tensor scale = or_constant(weight, 1.0, x), shift = or_constant(bias, 0.0, x);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // Blend factors are double for double tensors, float otherwise.
    const T one = 1, zero = 0;
    NN_CUDNN_CHECK(cudnnBatchNormalizationForwardTraining(
        context(device).cudnn, CUDNN_BATCHNORM_SPATIAL, &one, &zero, d.x(), x.data<T>(), d.x(), y.data<T>(),
        d.channels(), scale.data<T>(), shift.data<T>(), momentum, mutable_data_or_null<T>(running_mean),
        mutable_data_or_null<T>(running_var), eps, mean.data<T>(), invstd.data<T>()));
  });
}

void batch_norm_running_stats(const Tensor& running_mean, const Tensor& running_var, double eps,
                              const Tensor& mean, const Tensor& invstd) {
  const DeviceScope scope(mean.device().index);
  visit_dtype(mean.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::batch_norm_running_stats_cuda(running_mean.data<T>(), running_var.data<T>(), eps, mean.data<T>(),
                                           invstd.data<T>(), mean.numel(), scope.stream());
  });
}

void batch_norm_apply(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                      const Tensor& bias, const Tensor& y) {
  const DeviceScope scope(x.device().index);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::batch_norm_apply_cuda(x.data<T>(), mean.data<T>(), invstd.data<T>(), data_or_null<T>(weight),
                                   data_or_null<T>(bias), y.data<T>(), layout_of(x), scope.stream());
  });
}

void batch_norm_backward(const Tensor& x, const Tensor& grad_y, const Tensor& mean, const Tensor& invstd,
                         const Tensor& weight, bool training, double eps, const Tensor& grad_x,
                         const Tensor& grad_weight, const Tensor& grad_bias) {
  const int device = x.device().index;
  const DeviceScope scope(device);
  if (!training) {
    visit_dtype(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      kernels::batch_norm_backward_fixed_stats_cuda(
          x.data<T>(), grad_y.data<T>(), mean.data<T>(), invstd.data<T>(), data_or_null<T>(weight),
          mutable_data_or_null<T>(grad_x), mutable_data_or_null<T>(grad_weight), mutable_data_or_null<T>(grad_bias),
          layout_of(x), scope.stream());
    });
    return;
  }
  const Descriptors d(x);
  const Tensor scale = or_constant(weight, 1.0, x);
  const Tensor dx = or_scratch(grad_x, x.shape(), x);
  const Tensor dscale = or_scratch(grad_weight, mean.shape(), x), dbias = or_scratch(grad_bias, mean.shape(), x);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T one = 1, zero = 0;
    // The saved statistics are the forward's, so cuDNN does not recompute them.
    NN_CUDNN_CHECK(cudnnBatchNormalizationBackward(
        context(device).cudnn, CUDNN_BATCHNORM_SPATIAL, &one, &zero, &one, &zero, d.x(), x.data<T>(), d.x(),
        grad_y.data<T>(), d.x(), dx.data<T>(), d.channels(), scale.data<T>(), dscale.data<T>(), dbias.data<T>(),
        eps, mean.data<T>(), invstd.data<T>()));
  });
}

}  // namespace nn::cuda_backend
