// Reading preprocessed CelebA images from the packed cache against decoding
// and preprocessing the JPEGs, over a generated folder of kImages faces.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "nn/data/celeba.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/data/preprocess.hpp"
#include "nn/image.hpp"

namespace {

namespace fs = std::filesystem;
using namespace nn::data;

constexpr int kImages = 512;

// A CelebA-layout folder of 178x218 JPEGs with photo-like detail (ramps plus
// noise, so the files are about the size of real CelebA images), and its cache.
class Folder {
 public:
  Folder() : root_(fs::temp_directory_path() / ("nn_bench_cache_" + std::to_string(::getpid()))) {
    fs::create_directories(root_ / "img_align_celeba");
    std::ofstream attributes(root_ / "list_attr_celeba.txt");
    attributes << kImages << "\n";
    for (std::string_view name : celeba_attribute_names()) attributes << name << " ";
    attributes << "\n";
    std::uint32_t state = 12345;
    for (int i = 0; i < kImages; ++i) {
      nn::Image image(kCelebaWidth, kCelebaHeight, 3);
      for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
          for (int c = 0; c < 3; ++c) {
            state = state * 1664525u + 1013904223u;
            const int noise = static_cast<int>(state >> 27) - 16;
            image.at(y, x, c) = static_cast<std::uint8_t>(std::clamp((x + 2 * y + 60 * c + i) % 256 + noise, 0, 255));
          }
      const std::string number = std::to_string(i + 1);
      const std::string file = std::string(6 - number.size(), '0') + number + ".jpg";
      nn::write_jpeg((root_ / "img_align_celeba" / file).string(), image, 90);
      attributes << file;
      for (int a = 0; a < kCelebaAttributeCount; ++a) attributes << ((a + i) % 4 == 0 ? "  1" : " -1");
      attributes << "\n";
    }
    attributes.close();
    request_.data_dir = root_.string();
    request_.cache_path = (root_ / "cache.bin").string();
    paths_ = [&] {
      std::vector<std::string> paths;
      for (const CelebaSample& s : read_celeba(request_.data_dir).samples) paths.push_back(s.path);
      return paths;
    }();
    load_or_build(request_);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const ImageCacheRequest& request() const { return request_; }
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  fs::path root_;
  ImageCacheRequest request_;
  std::vector<std::string> paths_;
};

const Folder& folder() {
  static const Folder instance;
  return instance;
}

void BM_DecodeAndPreprocess(benchmark::State& state) {
  const Folder& f = folder();
  for (auto _ : state)
    for (const std::string& path : f.paths()) {
      nn::Image image = preprocess(read_celeba_image(path), f.request().preprocess, path);
      benchmark::DoNotOptimize(image.pixels.data());
    }
  state.SetItemsProcessed(state.iterations() * kImages);
}

// Opening the cache (folder check, fingerprint, map, checksum) and reading every image.
void BM_OpenAndReadCache(benchmark::State& state) {
  const Folder& f = folder();
  std::vector<std::uint8_t> image(3 * 64 * 64);
  std::vector<float> labels(kCelebaAttributeCount);
  for (auto _ : state) {
    const ImageCacheResult cache = load_or_build(f.request());
    if (cache.built) state.SkipWithError("the cache was rebuilt");
    for (std::int64_t i = 0; i < cache.dataset->size(); ++i) cache.dataset->read(i, image.data(), labels.data());
    benchmark::DoNotOptimize(image.data());
  }
  state.SetItemsProcessed(state.iterations() * kImages);
}

// Reading every image of an already opened cache: the per-epoch cost.
void BM_ReadOpenedCache(benchmark::State& state) {
  const ImageCacheResult cache = load_or_build(folder().request());
  std::vector<std::uint8_t> image(3 * 64 * 64);
  std::vector<float> labels(kCelebaAttributeCount);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < cache.dataset->size(); ++i) cache.dataset->read(i, image.data(), labels.data());
    benchmark::DoNotOptimize(image.data());
  }
  state.SetItemsProcessed(state.iterations() * kImages);
}

BENCHMARK(BM_DecodeAndPreprocess)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OpenAndReadCache)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadOpenedCache)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
