// resize_bilinear (declared in preprocess.hpp): Pillow's BILINEAR resize,
// down to its fixed-point arithmetic, so that results match Pillow's exactly.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "nn/data/preprocess.hpp"
#include "nn/error.hpp"

namespace nn::data {
namespace {

// Weights are held as integers in units of 2^-22; a sum starts at half a
// unit so that the final shift rounds to nearest.
constexpr int kFractionBits = 22;

// The source pixels from `first` on and their weights for one output pixel.
struct Taps {
  int first = 0;
  std::vector<std::int64_t> weights;
};

std::vector<Taps> triangle_taps(int source, int target) {
  const double scale = static_cast<double>(source) / target;
  const double support = std::max(scale, 1.0), inverse = 1.0 / support;
  std::vector<Taps> taps(static_cast<std::size_t>(target));
  std::vector<double> weights;
  for (int o = 0; o < target; ++o) {
    const double centre = (o + 0.5) * scale;
    // Every source pixel whose centre s + 0.5 lies less than `support` away.
    const int first = std::max(0, static_cast<int>(std::floor(centre - support + 0.5)));
    const int end = std::min(source, static_cast<int>(std::floor(centre + support + 0.5)));
    weights.clear();
    double sum = 0.0;
    for (int s = first; s < end; ++s) {
      weights.push_back(std::max(0.0, 1.0 - std::abs((s - centre + 0.5) * inverse)));
      sum += weights.back();
    }
    taps[o].first = first;
    for (double weight : weights)
      taps[o].weights.push_back(static_cast<std::int64_t>(std::floor(weight / sum * (1 << kFractionBits) + 0.5)));
  }
  return taps;
}

enum class Axis : std::uint8_t { across, down };

// One pass of the separable filter along x or y, rounded to bytes.
Image filter_pass(const Image& in, const std::vector<Taps>& taps, Axis axis) {
  const auto count = static_cast<int>(taps.size());
  Image out(axis == Axis::across ? count : in.width, axis == Axis::down ? count : in.height, in.channels);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      const Taps& t = taps[axis == Axis::across ? x : y];
      for (int c = 0; c < in.channels; ++c) {
        std::int64_t sum = std::int64_t{1} << (kFractionBits - 1);
        for (std::size_t k = 0; k < t.weights.size(); ++k) {
          const int s = t.first + static_cast<int>(k);
          sum += t.weights[k] * (axis == Axis::across ? in.at(y, s, c) : in.at(s, x, c));
        }
        out.at(y, x, c) = static_cast<std::uint8_t>(std::clamp<std::int64_t>(sum >> kFractionBits, 0, 255));
      }
    }
  return out;
}

}  // namespace

Image resize_bilinear(const Image& image, int width, int height) {
  if (image.width <= 0 || image.height <= 0 || width <= 0 || height <= 0)
    throw Error("resize_bilinear: cannot resize a " + std::to_string(image.width) + "x" +
                std::to_string(image.height) + " image to " + std::to_string(width) + "x" + std::to_string(height));
  const Image rows = filter_pass(image, triangle_taps(image.width, width), Axis::across);
  return filter_pass(rows, triangle_taps(image.height, height), Axis::down);
}

}  // namespace nn::data
