#pragma once
// A small in-memory data set for the evaluation tests: each image shows one of
// four shapes (its class: a horizontal bar, a vertical bar, a filled square, a
// hollow square) at a random place on a noisy background, in any square size
// and channel count. Labels are one-hot. Every image is a pure function of
// (seed, index).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/random_stream.hpp"

namespace nn::testing {

class PatternImages : public data::Dataset {
 public:
  static constexpr std::int64_t kClasses = 4;

  PatternImages(std::int64_t count, std::int64_t size, std::int64_t channels, std::uint64_t seed)
      : count_(count), size_(size), channels_(channels), seed_(seed) {}

  std::int64_t size() const override { return count_; }
  Shape image_shape() const override { return {channels_, size_, size_}; }
  std::int64_t label_count() const override { return kClasses; }
  int label(std::int64_t i) const { return static_cast<int>(i % kClasses); }

  void read(std::int64_t i, std::uint8_t* image, float* labels) const override {
    RandomStream stream(seed_ * 1000003ULL + static_cast<std::uint64_t>(i));
    const int k = label(i);
    const std::int64_t s = size_, thick = std::max<std::int64_t>(2, s / 8), side = k == 2 ? s / 3 : s / 2;
    const auto place = [&](std::int64_t extent) {
      return static_cast<std::int64_t>(stream.next_double() * static_cast<double>(s - extent + 1));
    };
    const std::int64_t top = place(k == 1 ? s : (k == 0 ? thick : side)),
                       left = place(k == 0 ? s : (k == 1 ? thick : side));
    const auto on = [&](std::int64_t y, std::int64_t x) {
      switch (k) {
        case 0:
          return y >= top && y < top + thick;
        case 1:
          return x >= left && x < left + thick;
        case 2:
          return y >= top && y < top + side && x >= left && x < left + side;
        default: {
          const bool inside = y >= top && y < top + side && x >= left && x < left + side;
          const bool core = y >= top + thick && y < top + side - thick && x >= left + thick && x < left + side - thick;
          return inside && !core;
        }
      }
    };
    for (std::int64_t c = 0; c < channels_; ++c)
      for (std::int64_t y = 0; y < s; ++y)
        for (std::int64_t x = 0; x < s; ++x)
          *image++ = static_cast<std::uint8_t>((on(y, x) ? 200 : 30) + stream.next_uint32() % 40);
    for (int j = 0; j < kClasses; ++j) labels[j] = j == k ? 1.0f : 0.0f;
  }

 private:
  std::int64_t count_, size_, channels_;
  std::uint64_t seed_;
};

}  // namespace nn::testing
