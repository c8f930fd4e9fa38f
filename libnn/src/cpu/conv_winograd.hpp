#pragma once
// Routes the f32 convolutions that Winograd's F(4x4, 3x3) speeds up to
// winograd_conv3x3: stride-1 3x3 convolutions as they are, and stride-2
// convolutions through the 2x2 space-to-depth view of their input, in which
// they are stride-1 convolutions over four times the channels; a kernel that
// covers 3x3 cells of that view (5x5 with padding 1 or 2) qualifies. The
// input gradient is the convolution of the output gradient with the flipped
// kernel, so it takes the same route.
#include "geometry/conv_geometry.hpp"

namespace nn::cpu {

// y = conv(x, w) by Winograd and true, or false (nothing written) when the
// geometry does not qualify, Winograd is switched off (nn::set_cpu_winograd),
// or it would not save enough work.
bool winograd_forward(const float* x, const float* w, const geometry::ConvGeometry& g, float* y);
// grad_x = the input gradient of conv(., w) for grad_y, on the same terms.
bool winograd_backward_data(const float* grad_y, const float* w, const geometry::ConvGeometry& g, float* grad_x);

}  // namespace nn::cpu
