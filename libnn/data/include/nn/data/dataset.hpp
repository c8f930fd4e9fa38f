#pragma once
// What the data loader reads from: N samples, each an 8-bit image [C,H,W]
// and `label_count` float labels.
#include <cstdint>

#include "nn/tensor.hpp"

namespace nn::data {

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual std::int64_t size() const = 0;
  virtual Shape image_shape() const = 0;  // [C,H,W]
  virtual std::int64_t label_count() const = 0;
  // Copies sample i into the given buffers (C*H*W bytes, label_count floats).
  virtual void read(std::int64_t i, std::uint8_t* image, float* labels) const = 0;
};

}  // namespace nn::data
