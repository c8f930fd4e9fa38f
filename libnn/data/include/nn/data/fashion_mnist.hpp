#pragma once
// Fashion-MNIST (Zalando's 28x28 grey clothing images, 10 classes) from its
// gzip IDX files, as Debian's dataset-fashion-mnist installs them:
//   /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
// Every malformed file (bad gzip, wrong magic, wrong sizes, counts that
// disagree, truncation, trailing bytes, labels above 9) raises nn::Error
// naming the file.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nn/data/dataset.hpp"

namespace nn::data {

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
inline constexpr int kFashionMnistClasses = 10;
inline constexpr int kFashionMnistSide = 28;

// Class names in label order.
const std::array<std::string_view, kFashionMnistClasses>& fashion_mnist_class_names();

enum class FashionMnistSplit { train, test };

// An IDX file of unsigned bytes: its dimensions and its values, row-major.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> values;
};

// Reads a gzip-compressed (or plain) IDX file of type unsigned byte with
// `expected_rank` dimensions.
IdxArray read_idx_file(const std::string& path, int expected_rank);

// The images as a Dataset of 1x28x28 bytes. Labels are one-hot: 10 floats,
// 1 at the class; label(i) gives the class index itself.
class FashionMnist : public Dataset {
 public:
  FashionMnist(std::vector<std::uint8_t> images, std::vector<std::uint8_t> labels);

  std::int64_t size() const override { return static_cast<std::int64_t>(labels_.size()); }
  Shape image_shape() const override { return {1, kFashionMnistSide, kFashionMnistSide}; }
  std::int64_t label_count() const override { return kFashionMnistClasses; }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override;
  int label(std::int64_t i) const;

 private:
  std::vector<std::uint8_t> images_, labels_;
};

// The file names of a split inside `dir`.
std::string fashion_mnist_images_path(const std::string& dir, FashionMnistSplit split);
std::string fashion_mnist_labels_path(const std::string& dir, FashionMnistSplit split);
// Whether both files of a split are present.
bool fashion_mnist_available(const std::string& dir = kFashionMnistDir,
                             FashionMnistSplit split = FashionMnistSplit::train);
// Reads and validates one split (60000 train or 10000 test images).
std::shared_ptr<FashionMnist> load_fashion_mnist(FashionMnistSplit split, const std::string& dir = kFashionMnistDir);

}  // namespace nn::data
