#pragma once
// The one mapping between 8-bit pixels and tensor values, shared by image I/O
// and libnn::data's loader: p in [0,255] <-> low + (high - low) * p / 255.
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "nn/error.hpp"

namespace nn {

// Raises nn::Error naming `op` unless low < high, both finite.
inline void check_pixel_range(const char* op, double low, double high) {
  if (!(std::isfinite(low) && std::isfinite(high) && low < high))
    throw Error(std::string(op) + ": value range [" + std::to_string(low) + ", " + std::to_string(high) +
                "] must be finite with low < high");
}

// Value of every pixel level, so that 0 maps to exactly low and 255 to exactly high.
template <class T>
std::array<T, 256> pixel_values(double low, double high) {
  std::array<T, 256> table{};
  for (int p = 0; p < 256; ++p) table[p] = static_cast<T>(low + (high - low) * (p / 255.0));
  return table;
}

// Nearest pixel level of a value; out-of-range values clamp, NaN becomes 0.
inline std::uint8_t pixel_level(double value, double low, double high) {
  const double level = (value - low) / (high - low) * 255.0;
  if (!(level > 0.0)) return 0;
  if (level >= 255.0) return 255;
  return static_cast<std::uint8_t>(level + 0.5);
}

}  // namespace nn
