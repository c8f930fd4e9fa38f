#include "nn/data/preprocess.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/error.hpp"

namespace nn::data {

std::string preprocess_name(const PreprocessOptions& options) {
  std::string mode;
  switch (options.mode) {
    case CropMode::face_crop: mode = "face"; break;
    case CropMode::resize: mode = "resize"; break;
    case CropMode::center_crop: mode = "center"; break;
    case CropMode::tutorial_crop: mode = "tutorial"; break;
  }
  const bool halved = options.mode == CropMode::face_crop && options.size == 64;
  return mode + std::to_string(options.size) +
         (halved ? (options.halving == Halving::area_average ? "_area" : "_decimate") : "");
}
namespace {

constexpr int kFaceTop = 59, kFaceLeft = 24, kFaceSide = 128;

std::string size_str(const Image& image) { return std::to_string(image.width) + "x" + std::to_string(image.height); }

// Source pixels and weights (summing to 1) that make up one output pixel
// along one axis when `source` pixels are averaged down or up to `target`.
struct Taps {
  int first = 0;
  std::vector<double> weights;
};

std::vector<Taps> area_taps(int source, int target) {
  const double scale = static_cast<double>(source) / target;
  std::vector<Taps> taps(static_cast<std::size_t>(target));
  for (int o = 0; o < target; ++o) {
    const double lo = o * scale, hi = (o + 1) * scale;
    const int first = static_cast<int>(std::floor(lo));
    const int last = std::min(source - 1, static_cast<int>(std::ceil(hi)) - 1);
    taps[o].first = first;
    for (int s = first; s <= last; ++s)
      taps[o].weights.push_back((std::min(hi, s + 1.0) - std::max(lo, static_cast<double>(s))) / scale);
  }
  return taps;
}

std::uint8_t to_byte(double v) { return static_cast<std::uint8_t>(std::clamp(std::floor(v + 0.5), 0.0, 255.0)); }

void check_celeba_size(const Image& image, const std::string& name, const char* crop_name) {
  if (image.width != kCelebaWidth || image.height != kCelebaHeight)
    throw Error(name + ": image is " + size_str(image) + ", the " + crop_name + " needs " +
                std::to_string(kCelebaWidth) + "x" + std::to_string(kCelebaHeight));
}

}  // namespace

Image crop(const Image& image, int top, int left, int height, int width) {
  if (top < 0 || left < 0 || height <= 0 || width <= 0 || top + height > image.height || left + width > image.width)
    throw Error("crop: window of " + std::to_string(width) + "x" + std::to_string(height) + " at row " +
                std::to_string(top) + ", column " + std::to_string(left) + " does not fit a " + size_str(image) +
                " image");
  Image out(width, height, image.channels);
  const std::size_t row_bytes = static_cast<std::size_t>(width) * image.channels;
  for (int y = 0; y < height; ++y)
    std::copy_n(image.pixels.data() + (static_cast<std::size_t>(top + y) * image.width + left) * image.channels,
                row_bytes, out.pixels.data() + y * row_bytes);
  return out;
}

Image halve(const Image& image, Halving halving) {
  if (image.width % 2 != 0 || image.height % 2 != 0 || image.width == 0 || image.height == 0)
    throw Error("halve: needs even, non-zero width and height, got a " + size_str(image) + " image");
  Image out(image.width / 2, image.height / 2, image.channels);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      for (int c = 0; c < image.channels; ++c) {
        if (halving == Halving::decimate) {
          out.at(y, x, c) = image.at(2 * y, 2 * x, c);
          continue;
        }
        const int sum = image.at(2 * y, 2 * x, c) + image.at(2 * y, 2 * x + 1, c) + image.at(2 * y + 1, 2 * x, c) +
                        image.at(2 * y + 1, 2 * x + 1, c);
        out.at(y, x, c) = static_cast<std::uint8_t>((sum + 2) / 4);
      }
  return out;
}

Image resize_area(const Image& image, int width, int height) {
  if (image.width <= 0 || image.height <= 0 || width <= 0 || height <= 0)
    throw Error("resize: cannot resize a " + size_str(image) + " image to " + std::to_string(width) + "x" +
                std::to_string(height));
  const std::vector<Taps> across = area_taps(image.width, width), down = area_taps(image.height, height);
  const int channels = image.channels;
  // Horizontal pass into [source row][output column][channel], then vertical.
  std::vector<double> rows(static_cast<std::size_t>(image.height) * width * channels, 0.0);
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < width; ++x) {
      double* dst = &rows[(static_cast<std::size_t>(y) * width + x) * channels];
      const Taps& t = across[x];
      for (std::size_t k = 0; k < t.weights.size(); ++k)
        for (int c = 0; c < channels; ++c) dst[c] += t.weights[k] * image.at(y, t.first + static_cast<int>(k), c);
    }
  Image out(width, height, channels);
  std::vector<double> acc(static_cast<std::size_t>(channels));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      std::fill(acc.begin(), acc.end(), 0.0);
      const Taps& t = down[y];
      for (std::size_t k = 0; k < t.weights.size(); ++k) {
        const double* src = &rows[((static_cast<std::size_t>(t.first) + k) * width + x) * channels];
        for (int c = 0; c < channels; ++c) acc[c] += t.weights[k] * src[c];
      }
      for (int c = 0; c < channels; ++c) out.at(y, x, c) = to_byte(acc[c]);
    }
  return out;
}

Image center_crop(const Image& image, int size) {
  const int side = std::min(image.width, image.height);
  if (side <= 0 || size <= 0)
    throw Error("center_crop: cannot crop a " + size_str(image) + " image to " + std::to_string(size));
  const Image square = crop(image, (image.height - side) / 2, (image.width - side) / 2, side, side);
  return side == size ? square : resize_area(square, size, size);
}

void check_output_size(const PreprocessOptions& options, const std::string& name) {
  if (options.mode == CropMode::tutorial_crop) {
    if (options.size < 1)
      throw Error(name + ": output size must be at least 1 for the tutorial crop, got " + std::to_string(options.size));
  } else if (options.size != 64 && options.size != 128) {
    throw Error(name + ": output size must be 64 or 128, got " + std::to_string(options.size));
  }
}

Image preprocess(const Image& image, const PreprocessOptions& options, const std::string& name) {
  check_output_size(options, name);
  switch (options.mode) {
    case CropMode::face_crop: {
      check_celeba_size(image, name, "face crop");
      Image face = crop(image, kFaceTop, kFaceLeft, kFaceSide, kFaceSide);
      return options.size == kFaceSide ? face : halve(face, options.halving);
    }
    case CropMode::resize:
      return resize_area(image, options.size, options.size);
    case CropMode::center_crop:
      return center_crop(image, options.size);
    case CropMode::tutorial_crop:
      check_celeba_size(image, name, "tutorial crop");
      return resize_bilinear(crop(image, kTutorialTop, kTutorialLeft, kTutorialSide, kTutorialSide), options.size,
                             options.size);
  }
  throw Error(name + ": unknown crop mode");
}

}  // namespace nn::data
