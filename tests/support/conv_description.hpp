#pragma once
// How the convolution tests name a case in their failure messages.
#include <string>

#include <nn/nn.hpp>

namespace nn::testing {

inline std::string describe_conv(const Shape& x, const Shape& w, Size2d stride, Padding2d padding) {
  return "x " + shape_str(x) + " w " + shape_str(w) + " stride " + std::to_string(stride.h) + "x" +
         std::to_string(stride.w) + " pad " + std::to_string(padding.top) + "/" + std::to_string(padding.bottom) +
         "/" + std::to_string(padding.left) + "/" + std::to_string(padding.right);
}

}  // namespace nn::testing
