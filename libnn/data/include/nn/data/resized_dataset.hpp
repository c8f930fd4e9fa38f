#pragma once
// Another data set's images scaled to size x size by resize_bilinear
// (Pillow's BILINEAR resize), e.g. Fashion-MNIST's 28x28 at 64x64; labels
// pass through unchanged. Each read resizes afresh: nothing is cached.
#include <memory>

#include "nn/data/dataset.hpp"

namespace nn::data {

class ResizedDataset final : public Dataset {
 public:
  ResizedDataset(std::shared_ptr<const Dataset> source, int size);

  std::int64_t size() const override { return source_->size(); }
  Shape image_shape() const override;  // [C, size, size], C the source's
  std::int64_t label_count() const override { return source_->label_count(); }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override;

 private:
  std::shared_ptr<const Dataset> source_;
  int size_;
};

}  // namespace nn::data
