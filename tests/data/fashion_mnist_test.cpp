#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nn/data/data_loader.hpp>
#include <nn/error.hpp>

#include "celeba_fixture.hpp"
#include "nn/data/fashion_mnist.hpp"

using namespace nn::data;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> idx_header(std::uint8_t rank, const std::vector<std::uint32_t>& dims,
                                     std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> bytes = {0, 0, type, rank};
  for (std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(d >> shift));
  }
  return bytes;
}

void write_gzip(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  gzFile file = gzopen(path.string().c_str(), "wb");
  REQUIRE(file != nullptr);
  REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(file) == Z_OK);
}

// Three 28x28 images (pixel (y, x) of image i = (i * 50 + y + x) % 256) and their labels.
struct SmallSet {
  std::vector<std::uint8_t> images, labels = {3, 0, 9};
  SmallSet() {
    images = idx_header(3, {3, 28, 28});
    for (int i = 0; i < 3; ++i)
      for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) images.push_back(static_cast<std::uint8_t>((i * 50 + y + x) % 256));
    std::vector<std::uint8_t> header = idx_header(1, {3});
    labels.insert(labels.begin(), header.begin(), header.end());
  }
  void write(const fs::path& dir) const {
    write_gzip(dir / "train-images-idx3-ubyte.gz", images);
    write_gzip(dir / "train-labels-idx1-ubyte.gz", labels);
  }
};

}  // namespace

TEST_CASE("fashion-mnist: the installed dataset loads", "[fashion_mnist]") {
  if (!fashion_mnist_available(kFashionMnistDir, FashionMnistSplit::train) ||
      !fashion_mnist_available(kFashionMnistDir, FashionMnistSplit::test)) {
    WARN("Fashion-MNIST is not installed in " << kFashionMnistDir
                                              << " (Debian package dataset-fashion-mnist); skipping");
    return;
  }
  const auto train = load_fashion_mnist(FashionMnistSplit::train);
  const auto test = load_fashion_mnist(FashionMnistSplit::test);
  CHECK(train->size() == 60000);
  CHECK(test->size() == 10000);
  CHECK(train->image_shape() == nn::Shape{1, 28, 28});
  CHECK(train->label_count() == 10);
  // The first labels of each split, as published with the dataset.
  const std::vector<int> first_train = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, first_test = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
  for (int i = 0; i < 10; ++i) {
    CHECK(train->label(i) == first_train[static_cast<std::size_t>(i)]);
    CHECK(test->label(i) == first_test[static_cast<std::size_t>(i)]);
  }
  std::vector<int> per_class(10, 0);
  for (std::int64_t i = 0; i < train->size(); ++i) ++per_class[static_cast<std::size_t>(train->label(i))];
  CHECK(per_class == std::vector<int>(10, 6000));

  std::vector<std::uint8_t> image(28 * 28);
  std::vector<float> onehot(10);
  train->read(0, image.data(), onehot.data());
  long sum = 0;
  for (std::uint8_t p : image) sum += p;
  CHECK(sum == 76247);
  CHECK(onehot == std::vector<float>{0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
}

TEST_CASE("fashion-mnist: a small gzip IDX pair reads back exactly", "[fashion_mnist]") {
  celeba_fixture::TempDir dir;
  const SmallSet set;
  set.write(dir.path());
  const auto data = load_fashion_mnist(FashionMnistSplit::train, dir.str());
  REQUIRE(data->size() == 3);
  std::vector<std::uint8_t> image(28 * 28);
  std::vector<float> labels(10, -1.0f);
  data->read(2, image.data(), labels.data());
  CHECK(image[0] == 100);
  CHECK(image[27 * 28 + 27] == 154);
  CHECK(labels == std::vector<float>{0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  CHECK(data->label(0) == 3);
  CHECK_THROWS_WITH(data->label(3), Contains("outside"));
  CHECK_THROWS_WITH(data->read(-1, image.data(), labels.data()), Contains("sample -1 is outside 0..2"));

  nn::data::DataLoader loader(data, nn::data::DataLoaderOptions().batch_size(3).shuffle(false).range(0.0, 1.0));
  loader.start_epoch(0);
  const auto batch = loader.next();
  REQUIRE(batch.has_value());
  CHECK(batch->images.shape() == nn::Shape{3, 1, 28, 28});
  CHECK(batch->labels.shape() == nn::Shape{3, 10});
  CHECK(batch->labels.to_vector<float>()[3] == 1.0f);

  const IdxArray raw = read_idx_file((dir.path() / "train-labels-idx1-ubyte.gz").string(), 1);
  CHECK(raw.dims == std::vector<std::int64_t>{3});
  CHECK(raw.values == std::vector<std::uint8_t>{3, 0, 9});
}

TEST_CASE("fashion-mnist: broken files raise errors naming the file", "[fashion_mnist]") {
  celeba_fixture::TempDir dir;
  const SmallSet set;
  const fs::path images = dir.path() / "train-images-idx3-ubyte.gz";
  const fs::path labels = dir.path() / "train-labels-idx1-ubyte.gz";
  const auto load = [&] { return load_fashion_mnist(FashionMnistSplit::train, dir.str()); };

  SECTION("missing") {
    CHECK_THROWS_WITH(load(), Contains(images.string()) && Contains("no such file"));
  }
  SECTION("wrong magic") {
    set.write(dir.path());
    write_gzip(labels, idx_header(3, {3, 28, 28}));
    CHECK_THROWS_WITH(load(), Contains(labels.string()) && Contains("dimensions"));
    std::vector<std::uint8_t> bad = set.images;
    bad[2] = 0x0D;  // floats, not bytes
    write_gzip(images, bad);
    CHECK_THROWS_WITH(load(), Contains(images.string()) && Contains("magic 0x00000d03"));
  }
  SECTION("truncated data") {
    set.write(dir.path());
    std::vector<std::uint8_t> cut(set.images.begin(), set.images.end() - 100);
    write_gzip(images, cut);
    CHECK_THROWS_WITH(load(), Contains(images.string()) && Contains("truncated"));
    write_gzip(images, std::vector<std::uint8_t>(set.images.begin(), set.images.begin() + 10));
    CHECK_THROWS_WITH(load(), Contains(images.string()) && Contains("header"));
  }
  SECTION("truncated gzip stream") {
    set.write(dir.path());
    std::ifstream in(images, std::ios::binary);
    const std::vector<char> compressed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    in.close();
    std::ofstream(images, std::ios::binary | std::ios::trunc)
        .write(compressed.data(), static_cast<std::streamsize>(compressed.size() / 2));
    CHECK_THROWS_WITH(load(), Contains(images.string()) && Contains("gzip"));
  }
  SECTION("trailing bytes") {
    set.write(dir.path());
    std::vector<std::uint8_t> longer = set.labels;
    longer.push_back(1);
    write_gzip(labels, longer);
    CHECK_THROWS_WITH(load(), Contains(labels.string()) && Contains("1 bytes after the data"));
  }
  SECTION("counts disagree") {
    set.write(dir.path());
    std::vector<std::uint8_t> two = idx_header(1, {2});
    two.push_back(1);
    two.push_back(2);
    write_gzip(labels, two);
    CHECK_THROWS_WITH(load(), Contains(labels.string()) && Contains(images.string()) && Contains("2 labels"));
  }
  SECTION("wrong image size") {
    set.write(dir.path());
    std::vector<std::uint8_t> small = idx_header(3, {3, 27, 28});
    small.resize(small.size() + 3 * 27 * 28, 7);
    write_gzip(images, small);
    CHECK_THROWS_WITH(load(), Contains(images.string()) && Contains("27x28"));
  }
  SECTION("label out of range") {
    set.write(dir.path());
    std::vector<std::uint8_t> bad = set.labels;
    bad.back() = 12;
    write_gzip(labels, bad);
    CHECK_THROWS_WITH(load(), Contains(labels.string()) && Contains("label 12 of item 2"));
  }
}
