// CUDA losses and label smoothing: weight geometry, reduction scratch from the
// caching allocator, kernels/loss.cu.
#include "cuda/allocator.hpp"
#include "cuda/backend.hpp"
#include "cuda/context.hpp"
#include "geometry/strided.hpp"
#include "loss_cuda.hpp"

namespace nn::cuda_backend {
namespace {

// The weights as the kernels read them: none, or broadcast to the prediction.
template <class T>
kernels::LossWeights<T> loss_weights(const char* op, const Tensor& weights, const Shape& shape) {
  kernels::LossWeights<T> w;
  if (!weights.defined()) return w;
  w.data = weights.data<T>();
  w.index = geometry::strided_indices(op, shape, {geometry::broadcast_strides(weights.shape(), shape)})[0];
  return w;
}

}  // namespace

void loss_forward(kernels::LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                  Reduction reduction, const Tensor& out) {
  const int device = out.device().index;
  const DeviceScope scope(device);
  const std::int64_t n = pred.numel();
  visit_dtype(pred.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto w = loss_weights<T>("loss_forward", weights, pred.shape());
    const T eps = static_cast<T>(kBceEpsilon);
    if (reduction == Reduction::none) {
      kernels::loss_none_cuda(kind, pred.data<T>(), target.data<T>(), w, eps, out.data<T>(), n, scope.stream());
      return;
    }
    const DeviceBuffer scratch(static_cast<std::size_t>(kernels::loss_reduce_scratch(n)) * sizeof(double), device);
    kernels::loss_reduce_cuda(kind, pred.data<T>(), target.data<T>(), w, eps, reduction == Reduction::mean,
                              scratch.as<double>(), out.data<T>(), n, scope.stream());
  });
}

void loss_backward(kernels::LossKind kind, const Tensor& pred, const Tensor& target, const Tensor& weights,
                   Reduction reduction, const Tensor& grad_out, const Tensor& grad_pred) {
  const DeviceScope scope(grad_pred.device().index);
  const std::int64_t n = pred.numel();
  visit_dtype(pred.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto w = loss_weights<T>("loss_backward", weights, pred.shape());
    const T eps = static_cast<T>(kBceEpsilon);
    const T scale = reduction == Reduction::mean ? static_cast<T>(1.0 / static_cast<double>(n)) : T(1);
    kernels::loss_backward_cuda(kind, pred.data<T>(), target.data<T>(), w, eps, grad_out.data<T>(),
                                reduction != Reduction::none, scale, grad_pred.data<T>(), n, scope.stream());
  });
}

void smooth_labels(const Tensor& target, double amount, bool two_sided, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::smooth_labels_cuda(target.data<T>(), static_cast<T>(amount), two_sided, out.data<T>(), out.numel(),
                                scope.stream());
  });
}

}  // namespace nn::cuda_backend
