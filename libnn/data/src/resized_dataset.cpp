#include "nn/data/resized_dataset.hpp"

#include <string>
#include <vector>

#include "nn/data/preprocess.hpp"
#include "nn/error.hpp"

namespace nn::data {

ResizedDataset::ResizedDataset(std::shared_ptr<const Dataset> source, int size)
    : source_(std::move(source)), size_(size) {
  if (!source_) throw Error("ResizedDataset: the source data set is null");
  if (size_ < 1) throw Error("ResizedDataset: size must be at least 1, got " + std::to_string(size_));
  if (source_->image_shape().size() != 3)
    throw Error("ResizedDataset: the source's image shape must be [C,H,W], got " + shape_str(source_->image_shape()));
}

Shape ResizedDataset::image_shape() const { return {source_->image_shape()[0], size_, size_}; }

void ResizedDataset::read(std::int64_t i, std::uint8_t* image, float* labels) const {
  if (i < 0 || i >= size())
    throw Error("ResizedDataset: sample " + std::to_string(i) + " of " + std::to_string(size()));
  const Shape shape = source_->image_shape();
  const auto channels = static_cast<int>(shape[0]), height = static_cast<int>(shape[1]),
             width = static_cast<int>(shape[2]);
  std::vector<std::uint8_t> planar(static_cast<std::size_t>(shape_numel(shape)));
  source_->read(i, planar.data(), labels);
  // The data set's planes [C,H,W] to the image's interleaved pixels [H,W,C] and back.
  const std::size_t plane = static_cast<std::size_t>(width) * height;
  Image source(width, height, channels);
  for (int c = 0; c < channels; ++c)
    for (std::size_t p = 0; p < plane; ++p) source.pixels[p * channels + c] = planar[c * plane + p];
  const Image resized = resize_bilinear(source, size_, size_);
  const std::size_t out_plane = static_cast<std::size_t>(size_) * size_;
  for (int c = 0; c < channels; ++c)
    for (std::size_t p = 0; p < out_plane; ++p) image[c * out_plane + p] = resized.pixels[p * channels + c];
}

}  // namespace nn::data
