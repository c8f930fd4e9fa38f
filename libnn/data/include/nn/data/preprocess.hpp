#pragma once
// Turning a decoded image into the square the models take.
//  - face_crop: CelebA's 178x218 aligned image -> rows 59..186, columns
//    24..151 (128x128, inclusive bounds); for size 64 then halved, by 2x2 area
//    average (rounded to nearest, halves up) or decimation (the top-left pixel
//    of each 2x2 block, as the AE-AC-GAN seed did).
//  - resize: the whole image scaled to size x size by area averaging (each
//    output pixel is the mean of the source rectangle it covers, with
//    fractional edge weights), ignoring the aspect ratio.
//  - center_crop: the central square of side min(width, height), area-resized
//    to size x size (torchvision's Resize then CenterCrop).
// Channels are kept as they are.
#include <cstdint>
#include <string>

#include "nn/image.hpp"

namespace nn::data {

enum class CropMode : std::uint8_t { face_crop, resize, center_crop };
enum class Halving : std::uint8_t { area_average, decimate };

inline constexpr int kCelebaWidth = 178, kCelebaHeight = 218;

struct PreprocessOptions {
  CropMode mode = CropMode::face_crop;
  int size = 64;  // 64 or 128
  Halving halving = Halving::area_average;  // face_crop at size 64 only
};

// `name` identifies the image in errors (a face crop refuses any size but 178x218).
Image preprocess(const Image& image, const PreprocessOptions& options, const std::string& name);

// The steps, exposed for tests and other callers.
Image crop(const Image& image, int top, int left, int height, int width);
Image halve(const Image& image, Halving halving);
Image resize_area(const Image& image, int width, int height);
Image center_crop(const Image& image, int size);

}  // namespace nn::data
