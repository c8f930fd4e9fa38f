#pragma once
// Which output positions each kernel tap of a patch geometry reads inside
// the image: shared by im2col/col2im and the tap-wise convolutions.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "geometry/conv_geometry.hpp"

namespace nn::cpu {

// The output positions [lo, hi) whose input index o*stride + offset falls
// inside [0, size); offset is the kernel tap minus the leading padding.
struct Span {
  std::int64_t lo, hi;
};

inline Span valid_outputs(std::int64_t out, std::int64_t size, std::int64_t stride, std::int64_t offset) {
  const std::int64_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const std::int64_t hi = offset >= size ? 0 : (size - offset + stride - 1) / stride;
  const std::int64_t clamped_hi = std::min(hi, out);
  return {std::min(lo, clamped_hi), clamped_hi};
}

// The valid output span of every kernel row and every kernel column, computed
// once per call rather than once per (image, channel, tap).
struct TapSpans {
  std::vector<Span> rows, cols;
};

inline TapSpans tap_spans(const geometry::PatchGeometry& g) {
  TapSpans s;
  for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
    s.rows.push_back(valid_outputs(g.out_h, g.in_h, g.stride_h, ki - g.pad_top));
  for (std::int64_t kj = 0; kj < g.kernel_w; ++kj)
    s.cols.push_back(valid_outputs(g.out_w, g.in_w, g.stride_w, kj - g.pad_left));
  return s;
}

}  // namespace nn::cpu
