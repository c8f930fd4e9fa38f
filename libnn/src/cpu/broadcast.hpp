#pragma once
// Walks an output shape and yields, for each output element, the offset of
// the element of a broadcast input it reads. Inputs are aligned on trailing
// dimensions; a size-1 (or missing) dimension has stride 0.
#include <cstdint>
#include <vector>

#include "nn/tensor.hpp"

namespace nn::cpu {

class BroadcastIndex {
 public:
  BroadcastIndex(const Shape& input, const Shape& output);
  // Offset into the input for output element i.
  std::int64_t operator()(std::int64_t i) const;
  // Stride of the input along the output's last dimension (0 or 1).
  std::int64_t inner_stride() const { return strides_.empty() ? 0 : strides_.back(); }

 private:
  std::vector<std::int64_t> out_sizes_;
  std::vector<std::int64_t> strides_;
};

}  // namespace nn::cpu
