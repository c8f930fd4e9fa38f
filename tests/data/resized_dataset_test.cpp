#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/data/resized_dataset.hpp"
#include "nn/error.hpp"

using namespace nn::data;
using Catch::Matchers::Contains;

namespace {

// Two samples of two channels, one row of two pixels each ([C,H,W] = [2,1,2]),
// with three labels.
class TinyDataset final : public Dataset {
 public:
  std::int64_t size() const override { return 2; }
  nn::Shape image_shape() const override { return {2, 1, 2}; }
  std::int64_t label_count() const override { return 3; }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override {
    const std::uint8_t pixels[2][4] = {{10, 61, 200, 100}, {0, 255, 7, 7}};
    std::copy_n(pixels[i], 4, image);
    for (int k = 0; k < 3; ++k) labels[k] = static_cast<float>(10 * i + k);
  }
};

std::vector<std::uint8_t> image_of(const Dataset& data, std::int64_t i, std::vector<float>* labels = nullptr) {
  std::vector<std::uint8_t> image(static_cast<std::size_t>(nn::shape_numel(data.image_shape())));
  std::vector<float> row(static_cast<std::size_t>(data.label_count()));
  data.read(i, image.data(), row.data());
  if (labels) *labels = row;
  return image;
}

}  // namespace

TEST_CASE("a resized data set scales each channel plane and keeps the labels", "[resized]") {
  const ResizedDataset data(std::make_shared<TinyDataset>(), 4);
  REQUIRE(data.size() == 2);
  REQUIRE(data.image_shape() == nn::Shape{2, 4, 4});
  REQUIRE(data.label_count() == 3);
  // Across, 2 -> 4 pixels: outputs centred at 0.25, 0.75, 1.25, 1.75 source
  // pixels, so (a, b) becomes a, .75a + .25b, .25a + .75b, b. Down, 1 -> 4
  // rows: every row is the one source row.
  //   (10, 61)   -> 10, 22.75, 48.25, 61   -> 10, 23, 48, 61
  //   (200, 100) -> 200, 175, 125, 100
  //   (0, 255)   -> 0, 63.75, 191.25, 255  -> 0, 64, 191, 255
  //   (7, 7)     -> 7, 7, 7, 7
  const std::vector<std::vector<std::uint8_t>> rows = {{10, 23, 48, 61}, {200, 175, 125, 100}};
  const std::vector<std::vector<std::uint8_t>> rows1 = {{0, 64, 191, 255}, {7, 7, 7, 7}};
  std::vector<float> labels;
  const std::vector<std::uint8_t> first = image_of(data, 0, &labels);
  CHECK(labels == std::vector<float>{0, 1, 2});
  const std::vector<std::uint8_t> second = image_of(data, 1, &labels);
  CHECK(labels == std::vector<float>{10, 11, 12});
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 4; ++x) {
        CHECK(first[(c * 4 + y) * 4 + x] == rows[c][x]);
        CHECK(second[(c * 4 + y) * 4 + x] == rows1[c][x]);
      }
}

TEST_CASE("Fashion-MNIST resized to 64x64", "[resized]") {
  // Image i is a constant 40*i with a bright pixel at the top-left corner.
  std::vector<std::uint8_t> images(3 * 28 * 28);
  for (int i = 0; i < 3; ++i) {
    std::fill_n(images.begin() + i * 784, 784, static_cast<std::uint8_t>(40 * i));
    images[i * 784] = 255;
  }
  const auto source = std::make_shared<FashionMnist>(std::move(images), std::vector<std::uint8_t>{4, 0, 9});
  const ResizedDataset data(source, 64);
  REQUIRE(data.size() == 3);
  REQUIRE(data.image_shape() == nn::Shape{1, 64, 64});
  REQUIRE(data.label_count() == 10);
  for (int i = 0; i < 3; ++i) {
    std::vector<float> labels;
    const std::vector<std::uint8_t> image = image_of(data, i, &labels);
    CHECK(labels[static_cast<std::size_t>(source->label(i))] == 1.0f);
    // The corner pixel spreads only into the first three output pixels each
    // way (centres 0.22, 0.66, 1.09 source pixels; the next is at 1.53).
    CHECK(image[0] == 255);
    CHECK(image[3] == 40 * i);
    CHECK(image[3 * 64] == 40 * i);
    CHECK(image[64 * 64 - 1] == 40 * i);
  }
}

TEST_CASE("a resized data set refuses bad arguments", "[resized]") {
  CHECK_THROWS_WITH(ResizedDataset(nullptr, 64), Contains("ResizedDataset") && Contains("null"));
  CHECK_THROWS_WITH(ResizedDataset(std::make_shared<TinyDataset>(), 0), Contains("ResizedDataset") && Contains("0"));
  const ResizedDataset data(std::make_shared<TinyDataset>(), 3);
  std::vector<std::uint8_t> image(18);
  std::vector<float> labels(3);
  CHECK_THROWS_WITH(data.read(2, image.data(), labels.data()), Contains("sample 2 of 2"));
}
