#include "nn/data/fashion_mnist.hpp"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "nn/error.hpp"

namespace nn::data {
namespace {

constexpr std::uint8_t kUnsignedByteType = 0x08;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw Error("fashion-mnist: " + path + ": " + problem);
}

// The whole decompressed content; zlib passes plain files through unchanged.
std::vector<std::uint8_t> read_gzip(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) fail(path, "no such file");
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) fail(path, "cannot open");
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint8_t> chunk(1 << 20);
  for (;;) {
    const int got = gzread(file, chunk.data(), static_cast<unsigned>(chunk.size()));
    int code = Z_OK;
    const char* message = gzerror(file, &code);
    if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      const std::string text = message ? message : "unknown zlib error";
      gzclose(file);
      fail(path, "corrupt or truncated gzip data (" + text + ")");
    }
    if (got == 0) break;
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + got);
  }
  gzclose(file);
  return bytes;
}

std::int64_t big_endian_u32(const std::uint8_t* p) {
  return (static_cast<std::int64_t>(p[0]) << 24) | (static_cast<std::int64_t>(p[1]) << 16) |
         (static_cast<std::int64_t>(p[2]) << 8) | static_cast<std::int64_t>(p[3]);
}

std::string hex_magic(const std::vector<std::uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string text = "0x";
  for (int i = 0; i < 4; ++i) {
    text += digits[bytes[static_cast<std::size_t>(i)] >> 4];
    text += digits[bytes[static_cast<std::size_t>(i)] & 15];
  }
  return text;
}

}  // namespace

const std::array<std::string_view, kFashionMnistClasses>& fashion_mnist_class_names() {
  static constexpr std::array<std::string_view, kFashionMnistClasses> names = {
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  return names;
}

IdxArray read_idx_file(const std::string& path, int expected_rank) {
  std::vector<std::uint8_t> bytes = read_gzip(path);
  if (bytes.size() < 4) fail(path, "too short for an IDX header (" + std::to_string(bytes.size()) + " bytes)");
  if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != kUnsignedByteType) {
    fail(path, "not an IDX file of unsigned bytes (magic " + hex_magic(bytes) + ", expected 0x000008" +
                   (expected_rank < 16 ? "0" : "") + std::to_string(expected_rank) + ")");
  }
  if (bytes[3] != expected_rank) {
    fail(path, "has " + std::to_string(bytes[3]) + " dimensions, expected " + std::to_string(expected_rank));
  }
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(expected_rank);
  if (bytes.size() < header) fail(path, "truncated inside the IDX header");
  IdxArray array;
  std::int64_t count = 1;
  for (int d = 0; d < expected_rank; ++d) {
    const std::int64_t dim = big_endian_u32(&bytes[4 + 4 * static_cast<std::size_t>(d)]);
    if (dim > 0 && count > std::numeric_limits<std::int64_t>::max() / 4 / dim) fail(path, "dimensions are too large");
    count *= dim;
    array.dims.push_back(dim);
  }
  const auto body = static_cast<std::int64_t>(bytes.size() - header);
  if (body < count) {
    fail(path, "truncated: " + std::to_string(body) + " bytes of data, expected " + std::to_string(count));
  }
  if (body > count) fail(path, "has " + std::to_string(body - count) + " bytes after the data");
  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header));
  array.values = std::move(bytes);
  return array;
}

FashionMnist::FashionMnist(std::vector<std::uint8_t> images, std::vector<std::uint8_t> labels)
    : images_(std::move(images)), labels_(std::move(labels)) {
  const std::size_t pixels = static_cast<std::size_t>(kFashionMnistSide) * kFashionMnistSide;
  if (images_.size() != labels_.size() * pixels) {
    throw Error("fashion-mnist: " + std::to_string(images_.size()) + " image bytes do not hold " +
                std::to_string(labels_.size()) + " images of 28x28");
  }
}

void FashionMnist::read(std::int64_t i, std::uint8_t* image, float* labels) const {
  const int target = label(i);  // checks i
  const std::size_t pixels = static_cast<std::size_t>(kFashionMnistSide) * kFashionMnistSide;
  std::copy_n(images_.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(i) * pixels), pixels, image);
  std::fill_n(labels, kFashionMnistClasses, 0.0f);
  labels[target] = 1.0f;
}

int FashionMnist::label(std::int64_t i) const {
  if (i < 0 || i >= size()) {
    throw Error("fashion-mnist: sample " + std::to_string(i) + " is outside 0.." + std::to_string(size() - 1));
  }
  return labels_[static_cast<std::size_t>(i)];
}

std::string fashion_mnist_images_path(const std::string& dir, FashionMnistSplit split) {
  return (std::filesystem::path(dir) /
          (split == FashionMnistSplit::train ? "train-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte.gz"))
      .string();
}

std::string fashion_mnist_labels_path(const std::string& dir, FashionMnistSplit split) {
  return (std::filesystem::path(dir) /
          (split == FashionMnistSplit::train ? "train-labels-idx1-ubyte.gz" : "t10k-labels-idx1-ubyte.gz"))
      .string();
}

bool fashion_mnist_available(const std::string& dir, FashionMnistSplit split) {
  std::error_code error;
  return std::filesystem::is_regular_file(fashion_mnist_images_path(dir, split), error) &&
         std::filesystem::is_regular_file(fashion_mnist_labels_path(dir, split), error);
}

std::shared_ptr<FashionMnist> load_fashion_mnist(FashionMnistSplit split, const std::string& dir) {
  const std::string images_path = fashion_mnist_images_path(dir, split);
  const std::string labels_path = fashion_mnist_labels_path(dir, split);
  IdxArray images = read_idx_file(images_path, 3);
  IdxArray labels = read_idx_file(labels_path, 1);
  if (images.dims[1] != kFashionMnistSide || images.dims[2] != kFashionMnistSide) {
    fail(images_path, "images are " + std::to_string(images.dims[1]) + "x" + std::to_string(images.dims[2]) +
                          ", expected 28x28");
  }
  if (images.dims[0] == 0) fail(images_path, "holds no images");
  if (images.dims[0] != labels.dims[0]) {
    fail(labels_path, "holds " + std::to_string(labels.dims[0]) + " labels but " + images_path + " holds " +
                          std::to_string(images.dims[0]) + " images");
  }
  for (std::size_t i = 0; i < labels.values.size(); ++i) {
    if (labels.values[i] >= kFashionMnistClasses) {
      fail(labels_path, "label " + std::to_string(labels.values[i]) + " of item " + std::to_string(i) +
                            " is not a class 0..9");
    }
  }
  return std::make_shared<FashionMnist>(std::move(images.values), std::move(labels.values));
}

}  // namespace nn::data
