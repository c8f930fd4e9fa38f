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
//  - tutorial_crop: the DCGAN tutorial's faces: the central 108x108 square of
//    CelebA's 178x218 aligned image (columns 35..142, rows 55..162), then
//    resize_bilinear to size x size (Pillow's BILINEAR resize, as the
//    tutorial's code used).
// Sizes: face_crop, resize and center_crop make 64 or 128; tutorial_crop any
// side of at least 1. Channels are kept as they are.
#include <cstdint>
#include <string>

#include "nn/image.hpp"

namespace nn::data {

// The values are stored in image cache files: append, never renumber.
enum class CropMode : std::uint8_t { face_crop, resize, center_crop, tutorial_crop };
enum class Halving : std::uint8_t { area_average, decimate };

inline constexpr int kCelebaWidth = 178, kCelebaHeight = 218;
// The tutorial crop's square: ((178 - 108) / 2, (218 - 108) / 2) = (35, 55).
inline constexpr int kTutorialSide = 108, kTutorialLeft = 35, kTutorialTop = 55;

struct PreprocessOptions {
  CropMode mode = CropMode::face_crop;
  int size = 64;  // the output side: 64 or 128; any positive side for tutorial_crop
  Halving halving = Halving::area_average;  // face_crop at size 64 only
};

// A short name of the options for file names: "face64_area",
// "face64_decimate", "face128", "resize64", "center128", "tutorial28".
std::string preprocess_name(const PreprocessOptions& options);

// `name` identifies the image in errors (the face and tutorial crops refuse
// any size but 178x218).
Image preprocess(const Image& image, const PreprocessOptions& options, const std::string& name);
// Raises nn::Error starting with `name` when options.size is not one the mode makes.
void check_output_size(const PreprocessOptions& options, const std::string& name);

// The steps, exposed for tests and other callers.
Image crop(const Image& image, int top, int left, int height, int width);
Image halve(const Image& image, Halving halving);
Image resize_area(const Image& image, int width, int height);
// Pillow's Image.resize(size, Image.BILINEAR): a separable triangle filter.
// Along each axis, output pixel o is centred at (o + 0.5) * scale source
// pixels, scale = source / output, and source pixel s (centred at s + 0.5)
// weighs 1 - |distance| / max(scale, 1) where positive. So enlarging is plain
// interpolation between pixel centres, and shrinking widens the triangle to
// average away what would alias. Sources past the edge are left out and each
// output pixel's weights are normalised to sum to 1. As in Pillow, the
// horizontal pass runs first and is rounded to bytes before the vertical
// pass, and the weights are fixed-point numbers with 22 fraction bits, so the
// results are Pillow's to the byte (rounding to nearest; a sum that is
// exactly halfway goes whichever way the fixed-point weights take it).
// Pillow 13 runs the vertical pass first when the height loses more than
// twice as many pixels as the width; for those shapes it can differ from
// this (and from earlier Pillow) by 1 here and there. Any channel count.
Image resize_bilinear(const Image& image, int width, int height);
Image center_crop(const Image& image, int size);

}  // namespace nn::data
