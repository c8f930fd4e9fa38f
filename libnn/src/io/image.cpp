#include "nn/image.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include "nn/pixel_range.hpp"
#include "nn/error.hpp"
#include "ops/checks.hpp"

namespace nn {
namespace {

[[noreturn]] void fail_file(const char* op, const std::string& name, const std::string& message) {
  throw Error(std::string(op) + ": '" + name + "': " + message);
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

struct StbFree {
  void operator()(stbi_uc* pixels) const { stbi_image_free(pixels); }
};

std::uint32_t read_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

bool is_png(const std::vector<std::uint8_t>& b) {
  static constexpr std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return b.size() >= 8 && std::equal(signature, signature + 8, b.begin());
}

bool is_jpeg(const std::vector<std::uint8_t>& b) { return b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF; }

// stb decodes some incomplete files without complaint (filling the missing part
// with grey), so completeness is checked on the file's structure first. Each
// returns what is wrong, or an empty string for a complete file.

// PNG: chunks (length, type, data, CRC) up to and including IEND.
std::string png_structure_problem(const std::vector<std::uint8_t>& b) {
  std::size_t pos = 8;
  while (true) {
    if (pos + 8 > b.size()) return "truncated PNG: the file ends at byte " + std::to_string(b.size()) + " before IEND";
    const std::uint32_t length = read_be32(&b[pos]);
    const std::string type(reinterpret_cast<const char*>(&b[pos + 4]), 4);
    if (length > 0x7FFFFFFFu) return "corrupt PNG: chunk at byte " + std::to_string(pos) + " has an invalid length";
    const std::size_t end = pos + 12 + length;
    if (end > b.size())
      return "truncated PNG: the file ends at byte " + std::to_string(b.size()) + " inside the '" + type +
             "' chunk starting at byte " + std::to_string(pos);
    if (type == "IEND") return {};
    pos = end;
  }
}

// JPEG: marker segments up to EOI (0xFFD9); after each start-of-scan the
// entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or
// a restart marker.
std::string jpeg_structure_problem(const std::vector<std::uint8_t>& b) {
  const std::string truncated = "truncated JPEG: the file ends at byte " + std::to_string(b.size()) +
                                " without the end-of-image marker";
  std::size_t pos = 2;
  while (true) {
    if (pos >= b.size()) return truncated;
    if (b[pos] != 0xFF) return "corrupt JPEG: expected a marker at byte " + std::to_string(pos);
    while (pos < b.size() && b[pos] == 0xFF) ++pos;
    if (pos >= b.size()) return truncated;
    const std::uint8_t marker = b[pos++];
    if (marker == 0xD9) return {};
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0x00) return "corrupt JPEG: stray 0xFF00 at byte " + std::to_string(pos - 2);
    if (pos + 2 > b.size()) return truncated;
    const std::size_t length = (std::size_t{b[pos]} << 8) | b[pos + 1];
    if (length < 2) return "corrupt JPEG: segment at byte " + std::to_string(pos - 2) + " has an invalid length";
    if (pos + length > b.size()) return truncated;
    pos += length;
    if (marker != 0xDA) continue;
    while (true) {
      if (pos + 1 >= b.size()) return truncated;
      if (b[pos] != 0xFF) {
        ++pos;
        continue;
      }
      const std::uint8_t next = b[pos + 1];
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        pos += 2;
      } else if (next == 0xFF) {
        ++pos;
      } else {
        break;
      }
    }
  }
}

void check_channel_request(const char* op, const std::string& name, int channels) {
  if (channels != 0 && channels != 1 && channels != 3)
    fail_file(op, name, "channels must be 0 (as stored), 1 or 3, got " + std::to_string(channels));
}

Image decode(const char* op, const std::vector<std::uint8_t>& bytes, const std::string& name, int channels) {
  check_channel_request(op, name, channels);
  if (bytes.empty()) fail_file(op, name, "the file is empty");
  std::string problem;
  if (is_png(bytes)) {
    problem = png_structure_problem(bytes);
  } else if (is_jpeg(bytes)) {
    problem = jpeg_structure_problem(bytes);
  } else {
    fail_file(op, name, "not a JPEG or PNG image");
  }
  if (!problem.empty()) fail_file(op, name, problem);
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) fail_file(op, name, "the file is too large to decode");

  int width = 0, height = 0, stored = 0;
  std::unique_ptr<stbi_uc, StbFree> pixels(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &stored, channels));
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    fail_file(op, name, std::string("cannot decode: ") + (reason ? reason : "unknown reason"));
  }
  Image image(width, height, channels == 0 ? stored : channels);
  std::memcpy(image.pixels.data(), pixels.get(), image.pixels.size());
  return image;
}

std::vector<std::uint8_t> read_file(const char* op, const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) fail_file(op, path, "cannot access: " + ec.message());
  if (!std::filesystem::exists(status)) fail_file(op, path, "no such file");
  if (std::filesystem::is_directory(status)) fail_file(op, path, "is a directory, not an image file");
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) fail_file(op, path, std::string("cannot open: ") + std::strerror(errno));
  std::vector<std::uint8_t> bytes;
  std::uint8_t chunk[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
  if (std::ferror(file.get())) fail_file(op, path, std::string("cannot read: ") + std::strerror(errno));
  return bytes;
}

void write_file(const char* op, const std::string& path, const std::vector<std::uint8_t>& bytes) {
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) fail_file(op, path, std::string("cannot create: ") + std::strerror(errno));
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file.get()) == bytes.size();
  const bool closed = std::fclose(file.release()) == 0;
  if (!written || !closed) fail_file(op, path, std::string("cannot write: ") + std::strerror(errno));
}

void check_image(const char* op, const std::string& path, const Image& image) {
  if (image.width <= 0 || image.height <= 0 || image.channels < 1 || image.channels > 4)
    fail_file(op, path,
              "cannot store an image of " + std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
                  std::to_string(image.channels) + " (width, height > 0 and 1 to 4 channels needed)");
  const std::size_t expected = static_cast<std::size_t>(image.width) * image.height * image.channels;
  if (image.pixels.size() != expected)
    fail_file(op, path,
              "image of " + std::to_string(image.width) + "x" + std::to_string(image.height) + "x" +
                  std::to_string(image.channels) + " holds " + std::to_string(image.pixels.size()) +
                  " bytes instead of " + std::to_string(expected));
  if (static_cast<std::int64_t>(image.width) * image.channels > INT_MAX) fail_file(op, path, "image too wide");
}

void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(context);
  const auto* p = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), p, p + size);
}

int checked_extent(const char* op, std::int64_t extent) {
  if (extent > INT_MAX) detail::fail(op, "the image would be " + std::to_string(extent) + " pixels across");
  return static_cast<int>(extent);
}

}  // namespace

Image read_image(const std::string& path, int channels) {
  constexpr const char* op = "read_image";
  check_channel_request(op, path, channels);
  return decode(op, read_file(op, path), path, channels);
}

Image decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name, int channels) {
  return decode("decode_image", bytes, name, channels);
}

void write_png(const std::string& path, const Image& image) {
  constexpr const char* op = "write_png";
  check_image(op, path, image);
  std::vector<std::uint8_t> bytes;
  if (!stbi_write_png_to_func(append_bytes, &bytes, image.width, image.height, image.channels, image.pixels.data(),
                              image.width * image.channels))
    fail_file(op, path, "PNG encoding failed");
  write_file(op, path, bytes);
}

void write_jpeg(const std::string& path, const Image& image, int quality) {
  constexpr const char* op = "write_jpeg";
  check_image(op, path, image);
  if (quality < 1 || quality > 100) fail_file(op, path, "quality must be 1 to 100, got " + std::to_string(quality));
  std::vector<std::uint8_t> bytes;
  if (!stbi_write_jpg_to_func(append_bytes, &bytes, image.width, image.height, image.channels, image.pixels.data(),
                              quality))
    fail_file(op, path, "JPEG encoding failed");
  write_file(op, path, bytes);
}

Image image_from_tensor(const Tensor& chw, double low, double high) {
  constexpr const char* op = "image_from_tensor";
  detail::check_defined(op, chw, "image");
  detail::check_dim(op, chw, 3, "image [C,H,W]");
  check_pixel_range(op, low, high);
  const std::int64_t c = chw.size(0), h = chw.size(1), w = chw.size(2);
  if (c < 1 || c > 4 || h < 1 || w < 1)
    detail::fail(op, "image " + shape_str(chw.shape()) + " needs 1 to 4 channels and a non-empty plane");
  Image image(checked_extent(op, w), checked_extent(op, h), static_cast<int>(c));
  const std::vector<double> values = chw.to_vector<double>();
  for (std::int64_t ch = 0; ch < c; ++ch)
    for (std::int64_t y = 0; y < h; ++y)
      for (std::int64_t x = 0; x < w; ++x)
        image.at(static_cast<int>(y), static_cast<int>(x), static_cast<int>(ch)) =
            pixel_level(values[static_cast<std::size_t>((ch * h + y) * w + x)], low, high);
  return image;
}

Tensor tensor_from_image(const Image& image, double low, double high, TensorOptions options) {
  constexpr const char* op = "tensor_from_image";
  check_image(op, "<in memory>", image);
  check_pixel_range(op, low, high);
  const bool wants_grad = options.requires_grad();
  const Device device = options.device();
  const std::int64_t c = image.channels, h = image.height, w = image.width;
  Tensor out = empty({c, h, w}, options.requires_grad(false).device(Device::cpu()));
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const std::array<T, 256> table = pixel_values<T>(low, high);
    T* dst = out.data<T>();
    for (std::int64_t ch = 0; ch < c; ++ch)
      for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x)
          dst[(ch * h + y) * w + x] = table[image.at(static_cast<int>(y), static_cast<int>(x), static_cast<int>(ch))];
  });
  out = out.to(device);
  out.set_requires_grad(wants_grad);
  return out;
}

Image make_grid(const Tensor& batch, int columns, int margin, double low, double high, std::uint8_t background) {
  constexpr const char* op = "make_grid";
  detail::check_defined(op, batch, "batch");
  detail::check_dim(op, batch, 4, "batch [N,C,H,W]");
  check_pixel_range(op, low, high);
  const std::int64_t n = batch.size(0), c = batch.size(1), h = batch.size(2), w = batch.size(3);
  if (n < 1 || c < 1 || c > 4 || h < 1 || w < 1)
    detail::fail(op, "batch " + shape_str(batch.shape()) + " needs at least one image of 1 to 4 channels");
  if (columns < 1 || margin < 0)
    detail::fail(op, "columns must be positive and margin non-negative, got columns " + std::to_string(columns) +
                         " and margin " + std::to_string(margin) + " for batch " + shape_str(batch.shape()));
  const std::int64_t grid_columns = std::min<std::int64_t>(columns, n);
  const std::int64_t grid_rows = (n + grid_columns - 1) / grid_columns;
  const int width = checked_extent(op, grid_columns * w + (grid_columns - 1) * margin);
  const int height = checked_extent(op, grid_rows * h + (grid_rows - 1) * margin);
  Image grid(width, height, static_cast<int>(c), background);
  const std::vector<double> values = batch.to_vector<double>();
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t top = (i / grid_columns) * (h + margin), left = (i % grid_columns) * (w + margin);
    for (std::int64_t ch = 0; ch < c; ++ch)
      for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x)
          grid.at(static_cast<int>(top + y), static_cast<int>(left + x), static_cast<int>(ch)) =
              pixel_level(values[static_cast<std::size_t>(((i * c + ch) * h + y) * w + x)], low, high);
  }
  return grid;
}

}  // namespace nn
