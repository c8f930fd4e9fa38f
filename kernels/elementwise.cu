// Elementwise arithmetic on CUDA through the shared per-element math of
// elementwise_math.hpp.
#include <type_traits>

#include "cuda_launch.cuh"
#include "elementwise_cuda.hpp"

namespace nn::kernels {
namespace {

template <BinaryOp op, class T>
struct BinarySameShape {
  const T* a;
  const T* b;
  T* out;
  __device__ void operator()(std::int64_t i) const { out[i] = binary_apply<op>(a[i], b[i]); }
};

template <BinaryOp op, class T>
struct BinaryStrided {
  const T* a;
  StridedIndex ia;
  const T* b;
  StridedIndex ib;
  T* out;
  __device__ void operator()(std::int64_t i) const {
    out[i] = binary_apply<op>(a[strided_offset(ia, i)], b[strided_offset(ib, i)]);
  }
};

template <class T>
struct Affine {
  const T* x;
  T scale, shift;
  T* y;
  __device__ void operator()(std::int64_t i) const { y[i] = affine_apply(x[i], scale, shift); }
};

template <class T>
struct Gather {
  const T* x;
  StridedIndex ix;
  T* y;
  __device__ void operator()(std::int64_t i) const { y[i] = x[strided_offset(ix, i)]; }
};

// Calls launch(std::integral_constant<BinaryOp, op>{}) for the runtime op.
template <class Launch>
void with_op(BinaryOp op, const Launch& launch) {
  switch (op) {
    case BinaryOp::add: return launch(std::integral_constant<BinaryOp, BinaryOp::add>{});
    case BinaryOp::sub: return launch(std::integral_constant<BinaryOp, BinaryOp::sub>{});
    case BinaryOp::mul: return launch(std::integral_constant<BinaryOp, BinaryOp::mul>{});
    case BinaryOp::div: return launch(std::integral_constant<BinaryOp, BinaryOp::div>{});
  }
}

}  // namespace

template <class T>
void binary_same_shape_cuda(BinaryOp op, const T* a, const T* b, T* out, std::int64_t n, cudaStream_t stream) {
  with_op(op, [&](auto tag) {
    launch_for_each("binary_same_shape", n, BinarySameShape<decltype(tag)::value, T>{a, b, out}, stream);
  });
}

template <class T>
void binary_strided_cuda(BinaryOp op, const T* a, const StridedIndex& ia, const T* b, const StridedIndex& ib,
                         T* out, std::int64_t n, cudaStream_t stream) {
  with_op(op, [&](auto tag) {
    launch_for_each("binary_strided", n, BinaryStrided<decltype(tag)::value, T>{a, ia, b, ib, out}, stream);
  });
}

template <class T>
void affine_cuda(const T* x, T scale, T shift, T* y, std::int64_t n, cudaStream_t stream) {
  launch_for_each("affine", n, Affine<T>{x, scale, shift, y}, stream);
}

template <class T>
void gather_cuda(const T* x, const StridedIndex& ix, T* y, std::int64_t n, cudaStream_t stream) {
  launch_for_each("broadcast_to", n, Gather<T>{x, ix, y}, stream);
}

template void binary_same_shape_cuda<float>(BinaryOp, const float*, const float*, float*, std::int64_t,
                                            cudaStream_t);
template void binary_same_shape_cuda<double>(BinaryOp, const double*, const double*, double*, std::int64_t,
                                             cudaStream_t);
template void binary_strided_cuda<float>(BinaryOp, const float*, const StridedIndex&, const float*,
                                         const StridedIndex&, float*, std::int64_t, cudaStream_t);
template void binary_strided_cuda<double>(BinaryOp, const double*, const StridedIndex&, const double*,
                                          const StridedIndex&, double*, std::int64_t, cudaStream_t);
template void affine_cuda<float>(const float*, float, float, float*, std::int64_t, cudaStream_t);
template void affine_cuda<double>(const double*, double, double, double*, std::int64_t, cudaStream_t);
template void gather_cuda<float>(const float*, const StridedIndex&, float*, std::int64_t, cudaStream_t);
template void gather_cuda<double>(const double*, const StridedIndex&, double*, std::int64_t, cudaStream_t);

}  // namespace nn::kernels
