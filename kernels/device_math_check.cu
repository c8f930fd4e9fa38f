// Compiles every shared per-element function of kernels/ as device code, for
// f32 and f64, so a host-only construct in the shared math fails the build on
// machines without a GPU. The CUDA backend's launchers call the same
// functions; this translation unit only instantiates them.
#include <cstdint>

#include "activation_math.hpp"
#include "adam_math.hpp"
#include "bf16_math.hpp"
#include "dropout_math.hpp"
#include "elementwise_math.hpp"
#include "label_smoothing_math.hpp"
#include "loss_math.hpp"
#include "noise_math.hpp"
#include "random_math.hpp"
#include "sgd_math.hpp"

namespace nn::kernels {

template <class T>
__global__ void instantiate_pointwise(T* y, const T* x, std::int64_t n, std::uint64_t seed) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  const T v = x[i], a = static_cast<T>(0.3);
  T acc = activation_forward<Activation::leaky_relu>(v, a) + activation_backward<Activation::leaky_relu>(v, v, a);
  acc += activation_forward<Activation::relu>(v, a) + activation_backward<Activation::relu>(v, v, a);
  acc += activation_forward<Activation::sigmoid>(v, a) + activation_backward<Activation::sigmoid>(v, v, a);
  acc += activation_forward<Activation::tanh>(v, a) + activation_backward<Activation::tanh>(v, v, a);
  acc += binary_apply<BinaryOp::add>(v, a) + binary_apply<BinaryOp::sub>(v, a);
  acc += binary_apply<BinaryOp::mul>(v, a) + binary_apply<BinaryOp::div>(v, a) + affine_apply(v, a, a);
  const T eps = static_cast<T>(1e-7);
  acc += loss_term<LossKind::bce>(v, a, eps) + loss_term_grad<LossKind::bce>(v, a, eps);
  acc += loss_term<LossKind::bce_with_logits>(v, a, eps) + loss_term_grad<LossKind::bce_with_logits>(v, a, eps);
  acc += loss_term<LossKind::mae>(v, a, eps) + loss_term_grad<LossKind::mae>(v, a, eps);
  acc += loss_term<LossKind::mse>(v, a, eps) + loss_term_grad<LossKind::mse>(v, a, eps);
  acc += smooth_label(v, a, true);
  const std::uint64_t u = static_cast<std::uint64_t>(i);
  acc += dropout_apply(v, dropout_keep(seed, 0, u, a), a) + gaussian_noise_apply(v, a, seed, 0, u);
  acc += uniform_at<T>(seed, 0, u) + standard_normal_at<T>(seed, 0, u);
  y[i] = acc;
}

template <class T>
__global__ void instantiate_optimisers(T* p, T* m, T* v, const T* g, std::int64_t n, AdamCoefficients<double> adam,
                                       SgdCoefficients<double> sgd) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  adam_apply(p[i], m[i], v[i], g[i], coefficients_as<T>(adam));
  sgd_apply(p[i], g[i], coefficients_as<T>(sgd));
  sgd_momentum_apply(p[i], m[i], g[i], coefficients_as<T>(sgd));
}

__global__ void instantiate_bf16(std::uint16_t* half, float* back, const float* x, std::int64_t n) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  half[i] = float_to_bf16(x[i]);
  back[i] = bf16_to_float(half[i]);
}

template __global__ void instantiate_pointwise<float>(float*, const float*, std::int64_t, std::uint64_t);
template __global__ void instantiate_pointwise<double>(double*, const double*, std::int64_t, std::uint64_t);
template __global__ void instantiate_optimisers<float>(float*, float*, float*, const float*, std::int64_t,
                                                       AdamCoefficients<double>, SgdCoefficients<double>);
template __global__ void instantiate_optimisers<double>(double*, double*, double*, const double*, std::int64_t,
                                                        AdamCoefficients<double>, SgdCoefficients<double>);

}  // namespace nn::kernels
