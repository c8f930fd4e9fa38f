// Softmax cross-entropy and row argmax on CUDA through the shared row math of
// cross_entropy_math.hpp. Reduced losses write each row's loss to scratch and
// sum it with the deterministic sum of reduce.cu: no atomics.
#include "cross_entropy_cuda.hpp"
#include "cross_entropy_math.hpp"
#include "cuda_launch.cuh"
#include "finish_reduction.cuh"

namespace nn::kernels {
namespace {

template <class T>
__device__ SmoothedTarget<T> row_target(const CrossEntropyTarget<T>& t, std::int64_t classes, std::int64_t i) {
  const double keep = 1.0 - t.smoothing, spread = t.smoothing / static_cast<double>(classes);
  if (t.class_ids) return {nullptr, static_cast<std::int64_t>(t.data[i]), keep, spread};
  return {t.data + i * classes, 0, keep, spread};
}

// out[i] = Out(loss of row i), with Out = T or double.
template <class T, class Out>
struct RowLoss {
  const T* logits;
  CrossEntropyTarget<T> target;
  std::int64_t classes;
  Out* out;
  __device__ void operator()(std::int64_t i) const {
    out[i] = static_cast<Out>(cross_entropy_row(logits + i * classes, classes, row_target(target, classes, i)));
  }
};

template <class T>
struct RowGrad {
  const T* logits;
  CrossEntropyTarget<T> target;
  const T* grad_out;
  std::int64_t grad_out_stride;
  double scale;
  std::int64_t classes;
  T* grad_logits;
  __device__ void operator()(std::int64_t i) const {
    const double g = static_cast<double>(grad_out[i * grad_out_stride]) * scale;
    cross_entropy_row_grad(logits + i * classes, classes, row_target(target, classes, i), g,
                           grad_logits + i * classes);
  }
};

template <class T>
struct RowArgmax {
  const T* x;
  std::int64_t classes;
  T* out;
  __device__ void operator()(std::int64_t i) const { out[i] = static_cast<T>(argmax_row(x + i * classes, classes)); }
};

}  // namespace

template <class T>
void cross_entropy_none_cuda(const T* logits, const CrossEntropyTarget<T>& target, T* out, std::int64_t rows,
                             std::int64_t classes, cudaStream_t stream) {
  launch_for_each("cross_entropy_none", rows, RowLoss<T, T>{logits, target, classes, out}, stream);
}

template <class T>
void cross_entropy_reduce_cuda(const T* logits, const CrossEntropyTarget<T>& target, bool mean, double* scratch,
                               T* out, std::int64_t rows, std::int64_t classes, cudaStream_t stream) {
  double* losses = scratch;
  double* partials = scratch + rows;
  double* total = partials + sum_all_partials(rows);
  launch_for_each("cross_entropy_rows", rows, RowLoss<T, double>{logits, target, classes, losses}, stream);
  sum_all_cuda(losses, rows, partials, total, stream);
  const double divisor = mean ? static_cast<double>(rows) : 1.0;
  launch_for_each("cross_entropy_finish", 1, FinishReduction<T>{total, divisor, out}, stream);
}

template <class T>
void cross_entropy_backward_cuda(const T* logits, const CrossEntropyTarget<T>& target, const T* grad_out,
                                 bool scalar_grad_out, double scale, T* grad_logits, std::int64_t rows,
                                 std::int64_t classes, cudaStream_t stream) {
  const std::int64_t stride = scalar_grad_out ? 0 : 1;
  launch_for_each("cross_entropy_backward", rows,
                  RowGrad<T>{logits, target, grad_out, stride, scale, classes, grad_logits}, stream);
}

template <class T>
void argmax_rows_cuda(const T* x, T* out, std::int64_t rows, std::int64_t classes, cudaStream_t stream) {
  launch_for_each("argmax_rows", rows, RowArgmax<T>{x, classes, out}, stream);
}

template void cross_entropy_none_cuda<float>(const float*, const CrossEntropyTarget<float>&, float*, std::int64_t,
                                             std::int64_t, cudaStream_t);
template void cross_entropy_none_cuda<double>(const double*, const CrossEntropyTarget<double>&, double*,
                                              std::int64_t, std::int64_t, cudaStream_t);
template void cross_entropy_reduce_cuda<float>(const float*, const CrossEntropyTarget<float>&, bool, double*,
                                               float*, std::int64_t, std::int64_t, cudaStream_t);
template void cross_entropy_reduce_cuda<double>(const double*, const CrossEntropyTarget<double>&, bool, double*,
                                                double*, std::int64_t, std::int64_t, cudaStream_t);
template void cross_entropy_backward_cuda<float>(const float*, const CrossEntropyTarget<float>&, const float*, bool,
                                                 double, float*, std::int64_t, std::int64_t, cudaStream_t);
template void cross_entropy_backward_cuda<double>(const double*, const CrossEntropyTarget<double>&, const double*,
                                                  bool, double, double*, std::int64_t, std::int64_t, cudaStream_t);
template void argmax_rows_cuda<float>(const float*, float*, std::int64_t, std::int64_t, cudaStream_t);
template void argmax_rows_cuda<double>(const double*, double*, std::int64_t, std::int64_t, cudaStream_t);

}  // namespace nn::kernels
