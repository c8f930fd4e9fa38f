#pragma once
// The CPU side of libnn that a user may touch directly.

namespace nn {

// Winograd convolutions for f32 on the CPU: stride-1 3x3 convolutions, and
// stride-2 5x5 ones (padding 1 or 2) through the image's 2x2 blocks, in the
// forward pass and the input gradient, where 32 or more channels on each
// side make it pay. They need 2.8 (5x5) to 4 (3x3) times fewer
// multiply-adds than the direct convolution and differ from it by a few
// units in the fifth significant digit. On by default; off, every f32
// convolution is the direct one. f64 is always direct.
void set_cpu_winograd(bool enabled);
bool cpu_winograd_enabled();

}  // namespace nn
