#pragma once
// Several data sets of the same image shape and label count read as one:
// the samples of the first, then those of the second, and so on.
#include <memory>
#include <vector>

#include "nn/data/dataset.hpp"

namespace nn::data {

class ConcatDataset final : public Dataset {
 public:
  explicit ConcatDataset(std::vector<std::shared_ptr<const Dataset>> parts);

  std::int64_t size() const override { return size_; }
  Shape image_shape() const override { return parts_.front()->image_shape(); }
  std::int64_t label_count() const override { return parts_.front()->label_count(); }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override;

 private:
  std::vector<std::shared_ptr<const Dataset>> parts_;
  std::int64_t size_ = 0;
};

}  // namespace nn::data
