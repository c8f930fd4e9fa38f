#pragma once
#include "elementwise_math.hpp"
#include "nn/tensor.hpp"

namespace nn::cpu {

// out = a (op) b with a and b broadcast to out's shape.
void binary(kernels::BinaryOp op, const Tensor& a, const Tensor& b, const Tensor& out);
// out = x * scale + shift, same shape.
void affine(const Tensor& x, double scale, double shift, const Tensor& out);
// out (bigger) = x broadcast to out's shape.
void broadcast_to(const Tensor& x, const Tensor& out);

}  // namespace nn::cpu
