#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "celeba_fixture.hpp"
#include "nn/data/celeba.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/data/preprocess.hpp"
#include "nn/error.hpp"

using namespace nn::data;
using namespace celeba_fixture;
using Catch::Matchers::Contains;

namespace {

struct CacheFixture {
  TempDir dir;
  std::vector<Row> rows = make_rows(6);
  ImageCacheRequest request;

  CacheFixture() {
    write_folder(dir.path() / "celeba", rows, Layout::text);
    request.data_dir = (dir.path() / "celeba").string();
    request.cache_path = (dir.path() / "cache" / "faces.bin").string();
  }
  fs::path cache() const { return request.cache_path; }
  fs::path image(int i) const { return dir.path() / "celeba" / "img_align_celeba" / rows[i].file; }
};

// Sample i, read back through the Dataset interface.
std::vector<std::uint8_t> image_of(const nn::data::Dataset& data, std::int64_t i, std::vector<float>* labels = nullptr) {
  std::vector<std::uint8_t> image(static_cast<std::size_t>(nn::shape_numel(data.image_shape())));
  std::vector<float> row(static_cast<std::size_t>(data.label_count()));
  data.read(i, image.data(), row.data());
  if (labels) *labels = row;
  return image;
}

// The expected [C,H,W] bytes: decode, preprocess, then planar layout written here.
std::vector<std::uint8_t> expected_planar(const fs::path& path, const PreprocessOptions& options) {
  const nn::Image image = preprocess(read_celeba_image(path.string()), options, path.string());
  std::vector<std::uint8_t> planar;
  for (int c = 0; c < image.channels; ++c)
    for (int y = 0; y < image.height; ++y)
      for (int x = 0; x < image.width; ++x) planar.push_back(image.at(y, x, c));
  return planar;
}

void flip_byte(const fs::path& path, std::size_t offset) {
  std::string bytes = read_text(path);
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x5A);
  write_text(path, bytes);
}

}  // namespace

TEST_CASE("the image cache holds the preprocessed images and labels", "[cache]") {
  CacheFixture f;
  f.request.preprocess = {CropMode::face_crop, 64, Halving::area_average};
  const ImageCacheResult built = load_or_build(f.request);
  CHECK(built.built);
  CHECK(built.reason == "no cache file yet");
  CHECK(fs::exists(f.cache()));
  const ImageCacheResult read = load_or_build(f.request);
  CHECK_FALSE(read.built);
  for (const ImageCacheResult* result : {&built, &read}) {
    const nn::data::Dataset& data = *result->dataset;
    REQUIRE(data.size() == 6);
    CHECK(data.image_shape() == nn::Shape{3, 64, 64});
    REQUIRE(data.label_count() == 40);
    for (int i = 0; i < 6; ++i) {
      std::vector<float> labels;
      CHECK(image_of(data, i, &labels) == expected_planar(f.image(i), f.request.preprocess));
      for (int a = 0; a < 40; ++a) CHECK(labels[a] == (f.rows[i].values[a] == 1 ? 1.0f : 0.0f));
    }
  }
  // Nothing but the cache itself is left in its folder.
  CHECK(std::distance(fs::directory_iterator(f.cache().parent_path()), fs::directory_iterator()) == 1);
}

TEST_CASE("the image cache reports its build image by image, and nothing when it reads", "[cache]") {
  CacheFixture f;
  std::vector<std::int64_t> counts;
  f.request.progress = [&](std::int64_t done, std::int64_t total) {
    CHECK(total == 6);
    counts.push_back(done);
  };
  REQUIRE(load_or_build(f.request).built);
  CHECK(counts == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
  counts.clear();
  REQUIRE_FALSE(load_or_build(f.request).built);
  CHECK(counts.empty());
}

TEST_CASE("the image cache follows the selection and preprocessing", "[cache]") {
  CacheFixture f;
  f.request.selection = {CelebaSplit::train, 1.0};  // rows 0, 1, 4, 5
  f.request.preprocess = {CropMode::center_crop, 128, Halving::area_average};
  const ImageCacheResult result = load_or_build(f.request);
  REQUIRE(result.dataset->size() == 4);
  CHECK(result.dataset->image_shape() == nn::Shape{3, 128, 128});
  CHECK(image_of(*result.dataset, 2) == expected_planar(f.image(4), f.request.preprocess));

  f.request.selection.fraction = 0.5;
  const ImageCacheResult half = load_or_build(f.request);
  CHECK(half.built);
  CHECK(half.reason == "the selection or preprocessing parameters changed");
  CHECK(half.dataset->size() == 2);

  f.request.preprocess = {CropMode::face_crop, 64, Halving::decimate};
  const ImageCacheResult decimated = load_or_build(f.request);
  CHECK(decimated.built);
  CHECK(image_of(*decimated.dataset, 1) == expected_planar(f.image(1), f.request.preprocess));
  CHECK_FALSE(load_or_build(f.request).built);
}

TEST_CASE("the image cache is rebuilt when the source or the file changes", "[cache]") {
  CacheFixture f;
  REQUIRE(load_or_build(f.request).built);
  const std::size_t file_size = fs::file_size(f.cache());
  const std::size_t image_bytes = 3 * 64 * 64;

  SECTION("unchanged: reused") { CHECK_FALSE(load_or_build(f.request).built); }
  SECTION("an image rewritten") {
    nn::write_jpeg(f.image(3).string(), face_image(40), 95);
    fs::last_write_time(f.image(3), fs::last_write_time(f.image(3)) + std::chrono::seconds(5));
    const ImageCacheResult result = load_or_build(f.request);
    CHECK(result.built);
    CHECK(result.reason == "the source folder changed");
    CHECK(image_of(*result.dataset, 3) == expected_planar(f.image(3), f.request.preprocess));
    CHECK_FALSE(load_or_build(f.request).built);
  }
  SECTION("only an image's time changed") {
    fs::last_write_time(f.image(0), fs::last_write_time(f.image(0)) + std::chrono::seconds(5));
    CHECK(load_or_build(f.request).built);
  }
  SECTION("the attribute file edited") {
    Row row = f.rows[2];
    row.values[7] = -row.values[7];
    std::string line = row.file;
    for (int v : row.values) line += " " + std::to_string(v);
    replace_line(f.dir.path() / "celeba" / "list_attr_celeba.txt", 5, line);
    const ImageCacheResult result = load_or_build(f.request);
    CHECK(result.built);
    std::vector<float> labels;
    image_of(*result.dataset, 2, &labels);
    CHECK(labels[7] == (row.values[7] == 1 ? 1.0f : 0.0f));
  }
  SECTION("a payload byte flipped") {
    flip_byte(f.cache(), 128 + 2 * image_bytes + 100);
    const ImageCacheResult result = load_or_build(f.request);
    CHECK(result.built);
    CHECK_THAT(result.reason, Contains("checksum"));
    CHECK(image_of(*result.dataset, 2) == expected_planar(f.image(2), f.request.preprocess));
  }
  SECTION("a label byte flipped") {
    flip_byte(f.cache(), file_size - 3);
    CHECK(load_or_build(f.request).built);
  }
  SECTION("a header byte flipped") {
    flip_byte(f.cache(), 40);
    const ImageCacheResult result = load_or_build(f.request);
    CHECK(result.built);
    CHECK_THAT(result.reason, Contains("header"));
  }
  SECTION("truncated") {
    fs::resize_file(f.cache(), file_size - 1000);
    const ImageCacheResult result = load_or_build(f.request);
    CHECK(result.built);
    CHECK_THAT(result.reason, Contains("truncated"));
    CHECK(fs::file_size(f.cache()) == file_size);
  }
  SECTION("truncated inside the header") {
    fs::resize_file(f.cache(), 60);
    CHECK_THAT(load_or_build(f.request).reason, Contains("truncated"));
  }
  SECTION("empty") {
    fs::resize_file(f.cache(), 0);
    CHECK(load_or_build(f.request).built);
  }
  SECTION("trailing bytes") {
    write_text(f.cache(), read_text(f.cache()) + "extra");
    CHECK(load_or_build(f.request).built);
  }
}

TEST_CASE("the image cache refuses to overwrite a file that is not a cache", "[cache]") {
  CacheFixture f;
  fs::create_directories(f.cache().parent_path());
  write_text(f.cache(), "my precious notes, not a cache\n");
  CHECK_THROWS_WITH(load_or_build(f.request), Contains(f.cache().string()) && Contains("not an image cache"));
  CHECK(read_text(f.cache()) == "my precious notes, not a cache\n");
}

TEST_CASE("bad images stop the cache build with the file's name", "[cache]") {
  CacheFixture f;
  REQUIRE(load_or_build(f.request).built);
  const std::string before = read_text(f.cache());
  const fs::path bad = f.image(4);
  SECTION("not a JPEG") {
    write_text(bad, "GIF89a, or so it claims");
    CHECK_THROWS_WITH(load_or_build(f.request), Contains(bad.string()) && Contains("not a JPEG"));
  }
  SECTION("a truncated JPEG") {
    const std::string bytes = read_text(bad);
    write_text(bad, bytes.substr(0, bytes.size() * 2 / 3));
    CHECK_THROWS_WITH(load_or_build(f.request), Contains(bad.string()) && Contains("truncated"));
  }
  SECTION("the wrong size") {
    nn::write_jpeg(bad.string(), face_image(1, 100, 120), 95);
    CHECK_THROWS_WITH(load_or_build(f.request), Contains(bad.string()) && Contains("100x120"));
  }
  // The old cache stays as it was and no temporary file is left behind.
  CHECK(read_text(f.cache()) == before);
  CHECK(std::distance(fs::directory_iterator(f.cache().parent_path()), fs::directory_iterator()) == 1);
}

TEST_CASE("the image cache keeps tutorial crops apart from face crops of the same folder", "[cache]") {
  CacheFixture f;
  const PreprocessOptions tutorial{CropMode::tutorial_crop, 28, Halving::area_average};
  const PreprocessOptions face{CropMode::face_crop, 64, Halving::area_average};
  ImageCacheRequest face_request = f.request;
  face_request.cache_path = (f.dir.path() / "cache" / "face.bin").string();
  face_request.preprocess = face;
  f.request.preprocess = tutorial;

  REQUIRE(load_or_build(f.request).built);
  REQUIRE(load_or_build(face_request).built);
  const ImageCacheResult tutorial_read = load_or_build(f.request);
  const ImageCacheResult face_read = load_or_build(face_request);
  CHECK_FALSE(tutorial_read.built);
  CHECK_FALSE(face_read.built);
  CHECK(tutorial_read.dataset->image_shape() == nn::Shape{3, 28, 28});
  CHECK(face_read.dataset->image_shape() == nn::Shape{3, 64, 64});
  for (int i = 0; i < 6; ++i) {
    CHECK(image_of(*tutorial_read.dataset, i) == expected_planar(f.image(i), tutorial));
    CHECK(image_of(*face_read.dataset, i) == expected_planar(f.image(i), face));
  }

  SECTION("one file switched between the modes is rebuilt each time") {
    f.request.preprocess = face;
    const ImageCacheResult switched = load_or_build(f.request);
    CHECK(switched.built);
    CHECK(switched.reason == "the selection or preprocessing parameters changed");
    CHECK(image_of(*switched.dataset, 5) == expected_planar(f.image(5), face));
    f.request.preprocess = tutorial;
    CHECK(load_or_build(f.request).built);
  }
  SECTION("a tutorial crop at another size is rebuilt") {
    f.request.preprocess.size = 64;
    const ImageCacheResult resized = load_or_build(f.request);
    CHECK(resized.built);
    CHECK(resized.reason == "the selection or preprocessing parameters changed");
    CHECK(resized.dataset->image_shape() == nn::Shape{3, 64, 64});
    CHECK(image_of(*resized.dataset, 3) == expected_planar(f.image(3), f.request.preprocess));
  }
}

TEST_CASE("the image cache serves face crops at 128 and whole-image resizes at 64 and 128", "[cache]") {
  CacheFixture f;
  for (const PreprocessOptions& options : {PreprocessOptions{CropMode::face_crop, 128, Halving::area_average},
                                           PreprocessOptions{CropMode::resize, 64, Halving::area_average},
                                           PreprocessOptions{CropMode::resize, 128, Halving::area_average}}) {
    f.request.preprocess = options;
    REQUIRE(load_or_build(f.request).built);
    const ImageCacheResult read = load_or_build(f.request);
    CHECK_FALSE(read.built);
    CHECK(read.dataset->image_shape() == nn::Shape{3, options.size, options.size});
    for (int i = 0; i < 6; ++i) CHECK(image_of(*read.dataset, i) == expected_planar(f.image(i), options));
  }
}

TEST_CASE("the image cache refuses a size its crop mode cannot make", "[cache]") {
  CacheFixture f;
  f.request.preprocess = {CropMode::face_crop, 28, Halving::area_average};
  CHECK_THROWS_WITH(load_or_build(f.request), Contains("image cache") && Contains("64 or 128"));
  f.request.preprocess = {CropMode::tutorial_crop, 0, Halving::area_average};
  CHECK_THROWS_WITH(load_or_build(f.request), Contains("image cache") && Contains("at least 1"));
  CHECK_FALSE(fs::exists(f.cache()));
}
