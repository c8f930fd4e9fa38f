#pragma once
// Stride-2 windows over an even-sized image whose output is half its size
// (the 4x4 stride-2 convolutions of the DCGANs and the AE-AC-GAN, and their
// transposes) read the image through its four phase planes: the cells of
// even or odd row and even or odd column, each out_h x out_w. Kernel tap k at
// offset k - pad reads phase (k - pad) mod 2 at output index
// + floor((k - pad) / 2).
#include <cstdint>

#include "geometry/conv_geometry.hpp"

namespace nn::cpu {

inline bool splits_into_phases(const geometry::PatchGeometry& g) {
  return g.stride_h == 2 && g.stride_w == 2 && g.in_h == 2 * g.out_h && g.in_w == 2 * g.out_w;
}

struct PhaseShift {
  std::int64_t phase, shift;
};

// The phase plane and the shift in it of the input cell 2 * o + offset.
inline PhaseShift phase_shift(std::int64_t offset) {
  const std::int64_t shift = offset >= 0 ? offset / 2 : -((1 - offset) / 2);
  return {offset - 2 * shift, shift};
}

}  // namespace nn::cpu
