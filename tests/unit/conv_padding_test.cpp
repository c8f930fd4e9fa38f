// The mapping of libnn's per-side convolution padding onto cuDNN's symmetric
// padding (geometry/conv_padding.hpp), checked on the host: along every axis
// the CUDA path may see, each output position must read exactly the input
// rows the CPU's im2col reads, and cuDNN's output length must be libnn's.
#include <catch2/catch.hpp>

#include <optional>

#include "geometry/conv_padding.hpp"
#include "nn/ops.hpp"

using namespace nn;
using geometry::ConvAxis;
using geometry::CudnnAxis;

namespace {

std::optional<std::int64_t> cpu_source(const ConvAxis& a, std::int64_t o, std::int64_t k) {
  const std::int64_t row = o * a.stride - a.pad_before + k;
  if (row < 0 || row >= a.in) return std::nullopt;
  return row;
}

std::optional<std::int64_t> cudnn_source(const ConvAxis& a, const CudnnAxis& c, std::int64_t o, std::int64_t k) {
  const std::int64_t read = o * a.stride - c.pad + k;
  if (read < 0 || read >= c.extent) return std::nullopt;
  const std::int64_t row = read - c.offset;
  if (row < 0 || row >= c.held) return std::nullopt;
  return row;
}

void check_axis(const ConvAxis& a) {
  INFO("in " << a.in << " out " << a.out << " kernel " << a.kernel << " stride " << a.stride << " pad_before "
             << a.pad_before);
  const CudnnAxis c = geometry::cudnn_axis(a);
  REQUIRE(c.pad >= 0);
  REQUIRE(c.extent + 2 * c.pad >= a.kernel);
  REQUIRE((c.extent + 2 * c.pad - a.kernel) / a.stride + 1 == a.out);
  REQUIRE((c.held >= 0 && c.held <= a.in));
  if (!c.copied) REQUIRE((c.offset == 0 && c.extent == a.in && c.held == a.in));
  for (std::int64_t o = 0; o < a.out; ++o)
    for (std::int64_t k = 0; k < a.kernel; ++k) REQUIRE(cudnn_source(a, c, o, k) == cpu_source(a, o, k));
}

}  // namespace

TEST_CASE("cuDNN padding reads what the CPU reads for every conv2d axis", "[geometry][conv]") {
  for (std::int64_t in = 1; in <= 11; ++in)
    for (std::int64_t kernel = 1; kernel <= 8; ++kernel)
      for (std::int64_t stride = 1; stride <= 3; ++stride)
        for (std::int64_t before = 0; before <= 5; ++before)
          for (std::int64_t after = 0; after <= 5; ++after) {
            const std::int64_t out = conv_output_size(in, kernel, stride, before, after);
            if (out > 0) check_axis({in, out, kernel, stride, before});
          }
}

TEST_CASE("cuDNN padding reads what the CPU reads for every conv_transpose2d axis", "[geometry][conv]") {
  // The seam runs a transposed convolution as the conv from its output (length
  // `in` here) back to its input (length `out`).
  for (std::int64_t x = 1; x <= 7; ++x)
    for (std::int64_t kernel = 1; kernel <= 8; ++kernel)
      for (std::int64_t stride = 1; stride <= 3; ++stride)
        for (std::int64_t before = 0; before <= 5; ++before)
          for (std::int64_t after = 0; after <= 5; ++after)
            for (std::int64_t output_padding = 0; output_padding < stride; ++output_padding) {
              const std::int64_t y = conv_transpose_output_size(x, kernel, stride, before, after, output_padding);
              if (y > 0) check_axis({y, x, kernel, stride, before});
            }
}

TEST_CASE("cuDNN padding copies the input only for asymmetric padding", "[geometry][conv]") {
  // Keras `same`, 4x4 stride 2 on an even size: 1/1, direct.
  CHECK_FALSE(geometry::cudnn_axis({64, 32, 4, 2, 1}).copied);
  // 8x8 stride 1 `same`: 3/4.
  const CudnnAxis eight = geometry::cudnn_axis({16, 16, 8, 1, 3});
  CHECK(eight.copied);
  CHECK(eight.extent == 23);
  CHECK(eight.offset == 3);
  // 3x3 stride 2 `same` on an even size: 0/1.
  CHECK(geometry::cudnn_axis({16, 8, 3, 2, 0}).copied);
  // Valid 3x3 stride 2 on an even size leaves the last row unread: still direct.
  CHECK_FALSE(geometry::cudnn_axis({16, 7, 3, 2, 0}).copied);
  // Transposed 4x4 stride 2 `same` (the conv from 2 * 8 back to 8, padding 1/1).
  CHECK_FALSE(geometry::cudnn_axis({16, 8, 4, 2, 1}).copied);
  // Transposed 5x5 stride 2, padding 2/2 and output padding 1: direct.
  CHECK_FALSE(geometry::cudnn_axis({16, 8, 5, 2, 2}).copied);
  // Explicit padding 3 before, 0 after, stride 1: copied, all rows held.
  const CudnnAxis top = geometry::cudnn_axis({6, 7, 3, 1, 3});
  CHECK(top.copied);
  CHECK(top.held == 6);
}
