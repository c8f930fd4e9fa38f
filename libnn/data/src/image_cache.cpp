#include "nn/data/image_cache.hpp"

#include <sys/stat.h>

#include <array>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <vector>

#include "cache_file.hpp"
#include "nn/error.hpp"
#include "progress_counter.hpp"

namespace nn::data {
namespace {

constexpr std::uint32_t kChannels = 3;
// Below this many files, waking the thread team costs more than it saves.
constexpr std::int64_t kParallelStats = 4096;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open for reading");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The attribute and partition files' contents, then each selected image's
// name, size and modification time.
std::uint64_t fingerprint(const CelebaFolder& folder) {
  std::uint64_t hash = cache_file::kFnvOffset;
  for (const std::string& file : {folder.attribute_file, folder.partition_file}) {
    const std::string text = file.empty() ? std::string() : read_text(file);
    const std::uint64_t size = text.size();
    hash = cache_file::fnv1a(hash, &size, sizeof size);
    hash = cache_file::fnv1a(hash, text.data(), text.size());
  }
  const auto n = static_cast<std::int64_t>(folder.samples.size());
  std::vector<std::array<std::int64_t, 3>> stats(folder.samples.size());
  std::atomic<std::int64_t> missing{-1};
#pragma omp parallel for schedule(static) if (n > kParallelStats)
  for (std::int64_t i = 0; i < n; ++i) {
    struct stat info {};
    if (::stat(folder.samples[i].path.c_str(), &info) != 0) {
      missing = i;
      continue;
    }
    stats[i] = {static_cast<std::int64_t>(info.st_size), static_cast<std::int64_t>(info.st_mtim.tv_sec),
                static_cast<std::int64_t>(info.st_mtim.tv_nsec)};
  }
  if (missing >= 0) throw Error(folder.samples[missing].path + ": cannot stat the image");
  for (std::int64_t i = 0; i < n; ++i) {
    const std::string name = std::filesystem::path(folder.samples[i].path).filename().string();
    hash = cache_file::fnv1a(hash, name.c_str(), name.size() + 1);
    hash = cache_file::fnv1a(hash, stats[i].data(), sizeof stats[i]);
  }
  return hash;
}

cache_file::Header expected_header(const ImageCacheRequest& request, const CelebaFolder& folder) {
  const auto side = static_cast<std::uint32_t>(request.preprocess.size);
  cache_file::Header h;
  h.fingerprint = fingerprint(folder);
  h.params.crop_mode = static_cast<std::uint8_t>(request.preprocess.mode);
  h.params.halving = static_cast<std::uint8_t>(request.preprocess.halving);
  h.params.split = static_cast<std::uint8_t>(request.selection.split);
  h.params.size = side;
  h.params.fraction = request.selection.fraction;
  h.count = folder.samples.size();
  h.channels = kChannels;
  h.height = h.width = side;
  h.label_count = kCelebaAttributeCount;
  h.payload_bytes = h.count * (kChannels * side * side + kCelebaAttributeCount);
  return h;
}

std::shared_ptr<const PackedDataset> dataset_over(std::shared_ptr<const std::uint8_t> payload,
                                                  const cache_file::Header& h) {
  return std::make_shared<PackedDataset>(std::move(payload), static_cast<std::int64_t>(h.count),
                                         Shape{h.channels, h.height, h.width}, h.label_count);
}

// The cached dataset when the file matches `expected`, else null with `reason` set.
std::shared_ptr<const PackedDataset> try_read(const std::string& path, const cache_file::Header& expected,
                                              std::string& reason) {
  const std::optional<cache_file::Mapping> file = cache_file::map_file(path);
  if (!file) {
    reason = "no cache file yet";
    return nullptr;
  }
  const cache_file::Decoded decoded = cache_file::decode(file->bytes.get(), file->size);
  if (decoded.foreign) throw Error(path + ": not an image cache file; refusing to overwrite it");
  if (!decoded.header) {
    reason = decoded.problem;
    return nullptr;
  }
  const cache_file::Header& h = *decoded.header;
  const std::uint64_t expected_size = cache_file::kHeaderBytes + h.payload_bytes;
  if (!(h.params == expected.params))
    reason = "the selection or preprocessing parameters changed";
  else if (h.fingerprint != expected.fingerprint)
    reason = "the source folder changed";
  else if (h.count != expected.count || h.channels != expected.channels || h.height != expected.height ||
           h.width != expected.width || h.label_count != expected.label_count ||
           h.payload_bytes != expected.payload_bytes)
    reason = "the cached shape differs";
  else if (file->size != expected_size)
    reason = "the cache file is " + std::string(file->size < expected_size ? "truncated" : "too long") + " (" +
             std::to_string(file->size) + " bytes, expected " + std::to_string(expected_size) + ")";
  else if (cache_file::checksum(file->bytes.get() + cache_file::kHeaderBytes, h.payload_bytes) != h.payload_checksum)
    reason = "the cache payload is damaged (checksum mismatch)";
  if (!reason.empty()) return nullptr;
  return dataset_over(std::shared_ptr<const std::uint8_t>(file->bytes, file->bytes.get() + cache_file::kHeaderBytes),
                      h);
}

void store_planar(const Image& image, std::uint8_t* out) {
  const std::size_t plane = static_cast<std::size_t>(image.width) * image.height;
  for (std::size_t p = 0; p < plane; ++p)
    for (int c = 0; c < image.channels; ++c) out[c * plane + p] = image.pixels[p * image.channels + c];
}

ImageCacheResult build(const ImageCacheRequest& request, const CelebaFolder& folder, cache_file::Header header,
                       std::string reason) {
  const auto n = static_cast<std::int64_t>(header.count);
  const std::size_t image_bytes = std::size_t{header.channels} * header.height * header.width;
  auto file = std::make_shared<std::vector<std::uint8_t>>(cache_file::kHeaderBytes + header.payload_bytes);
  std::uint8_t* images = file->data() + cache_file::kHeaderBytes;
  std::uint8_t* labels = images + n * image_bytes;

  ProgressCounter progress(request.progress, n);
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::int64_t error_index = n;
  std::string error;
#pragma omp parallel for schedule(dynamic, 4)
  for (std::int64_t i = 0; i < n; ++i) {
    if (failed.load(std::memory_order_relaxed)) continue;
    const CelebaSample& sample = folder.samples[i];
    try {
      const Image image = preprocess(read_celeba_image(sample.path), request.preprocess, sample.path);
      store_planar(image, images + i * image_bytes);
    } catch (const std::exception& e) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (i < error_index) {
        error_index = i;
        error = e.what();
      }
      failed = true;
      continue;
    }
    std::copy(sample.labels.begin(), sample.labels.end(), labels + i * kCelebaAttributeCount);
    progress.advance();
  }
  if (failed) throw Error(error);

  header.payload_checksum = cache_file::checksum(images, header.payload_bytes);
  cache_file::encode(header, file->data());
  cache_file::write_atomically(request.cache_path, file->data(), file->size());
  return {dataset_over(std::shared_ptr<const std::uint8_t>(file, images), header), true, std::move(reason)};
}

}  // namespace

PackedDataset::PackedDataset(std::shared_ptr<const std::uint8_t> payload, std::int64_t count, Shape image_shape,
                             std::int64_t label_count)
    : payload_(std::move(payload)),
      count_(count),
      label_count_(label_count),
      image_bytes_(shape_numel(image_shape)),
      image_shape_(std::move(image_shape)) {
  if (image_shape_.size() != 3) throw Error("PackedDataset: image shape must be [C,H,W], got " + shape_str(image_shape_));
}

const std::uint8_t* PackedDataset::image(std::int64_t i) const { return payload_.get() + i * image_bytes_; }

const std::uint8_t* PackedDataset::labels(std::int64_t i) const {
  return payload_.get() + count_ * image_bytes_ + i * label_count_;
}

void PackedDataset::read(std::int64_t i, std::uint8_t* image_out, float* labels_out) const {
  if (i < 0 || i >= count_)
    throw Error("PackedDataset::read: index " + std::to_string(i) + " out of range for " + std::to_string(count_) +
                " samples");
  std::memcpy(image_out, image(i), static_cast<std::size_t>(image_bytes_));
  const std::uint8_t* row = labels(i);
  for (std::int64_t k = 0; k < label_count_; ++k) labels_out[k] = row[k];
}

ImageCacheResult load_or_build(const ImageCacheRequest& request) {
  if (request.cache_path.empty()) throw Error("image cache: no cache file path given");
  check_output_size(request.preprocess, "image cache");
  const CelebaFolder folder = read_celeba(request.data_dir, request.selection);
  const cache_file::Header expected = expected_header(request, folder);
  std::string reason;
  if (auto dataset = try_read(request.cache_path, expected, reason)) return {std::move(dataset), false, {}};
  return build(request, folder, expected, std::move(reason));
}

}  // namespace nn::data
