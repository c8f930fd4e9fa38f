#include "cpu/broadcast.hpp"

namespace nn::cpu {

BroadcastIndex::BroadcastIndex(const Shape& input, const Shape& output)
    : out_sizes_(output), strides_(output.size(), 0) {
  const std::size_t lead = output.size() - input.size();
  std::int64_t stride = 1;
  for (std::size_t k = input.size(); k-- > 0;) {
    strides_[lead + k] = input[k] == 1 ? 0 : stride;
    stride *= input[k];
  }
}

std::int64_t BroadcastIndex::operator()(std::int64_t i) const {
  std::int64_t offset = 0;
  for (std::size_t k = out_sizes_.size(); k-- > 0 && i > 0;) {
    const std::int64_t coord = i % out_sizes_[k];
    i /= out_sizes_[k];
    offset += coord * strides_[k];
  }
  return offset;
}

}  // namespace nn::cpu
