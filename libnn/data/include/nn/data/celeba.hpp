#pragma once
// A CelebA folder in its distributed layout: img_align_celeba/*.jpg,
// list_attr_celeba.txt (a count line, a names line, then `file v1 .. v40`
// with -1/1) and list_eval_partition.txt (`file 0|1|2`), or the CSV variants
// list_attr_celeba.csv (`image_id,5_o_Clock_Shadow,...`) and
// list_eval_partition.csv (`image_id,partition`). Everything is validated up
// front: any problem raises a one-line nn::Error naming the file and line.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nn/data/celeba_attributes.hpp"
#include "nn/image.hpp"

namespace nn::data {

enum class CelebaSplit { train, validation, test, all };

// "train", "validation" (or "val"), "test" or "all".
CelebaSplit parse_celeba_split(std::string_view name);
std::string_view celeba_split_name(CelebaSplit split);

struct CelebaSelection {
  CelebaSplit split = CelebaSplit::all;
  // The first `fraction` of the split in file order, at least one image.
  double fraction = 1.0;
};

struct CelebaSample {
  std::string path;
  std::array<std::uint8_t, kCelebaAttributeCount> labels{};  // 0/1, CelebA's order
};

struct CelebaFolder {
  std::string image_dir;
  std::string attribute_file;
  std::string partition_file;  // empty when the folder has none (split `all` only)
  std::vector<CelebaSample> samples;
};

CelebaFolder read_celeba(const std::string& folder, const CelebaSelection& selection = {});

// One image of the folder: a complete JPEG file, decoded to 3 channels.
Image read_celeba_image(const std::string& path);

}  // namespace nn::data
