#pragma once
// How one spatial axis of a libnn convolution maps onto cuDNN, which pads the
// same amount before and after. Host code, independent of CUDA, so that it is
// tested anywhere.
//
// libnn's axis (geometry::PatchGeometry): output o reads input row
// o * stride - pad_before + k for k in [0, kernel), rows outside [0, in) read
// as zero; `out` is given, so the padding after is whatever that needs (and
// trailing rows may go unread). With the symmetric cuDNN padding p = pad_before
// the rows read are the same, and cuDNN's output length
// floor((in + 2p - kernel) / stride) + 1 equals `out` exactly when
// 0 <= pad_before - pad_after < stride, pad_after = (out - 1) * stride + kernel
// - pad_before - in. That is the direct case (Keras `same` with an even total,
// symmetric explicit padding, most transposed layers).
//
// Otherwise (an odd `same` total such as k=3 s=2 or k=8 s=1, explicit
// asymmetric padding, a transposed layer's output padding) cuDNN gets a copy
// of the input in a zeroed buffer of extent (out - 1) * stride + kernel, input
// row i at buffer row i + pad_before, and no padding of its own: output o then
// reads buffer rows o * stride + k, the same input rows, and the length is
// `out`. Since the copy is linear, the passes follow:
//   forward          y = conv(pad(x))
//   backward data    grad_x = crop(conv^T(grad_y)), crop = pad^T: buffer row
//                    i + pad_before back to input row i, zero for input rows
//                    the buffer does not hold
//   backward weight  grad_w = conv_w^T(pad(x), grad_y)
// and a transposed convolution, built by the seam from the same three passes
// over the conv it is the adjoint of, inherits all of it.
#include <cstdint>

namespace nn::geometry {

struct ConvAxis {
  std::int64_t in = 0, out = 0, kernel = 0, stride = 1, pad_before = 0;
};

struct CudnnAxis {
  bool copied = false;      // cuDNN reads a padded copy of the input
  std::int64_t pad = 0;     // cuDNN's padding, before and after
  std::int64_t extent = 0;  // length of the input cuDNN reads
  std::int64_t offset = 0;  // input row i sits at row i + offset of what cuDNN reads
  // Input rows [0, held) appear in what cuDNN reads; held < in only when
  // the last rows are never read.
  std::int64_t held = 0;
};

CudnnAxis cudnn_axis(const ConvAxis& axis);

}  // namespace nn::geometry
