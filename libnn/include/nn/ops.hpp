#pragma once
// Differentiable operations. Each checks its arguments (raising nn::Error that
// names the op and the shapes), runs on the device of its inputs and records
// itself for autograd. All tensor arguments of one call share dtype and device.
#include <cstdint>
#include <vector>

#include "nn/tensor.hpp"

namespace nn {

// ---- elementwise, with NumPy broadcasting (trailing dimensions aligned) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, double b);
Tensor mul(const Tensor& a, double b);
Tensor neg(const Tensor& a);
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(const Tensor& a, double b);
Tensor operator-(const Tensor& a);
// The broadcast shape of a and b, or nn::Error naming `op` and both shapes.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// ---- reductions ----
Tensor sum(const Tensor& x);
Tensor mean(const Tensor& x);
Tensor sum(const Tensor& x, const std::vector<std::int64_t>& dims, bool keepdim = false);
Tensor mean(const Tensor& x, const std::vector<std::int64_t>& dims, bool keepdim = false);
// Sums x down to `shape`, the inverse of broadcasting `shape` up to x's shape.
Tensor sum_to(const Tensor& x, const Shape& shape);

// ---- matrix products (row-major; CPU through BLAS gemm) ----
// [M,K] x [K,N] -> [M,N]; the flags use a^T or b^T in place of a or b.
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);
// x [N,in] . w[out,in]^T + b[out]; b may be undefined.
Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b);

// ---- convolution and pooling (NCHW) ----
struct Size2d {
  std::int64_t h = 1, w = 1;
};
// Zero padding per side. Asymmetric padding is how Keras' `same` works when
// the total padding is odd: the extra row/column goes to the bottom/right.
struct Padding2d {
  std::int64_t top = 0, bottom = 0, left = 0, right = 0;
  static Padding2d symmetric(std::int64_t ph, std::int64_t pw) { return {ph, ph, pw, pw}; }
  bool operator==(const Padding2d&) const = default;
};
// Keras `same` for a convolution: output = ceil(input / stride).
Padding2d same_padding(Size2d input, Size2d kernel, Size2d stride);
// Keras `same` for a transposed convolution: the padding of a `same` conv on
// the output size, max(kernel - stride, 0) split as above. The output is
// input * stride when kernel >= stride; otherwise output_padding
// stride - kernel is needed as well (ConvTranspose2d adds it).
Padding2d same_padding_transposed(Size2d kernel, Size2d stride);
// Output size along one axis of conv2d and conv_transpose2d.
std::int64_t conv_output_size(std::int64_t in, std::int64_t k, std::int64_t stride,
                              std::int64_t pad_before, std::int64_t pad_after);
std::int64_t conv_transpose_output_size(std::int64_t in, std::int64_t k, std::int64_t stride,
                                        std::int64_t pad_before, std::int64_t pad_after,
                                        std::int64_t output_padding);

// x [N,C,H,W], w [O,C,kh,kw], b [O] or undefined -> [N,O,Ho,Wo].
Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b, Size2d stride, Padding2d padding);
// The adjoint of conv2d with the same stride and padding (PyTorch layout):
// x [N,C,H,W], w [C,O,kh,kw], b [O] or undefined -> [N,O,Ho,Wo] with
// Ho = (H-1)*stride - top - bottom + kh + output_padding.h.
Tensor conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b, Size2d stride,
                        Padding2d padding, Size2d output_padding = {0, 0});
// Max over windows; padded cells never win.
Tensor max_pool2d(const Tensor& x, Size2d kernel, Size2d stride, Padding2d padding = {});

// ---- normalisation ----
// x [N,C] or [N,C,H,W]; statistics per channel C. weight and bias [C] may be
// undefined. Training normalises with the batch's biased variance and updates
// the running buffers in place (PyTorch's convention:
// running = (1 - momentum) * running + momentum * batch, unbiased variance);
// inference uses the running buffers.
Tensor batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                  const Tensor& running_mean, const Tensor& running_var, bool training,
                  double momentum = 0.1, double eps = 1e-5);

// ---- activations ----
Tensor leaky_relu(const Tensor& x, double alpha);
Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);

// ---- regularisers, random (draws from the global generator) ----
// Inverted dropout: kept values are scaled by 1/(1-rate); identity when !training.
Tensor dropout(const Tensor& x, double rate, bool training);
// Adds N(0, stddev^2) noise when training; identity otherwise.
Tensor gaussian_noise(const Tensor& x, double stddev, bool training);

// ---- classification ----
// The column of the largest value in each row of x [N, C] (the first on
// ties), as [N] class ids in x's dtype; not differentiable.
Tensor argmax(const Tensor& x);

// ---- shape ----
Tensor reshape(const Tensor& x, const Shape& shape);
// [N, ...] -> [N, prod(...)]
Tensor flatten(const Tensor& x);
Tensor concat(const std::vector<Tensor>& xs, std::int64_t dim);

// ---- in place (never recorded by autograd) ----
// Copies src's values into dst's storage; same shape, dtypes and devices may differ.
void copy_(const Tensor& dst, const Tensor& src);

}  // namespace nn
