#pragma once
// Image files (JPEG and PNG through stb) and conversions between 8-bit images
// and tensors. Every failure raises nn::Error naming the file.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/tensor.hpp"

namespace nn {

// 8-bit pixels, rows top to bottom, channels interleaved (HWC).
struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> pixels;

  Image() = default;
  Image(int w, int h, int c, std::uint8_t fill = 0)
      : width(w), height(h), channels(c), pixels(static_cast<std::size_t>(w) * h * c, fill) {}
  std::uint8_t& at(int y, int x, int c) { return pixels[(static_cast<std::size_t>(y) * width + x) * channels + c]; }
  std::uint8_t at(int y, int x, int c) const {
    return pixels[(static_cast<std::size_t>(y) * width + x) * channels + c];
  }
};

// Decodes a JPEG or PNG file; `channels` 0 keeps the file's own count, 1 or 3
// converts. A missing, unreadable, truncated or non-image file is an error.
Image read_image(const std::string& path, int channels = 3);
// The same for bytes already in memory; `name` identifies them in errors.
Image decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name, int channels = 3);
void write_png(const std::string& path, const Image& image);
void write_jpeg(const std::string& path, const Image& image, int quality = 92);

// [C,H,W] tensor with values in [low, high] -> image (values clamped).
Image image_from_tensor(const Tensor& chw, double low, double high);
// Image -> [C,H,W] tensor with values mapped from [0,255] to [low, high].
Tensor tensor_from_image(const Image& image, double low, double high, TensorOptions options = {});
// A batch [N,C,H,W] laid out in rows of `columns` images separated by
// `margin` pixels of `background`.
Image make_grid(const Tensor& batch, int columns, int margin, double low, double high,
                std::uint8_t background = 255);

}  // namespace nn
