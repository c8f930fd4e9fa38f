#pragma once
// The kernel of a convolution's input gradient: w [O, C, kh, kw] with its
// taps flipped and its two channel axes swapped,
//   flipped[c, o, kh-1-i, kw-1-j] = w[o, c, i, j],
// so that the input gradient is the stride-1 forward convolution of the
// output gradient with `flipped`.
#include <cstdint>

namespace nn::cpu {

template <class T>
void flip_kernel(const T* w, std::int64_t out_channels, std::int64_t channels, std::int64_t taps, T* flipped) {
  for (std::int64_t o = 0; o < out_channels; ++o)
    for (std::int64_t c = 0; c < channels; ++c)
      for (std::int64_t t = 0; t < taps; ++t)
        flipped[(c * out_channels + o) * taps + taps - 1 - t] = w[(o * channels + c) * taps + t];
}

// The inverse: w from its flipped kernel.
template <class T>
void unflip_kernel(const T* flipped, std::int64_t out_channels, std::int64_t channels, std::int64_t taps, T* w) {
  for (std::int64_t o = 0; o < out_channels; ++o)
    for (std::int64_t c = 0; c < channels; ++c)
      for (std::int64_t t = 0; t < taps; ++t)
        w[(o * channels + c) * taps + t] = flipped[(c * out_channels + o) * taps + taps - 1 - t];
}

}  // namespace nn::cpu
