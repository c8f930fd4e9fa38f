#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nn/image.hpp>
#include <nn/nn.hpp>

#include "support/file_bytes.hpp"
#include "support/scratch_dir.hpp"
#include <string>
#include <vector>

using namespace nn;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// Every scratch directory of this file carries its name.
struct ScratchDir : nn::testing::ScratchDir {
  ScratchDir() : nn::testing::ScratchDir("libnn_image_test") {}
};

using Bytes = std::vector<std::uint8_t>;
using nn::testing::read_bytes;
using nn::testing::write_bytes;

// Every byte value shows up somewhere, neighbours differ: a hard image for PNG
// filters and an exact test of the round trip.
Image patterned(int w, int h, int c) {
  Image image(w, h, c);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int ch = 0; ch < c; ++ch) image.at(y, x, ch) = static_cast<std::uint8_t>((x * 37 + y * 91 + ch * 53) % 256);
  return image;
}

// Smooth gradients: what JPEG is made for.
Image smooth(int w, int h, int c) {
  Image image(w, h, c);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int ch = 0; ch < c; ++ch)
        image.at(y, x, ch) = static_cast<std::uint8_t>(40 + 150.0 * (x + ch * 3) / w + 50.0 * y / h);
  return image;
}

void check_jpeg_close(const Image& expected, const Image& got) {
  REQUIRE(got.width == expected.width);
  REQUIRE(got.height == expected.height);
  REQUIRE(got.channels == expected.channels);
  double total = 0;
  int worst = 0;
  for (std::size_t i = 0; i < got.pixels.size(); ++i) {
    const int d = std::abs(int{got.pixels[i]} - int{expected.pixels[i]});
    total += d;
    worst = std::max(worst, d);
  }
  CHECK(total / static_cast<double>(got.pixels.size()) < 2.0);
  CHECK(worst <= 12);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("expected nn::Error");
  return {};
}

}  // namespace

TEST_CASE("PNG round trip is exact for 1, 3 and 4 channels", "[image]") {
  ScratchDir dir;
  for (int c : {1, 3, 4}) {
    const Image image = patterned(13, 7, c);
    const std::string path = dir.file(std::to_string(c) + "_channels.png");
    write_png(path, image);
    const Image back = read_image(path, 0);
    CHECK(back.width == 13);
    CHECK(back.height == 7);
    CHECK(back.channels == c);
    CHECK(back.pixels == image.pixels);
  }
}

TEST_CASE("A grey PNG read as RGB repeats the grey value in every channel", "[image]") {
  ScratchDir dir;
  const Image grey = patterned(9, 4, 1);
  write_png(dir.file("g.png"), grey);
  const Image rgb = read_image(dir.file("g.png"));
  REQUIRE(rgb.channels == 3);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 9; ++x)
      for (int c = 0; c < 3; ++c) CHECK(rgb.at(y, x, c) == grey.at(y, x, 0));
}

TEST_CASE("An RGB image read as grey gives its luminance", "[image]") {
  ScratchDir dir;
  Image rgb(3, 1, 3);
  const std::uint8_t colours[3][3] = {{255, 0, 0}, {0, 255, 0}, {30, 60, 200}};
  for (int x = 0; x < 3; ++x)
    for (int c = 0; c < 3; ++c) rgb.at(0, x, c) = colours[x][c];
  write_png(dir.file("rgb.png"), rgb);
  const Image grey = read_image(dir.file("rgb.png"), 1);
  REQUIRE(grey.channels == 1);
  for (int x = 0; x < 3; ++x) {
    const double luma = 0.299 * colours[x][0] + 0.587 * colours[x][1] + 0.114 * colours[x][2];
    CHECK(std::abs(grey.at(0, x, 0) - luma) <= 1.5);
  }
}

TEST_CASE("JPEG round trip stays within compression tolerance", "[image]") {
  ScratchDir dir;
  SECTION("colour") {
    const Image image = smooth(48, 40, 3);
    write_jpeg(dir.file("c.jpg"), image, 95);
    check_jpeg_close(image, read_image(dir.file("c.jpg"), 0));
  }
  SECTION("grey") {
    // stb writes every JPEG as YCbCr, so a grey image comes back as grey once
    // converted to one channel.
    const Image image = smooth(40, 24, 1);
    write_jpeg(dir.file("g.jpg"), image, 95);
    check_jpeg_close(image, read_image(dir.file("g.jpg"), 1));
  }
  SECTION("bytes after the end-of-image marker are ignored") {
    write_jpeg(dir.file("t.jpg"), smooth(16, 16, 3));
    std::vector<std::uint8_t> bytes = read_bytes<Bytes>(dir.file("t.jpg"));
    const Image plain = decode_image(bytes, "plain.jpg");
    bytes.insert(bytes.end(), {0, 0, 'j', 'u', 'n', 'k'});
    CHECK(decode_image(bytes, "padded.jpg").pixels == plain.pixels);
  }
}

TEST_CASE("decode_image gives the same pixels as read_image", "[image]") {
  ScratchDir dir;
  write_png(dir.file("a.png"), patterned(5, 6, 3));
  const Image from_file = read_image(dir.file("a.png"));
  const Image from_bytes = decode_image(read_bytes<Bytes>(dir.file("a.png")), "a.png");
  CHECK(from_bytes.pixels == from_file.pixels);
}

TEMPLATE_TEST_CASE("tensor_from_image maps 0..255 onto low..high in CHW order", "[image]", float, double) {
  const Dtype dtype = dtype_of<TestType>();
  Image image(2, 1, 3);
  const std::uint8_t pixel[2][3] = {{0, 51, 255}, {102, 204, 153}};
  for (int x = 0; x < 2; ++x)
    for (int c = 0; c < 3; ++c) image.at(0, x, c) = pixel[x][c];

  const Tensor t = tensor_from_image(image, -1.0, 1.0, TensorOptions().dtype(dtype));
  CHECK(t.shape() == Shape{3, 1, 2});
  CHECK(t.dtype() == dtype);
  // Channel-major: [c0 x0, c0 x1, c1 x0, c1 x1, c2 x0, c2 x1] with v = -1 + 2p/255.
  const std::vector<double> expected = {-1.0, -0.2, -0.6, 0.6, 1.0, 0.2};
  const std::vector<TestType> got = t.to_vector<TestType>();
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(1e-7));
  CHECK(got[0] == TestType(-1));
  CHECK(got[4] == TestType(1));

  const Tensor unit = tensor_from_image(image, 0.0, 1.0, TensorOptions().dtype(dtype).requires_grad(true));
  CHECK(unit.requires_grad());
  const std::vector<double> unit_expected = {0.0, 0.4, 0.2, 0.8, 1.0, 0.6};
  const std::vector<TestType> unit_got = unit.to_vector<TestType>();
  for (std::size_t i = 0; i < unit_expected.size(); ++i) CHECK(unit_got[i] == Approx(unit_expected[i]).margin(1e-7));
}

TEST_CASE("image_from_tensor rounds, clamps and transposes to HWC", "[image]") {
  // [C=2, H=1, W=4] in [-1, 1].
  const Tensor t = from_vector<double>({-1.0, 1.0, 0.0, -3.0,  //
                                        5.0, -0.6, 0.2, std::nan("")},
                                       {2, 1, 4});
  const Image image = image_from_tensor(t, -1.0, 1.0);
  CHECK(image.width == 4);
  CHECK(image.height == 1);
  CHECK(image.channels == 2);
  // 0 -> 127.5 rounds to 128; 0.2 -> 153; -0.6 -> 51; outside values clamp; NaN -> 0.
  const std::vector<std::uint8_t> expected = {0, 255, 255, 51, 128, 153, 0, 0};
  CHECK(image.pixels == expected);

  const Image unit = image_from_tensor(from_vector<float>({0.2f, 0.5f, 1.2f}, {1, 1, 3}), 0.0, 1.0);
  CHECK(unit.pixels == std::vector<std::uint8_t>{51, 128, 255});
}

TEST_CASE("tensor_from_image and image_from_tensor invert each other on every level", "[image]") {
  Image image(256, 1, 1);
  for (int x = 0; x < 256; ++x) image.at(0, x, 0) = static_cast<std::uint8_t>(x);
  for (const Dtype dtype : {Dtype::f32, Dtype::f64}) {
    CHECK(image_from_tensor(tensor_from_image(image, -1, 1, TensorOptions().dtype(dtype)), -1, 1).pixels ==
          image.pixels);
    CHECK(image_from_tensor(tensor_from_image(image, 0, 1, TensorOptions().dtype(dtype)), 0, 1).pixels ==
          image.pixels);
  }
}

TEST_CASE("make_grid lays images out in rows with background margins", "[image]") {
  // Five 2x3 RGB images, image i a constant whose pixel value is 20 (i + 1).
  const int n = 5, c = 3, h = 2, w = 3;
  std::vector<double> values;
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < c * h * w; ++k) values.push_back(20.0 * (i + 1) / 255.0);
  const Tensor batch = from_vector(values, {n, c, h, w});

  const Image grid = make_grid(batch, 3, 1, 0.0, 1.0, 7);
  // Three columns, two rows, one-pixel gaps between them and none outside.
  REQUIRE(grid.width == 3 * w + 2);
  REQUIRE(grid.height == 2 * h + 1);
  REQUIRE(grid.channels == 3);
  for (int y = 0; y < grid.height; ++y)
    for (int x = 0; x < grid.width; ++x) {
      const bool gap = y == h || x == w || x == 2 * w + 1;
      const int cell = (y / (h + 1)) * 3 + x / (w + 1);
      const int expected = gap || cell >= n ? 7 : 20 * (cell + 1);
      for (int ch = 0; ch < c; ++ch) CHECK(int{grid.at(y, x, ch)} == expected);
    }

  const Image one_row = make_grid(batch.slice_batch(0, 2), 8, 2, 0.0, 1.0);
  CHECK(one_row.width == 2 * w + 2);
  CHECK(one_row.height == h);
  CHECK(int{one_row.at(0, w, 0)} == 255);
  CHECK(int{one_row.at(0, w + 2, 0)} == 40);

  CHECK_THROWS_WITH(make_grid(batch, 0, 1, 0.0, 1.0), Contains("make_grid") && Contains("columns"));
  CHECK_THROWS_WITH(make_grid(batch.reshape({n * c, h, w}), 2, 1, 0.0, 1.0), Contains("make_grid"));
}

TEST_CASE("Broken image files are refused with the path in the message", "[image]") {
  ScratchDir dir;

  SECTION("missing file") {
    const std::string path = dir.file("missing.jpg");
    const std::string message = error_of([&] { read_image(path); });
    CHECK_THAT(message, Contains(path) && Contains("no such file"));
  }
  SECTION("a directory") {
    CHECK_THAT(error_of([&] { read_image(dir.path.string()); }), Contains(dir.path.string()));
  }
  SECTION("a text file named .jpg") {
    const std::string path = dir.file("note.jpg");
    std::ofstream(path) << "this is not a picture\n";
    CHECK_THAT(error_of([&] { read_image(path); }), Contains(path) && Contains("not a JPEG or PNG"));
  }
  SECTION("an empty file") {
    const std::string path = dir.file("empty.png");
    write_bytes(path, Bytes{});
    CHECK_THAT(error_of([&] { read_image(path); }), Contains(path) && Contains("empty"));
  }
  SECTION("truncated JPEG") {
    const std::string good = dir.file("good.jpg");
    write_jpeg(good, smooth(64, 48, 3));
    const std::vector<std::uint8_t> bytes = read_bytes<Bytes>(good);
    for (const std::size_t keep : {bytes.size() / 2, bytes.size() - 2, std::size_t{300}, std::size_t{4}}) {
      const std::string path = dir.file(std::to_string(keep) + "_cut.jpg");
      write_bytes(path, std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep)));
      CHECK_THAT(error_of([&] { read_image(path); }), Contains(path) && Contains("truncated"));
    }
  }
  SECTION("truncated PNG") {
    const std::string good = dir.file("good.png");
    write_png(good, patterned(40, 30, 3));
    const std::vector<std::uint8_t> bytes = read_bytes<Bytes>(good);
    for (const std::size_t keep : {bytes.size() / 2, bytes.size() - 12, std::size_t{20}}) {
      const std::string path = dir.file(std::to_string(keep) + "_cut.png");
      write_bytes(path, std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep)));
      CHECK_THAT(error_of([&] { read_image(path); }), Contains(path) && Contains("truncated"));
    }
  }
  SECTION("a complete but undecodable JPEG carries stb's reason") {
    const std::string path = dir.file("hollow.jpg");
    write_bytes(path, Bytes{0xFF, 0xD8, 0xFF, 0xD9});
    CHECK_THAT(error_of([&] { read_image(path); }), Contains(path) && Contains("cannot decode: "));
  }
  SECTION("a channel count other than 0, 1 or 3") {
    const std::string path = dir.file("ok.png");
    write_png(path, patterned(2, 2, 3));
    CHECK_THAT(error_of([&] { read_image(path, 4); }), Contains(path) && Contains("channels"));
    CHECK_THAT(error_of([&] { decode_image(read_bytes<Bytes>(path), "bytes.png", 2); }), Contains("bytes.png"));
  }
}

TEST_CASE("Writing refuses bad images and unwritable paths", "[image]") {
  ScratchDir dir;
  const std::string nowhere = dir.file("no/such/dir/out.png");
  CHECK_THAT(error_of([&] { write_png(nowhere, patterned(2, 2, 3)); }), Contains(nowhere));
  CHECK_THAT(error_of([&] { write_jpeg(nowhere, patterned(2, 2, 3)); }), Contains(nowhere));
  Image short_pixels = patterned(4, 4, 3);
  short_pixels.pixels.resize(10);
  CHECK_THAT(error_of([&] { write_png(dir.file("s.png"), short_pixels); }), Contains("s.png") && Contains("bytes"));
  CHECK_THAT(error_of([&] { write_jpeg(dir.file("q.jpg"), patterned(2, 2, 3), 0); }), Contains("quality"));
  CHECK_THAT(error_of([&] { write_png(dir.file("e.png"), Image()); }), Contains("e.png"));
}
