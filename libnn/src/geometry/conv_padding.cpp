#include "geometry/conv_padding.hpp"

#include <algorithm>

namespace nn::geometry {

CudnnAxis cudnn_axis(const ConvAxis& axis) {
  const std::int64_t reach = (axis.out - 1) * axis.stride + axis.kernel;
  const std::int64_t pad_after = reach - axis.pad_before - axis.in;
  const std::int64_t excess = axis.pad_before - pad_after;
  CudnnAxis result;
  if (excess >= 0 && excess < axis.stride) {
    result.pad = axis.pad_before;
    result.extent = axis.in;
    result.held = axis.in;
    return result;
  }
  result.copied = true;
  result.extent = reach;
  result.offset = axis.pad_before;
  result.held = std::clamp<std::int64_t>(reach - axis.pad_before, 0, axis.in);
  return result;
}

}  // namespace nn::geometry
