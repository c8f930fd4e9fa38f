// Losses and label smoothing on CUDA through the shared per-element math of
// loss_math.hpp and label_smoothing_math.hpp. Reduced losses write every
// weighted term to scratch and sum it with the deterministic sum of reduce.cu,
// so no atomics are involved and the result does not depend on the GPU.
#include <type_traits>

#include "cuda_launch.cuh"
#include "finish_reduction.cuh"
#include "label_smoothing_math.hpp"
#include "loss_cuda.hpp"

namespace nn::kernels {
namespace {

template <class T>
__device__ T weight_at(const LossWeights<T>& w, std::int64_t i) {
  return w.data ? w.data[strided_offset(w.index, i)] : T(1);
}

// out[i] = Out(weight(i) * term(i)), with Out = T or double.
template <LossKind kind, class T, class Out>
struct WeightedTerm {
  const T* pred;
  const T* target;
  LossWeights<T> weights;
  T eps;
  Out* out;
  __device__ void operator()(std::int64_t i) const {
    const T term = weight_at(weights, i) * loss_term<kind>(pred[i], target[i], eps);
    out[i] = static_cast<Out>(term);
  }
};

template <LossKind kind, class T>
struct TermGrad {
  const T* pred;
  const T* target;
  LossWeights<T> weights;
  T eps;
  const T* grad_out;
  std::int64_t grad_out_stride;
  T scale;
  T* grad_pred;
  __device__ void operator()(std::int64_t i) const {
    const T g = grad_out[i * grad_out_stride] * scale;
    grad_pred[i] = g * weight_at(weights, i) * loss_term_grad<kind>(pred[i], target[i], eps);
  }
};

template <class T>
struct SmoothLabels {
  const T* target;
  T amount;
  bool two_sided;
  T* out;
  __device__ void operator()(std::int64_t i) const { out[i] = smooth_label(target[i], amount, two_sided); }
};

}  // namespace

template <class T>
void loss_none_cuda(LossKind kind, const T* pred, const T* target, const LossWeights<T>& weights, T eps, T* out,
                    std::int64_t n, cudaStream_t stream) {
  visit_loss(kind, [&](auto tag) {
    launch_for_each("loss_none", n, WeightedTerm<decltype(tag)::value, T, T>{pred, target, weights, eps, out},
                    stream);
  });
}

template <class T>
void loss_reduce_cuda(LossKind kind, const T* pred, const T* target, const LossWeights<T>& weights, T eps,
                      bool mean, double* scratch, T* out, std::int64_t n, cudaStream_t stream) {
  double* terms = scratch;
  double* partials = scratch + n;
  double* total = partials + sum_all_partials(n);
  visit_loss(kind, [&](auto tag) {
    launch_for_each("loss_terms", n,
                    WeightedTerm<decltype(tag)::value, T, double>{pred, target, weights, eps, terms}, stream);
  });
  sum_all_cuda(terms, n, partials, total, stream);
  const double divisor = mean ? static_cast<double>(n) : 1.0;
  launch_for_each("loss_finish", 1, FinishReduction<T>{total, divisor, out}, stream);
}

template <class T>
void loss_backward_cuda(LossKind kind, const T* pred, const T* target, const LossWeights<T>& weights, T eps,
                        const T* grad_out, bool scalar_grad_out, T scale, T* grad_pred, std::int64_t n,
                        cudaStream_t stream) {
  const std::int64_t stride = scalar_grad_out ? 0 : 1;
  visit_loss(kind, [&](auto tag) {
    launch_for_each(
        "loss_backward", n,
        TermGrad<decltype(tag)::value, T>{pred, target, weights, eps, grad_out, stride, scale, grad_pred}, stream);
  });
}

template <class T>
void smooth_labels_cuda(const T* target, T amount, bool two_sided, T* out, std::int64_t n, cudaStream_t stream) {
  launch_for_each("smooth_labels", n, SmoothLabels<T>{target, amount, two_sided, out}, stream);
}

template void loss_none_cuda<float>(LossKind, const float*, const float*, const LossWeights<float>&, float, float*,
                                    std::int64_t, cudaStream_t);
template void loss_none_cuda<double>(LossKind, const double*, const double*, const LossWeights<double>&, double,
                                     double*, std::int64_t, cudaStream_t);
template void loss_reduce_cuda<float>(LossKind, const float*, const float*, const LossWeights<float>&, float, bool,
                                      double*, float*, std::int64_t, cudaStream_t);
template void loss_reduce_cuda<double>(LossKind, const double*, const double*, const LossWeights<double>&, double,
                                       bool, double*, double*, std::int64_t, cudaStream_t);
template void loss_backward_cuda<float>(LossKind, const float*, const float*, const LossWeights<float>&, float,
                                        const float*, bool, float, float*, std::int64_t, cudaStream_t);
template void loss_backward_cuda<double>(LossKind, const double*, const double*, const LossWeights<double>&,
                                         double, const double*, bool, double, double*, std::int64_t,
                                         cudaStream_t);
template void smooth_labels_cuda<float>(const float*, float, bool, float*, std::int64_t, cudaStream_t);
template void smooth_labels_cuda<double>(const double*, double, bool, double*, std::int64_t, cudaStream_t);

}  // namespace nn::kernels
