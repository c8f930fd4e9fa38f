// CUDA softmax cross-entropy and row argmax: reduction scratch from the
// caching allocator, kernels/cross_entropy.cu.
#include "cross_entropy_cuda.hpp"
#include "cuda/allocator.hpp"
#include "cuda/backend.hpp"
#include "cuda/context.hpp"

namespace nn::cuda_backend {
namespace {

template <class T>
kernels::CrossEntropyTarget<T> target_of(const Tensor& target, double smoothing) {
  return {target.data<T>(), target.dim() == 1, smoothing};
}

}  // namespace

void cross_entropy_forward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                           const Tensor& out) {
  const int device = out.device().index;
  const DeviceScope scope(device);
  const std::int64_t rows = logits.size(0), classes = logits.size(1);
  visit_dtype(logits.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const auto t = target_of<T>(target, smoothing);
    if (reduction == Reduction::none) {
      kernels::cross_entropy_none_cuda(logits.data<T>(), t, out.data<T>(), rows, classes, scope.stream());
      return;
    }
    const DeviceBuffer scratch(
        static_cast<std::size_t>(kernels::cross_entropy_reduce_scratch(rows)) * sizeof(double), device);
    kernels::cross_entropy_reduce_cuda(logits.data<T>(), t, reduction == Reduction::mean, scratch.as<double>(),
                                       out.data<T>(), rows, classes, scope.stream());
  });
}

void cross_entropy_backward(const Tensor& logits, const Tensor& target, double smoothing, Reduction reduction,
                            const Tensor& grad_out, const Tensor& grad_logits) {
  const DeviceScope scope(grad_logits.device().index);
  const std::int64_t rows = logits.size(0), classes = logits.size(1);
  const double scale = reduction == Reduction::mean ? 1.0 / static_cast<double>(rows) : 1.0;
  visit_dtype(logits.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::cross_entropy_backward_cuda(logits.data<T>(), target_of<T>(target, smoothing), grad_out.data<T>(),
                                         reduction != Reduction::none, scale, grad_logits.data<T>(), rows, classes,
                                         scope.stream());
  });
}

void argmax_rows(const Tensor& x, const Tensor& out) {
  const DeviceScope scope(out.device().index);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    kernels::argmax_rows_cuda(x.data<T>(), out.data<T>(), x.size(0), x.size(1), scope.stream());
  });
}

}  // namespace nn::cuda_backend
