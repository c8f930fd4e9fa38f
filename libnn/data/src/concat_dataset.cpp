#include "nn/data/concat_dataset.hpp"

#include <string>

#include "nn/error.hpp"

namespace nn::data {

ConcatDataset::ConcatDataset(std::vector<std::shared_ptr<const Dataset>> parts) : parts_(std::move(parts)) {
  if (parts_.empty()) throw Error("ConcatDataset: needs at least one data set");
  for (const auto& part : parts_) {
    if (!part) throw Error("ConcatDataset: a part is null");
    if (part->image_shape() != parts_.front()->image_shape() || part->label_count() != parts_.front()->label_count())
      throw Error("ConcatDataset: parts differ in image shape or label count (" + shape_str(part->image_shape()) +
                  " vs " + shape_str(parts_.front()->image_shape()) + ")");
    size_ += part->size();
  }
}

void ConcatDataset::read(std::int64_t i, std::uint8_t* image, float* labels) const {
  if (i < 0 || i >= size_) throw Error("ConcatDataset: sample " + std::to_string(i) + " of " + std::to_string(size_));
  for (const auto& part : parts_) {
    if (i < part->size()) return part->read(i, image, labels);
    i -= part->size();
  }
}

}  // namespace nn::data
