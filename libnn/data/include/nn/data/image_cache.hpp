#pragma once
// The packed cache of a preprocessed CelebA selection: decoding JPEGs every
// epoch is too slow, so the first use writes one binary file and later uses
// map it. File layout (little-endian):
//   header  magic "NNIMGCAC", format version, a fingerprint of the source
//           (the attribute and partition files' contents, and every selected
//           image's name, size and modification time), the selection and
//           preprocessing parameters, count, shape [C,H,W], label count, the
//           payload's size and checksum, and a checksum of the header itself;
//   payload count images of C*H*W bytes (planar, uint8), then count rows of
//           label_count bytes (0/1).
// A cache whose fingerprint, parameters, size or checksums do not match is
// rebuilt; a file that does not start with the magic is never overwritten.
#include <cstdint>
#include <memory>
#include <string>

#include "nn/data/celeba.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/preprocess.hpp"
#include "nn/data/progress.hpp"

namespace nn::data {

// Images and labels held in memory (a mapped cache file or a fresh build).
class PackedDataset final : public Dataset {
 public:
  // `payload` holds count images of shape [C,H,W] followed by count rows of
  // label_count 0/1 bytes, and keeps whatever owns that memory alive.
  PackedDataset(std::shared_ptr<const std::uint8_t> payload, std::int64_t count, Shape image_shape,
                std::int64_t label_count);

  std::int64_t size() const override { return count_; }
  Shape image_shape() const override { return image_shape_; }
  std::int64_t label_count() const override { return label_count_; }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override;

  const std::uint8_t* image(std::int64_t i) const;   // C*H*W bytes
  const std::uint8_t* labels(std::int64_t i) const;  // label_count bytes

 private:
  std::shared_ptr<const std::uint8_t> payload_;
  std::int64_t count_, label_count_, image_bytes_;
  Shape image_shape_;
};

struct ImageCacheRequest {
  std::string data_dir;    // a CelebA folder
  std::string cache_path;  // the cache file (its folder is created if needed)
  CelebaSelection selection;
  PreprocessOptions preprocess;
  ProgressReport progress;  // told of every image while building; empty for none
};

struct ImageCacheResult {
  std::shared_ptr<const PackedDataset> dataset;
  bool built = false;  // false when an up-to-date cache was read
  std::string reason;  // why it was built ("no cache file yet", "the source folder changed", ...)
};

// Reads the cache when it matches the request, else decodes and preprocesses
// every selected image (in parallel on every core) and writes the cache
// atomically. Any bad input raises nn::Error naming the file.
ImageCacheResult load_or_build(const ImageCacheRequest& request);

}  // namespace nn::data
