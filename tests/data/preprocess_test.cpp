#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "nn/data/preprocess.hpp"
#include "nn/error.hpp"

using namespace nn::data;
using Catch::Matchers::Contains;

namespace {

// Red is the column, green the row, blue a pattern whose 2x2 sums are not
// multiples of 4 (so rounding shows).
nn::Image gradient(int width, int height) {
  nn::Image image(width, height, 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      image.at(y, x, 0) = static_cast<std::uint8_t>(x);
      image.at(y, x, 1) = static_cast<std::uint8_t>(y);
      image.at(y, x, 2) = static_cast<std::uint8_t>(100 + (x % 2) + 2 * ((x + y) % 3));
    }
  return image;
}

}  // namespace

TEST_CASE("face crop keeps rows 59..186 and columns 24..151", "[preprocess]") {
  const nn::Image image = gradient(178, 218);
  const nn::Image face = preprocess(image, {CropMode::face_crop, 128, Halving::area_average}, "img.jpg");
  REQUIRE(face.width == 128);
  REQUIRE(face.height == 128);
  CHECK(face.at(0, 0, 0) == 24);
  CHECK(face.at(0, 0, 1) == 59);
  CHECK(face.at(127, 127, 0) == 151);
  CHECK(face.at(127, 127, 1) == 186);
  for (int y = 0; y < 128; y += 9)
    for (int x = 0; x < 128; x += 7)
      for (int c = 0; c < 3; ++c) CHECK(face.at(y, x, c) == image.at(59 + y, 24 + x, c));
}

TEST_CASE("face crop halved by 2x2 area average rounds to nearest", "[preprocess]") {
  const nn::Image image = gradient(178, 218);
  const nn::Image face = preprocess(image, {CropMode::face_crop, 64, Halving::area_average}, "img.jpg");
  REQUIRE(face.width == 64);
  REQUIRE(face.height == 64);
  REQUIRE(face.channels == 3);
  // Red averages columns 24+2X and 25+2X: 24.5+2X rounds half up to 25+2X;
  // green likewise gives 60+2Y.
  CHECK(face.at(0, 0, 0) == 25);
  CHECK(face.at(0, 0, 1) == 60);
  CHECK(face.at(63, 63, 0) == 151);
  CHECK(face.at(10, 20, 0) == 65);
  CHECK(face.at(10, 20, 1) == 80);
  // Blue at block (0,0): columns 24, 25, rows 59, 60:
  // 100 + 0 + 2*((24+59)%3=2) = 104, 100 + 1 + 2*((25+59)%3=0) = 101,
  // 100 + 0 + 2*((24+60)%3=0) = 100, 100 + 1 + 2*((25+60)%3=1) = 103;
  // sum 408, mean 102.
  CHECK(face.at(0, 0, 2) == 102);
  // Block (0,1): columns 26, 27: 100+2*1=102, 101+2*2=105, 100+2*2=104, 101+0=101;
  // sum 412, mean 103.
  CHECK(face.at(0, 1, 2) == 103);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) {
      CHECK(face.at(y, x, 0) == 25 + 2 * x);
      CHECK(face.at(y, x, 1) == 60 + 2 * y);
      int sum = 0;
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx) sum += image.at(59 + 2 * y + dy, 24 + 2 * x + dx, 2);
      const int expected = static_cast<int>(sum / 4.0 + 0.5);
      CHECK(face.at(y, x, 2) == expected);
    }
}

TEST_CASE("face crop halved by decimation takes each block's top-left pixel", "[preprocess]") {
  const nn::Image image = gradient(178, 218);
  const nn::Image face = preprocess(image, {CropMode::face_crop, 64, Halving::decimate}, "img.jpg");
  REQUIRE(face.width == 64);
  CHECK(face.at(0, 0, 0) == 24);
  CHECK(face.at(0, 0, 1) == 59);
  CHECK(face.at(0, 0, 2) == 104);
  CHECK(face.at(63, 63, 0) == 150);
  CHECK(face.at(63, 63, 1) == 185);
  for (int y = 0; y < 64; y += 5)
    for (int x = 0; x < 64; x += 3)
      for (int c = 0; c < 3; ++c) CHECK(face.at(y, x, c) == image.at(59 + 2 * y, 24 + 2 * x, c));
}

TEST_CASE("face crop refuses images that are not 178x218 and names the file", "[preprocess]") {
  const nn::Image image = gradient(128, 128);
  try {
    preprocess(image, {CropMode::face_crop, 64, Halving::area_average}, "dir/000007.jpg");
    FAIL("expected an nn::Error");
  } catch (const nn::Error& e) {
    CHECK_THAT(e.what(), Contains("dir/000007.jpg") && Contains("128x128") && Contains("178x218"));
  }
  CHECK_THROWS_WITH(preprocess(gradient(178, 218), {CropMode::face_crop, 32, Halving::area_average}, "a.jpg"),
                    Contains("a.jpg") && Contains("64 or 128"));
}

TEST_CASE("area resize averages the source rectangle each pixel covers", "[preprocess]") {
  SECTION("integer factor: block means") {
    nn::Image image(4, 2, 1);
    const std::uint8_t values[] = {10, 20, 30, 41, 50, 60, 70, 80};
    std::copy(std::begin(values), std::end(values), image.pixels.begin());
    const nn::Image out = resize_area(image, 2, 1);
    CHECK(out.at(0, 0, 0) == 35);  // (10+20+50+60)/4
    CHECK(out.at(0, 1, 0) == 55);  // (30+41+70+80)/4 = 55.25
  }
  SECTION("fractional factor: edge pixels weighted by their coverage") {
    nn::Image image(3, 1, 1);
    image.pixels = {0, 90, 180};
    const nn::Image out = resize_area(image, 2, 1);
    CHECK(out.at(0, 0, 0) == 30);   // (0*1 + 90*0.5) / 1.5
    CHECK(out.at(0, 1, 0) == 150);  // (90*0.5 + 180*1) / 1.5
  }
  SECTION("a constant image stays constant, up or down") {
    const nn::Image image(178, 218, 3, 77);
    for (int size : {64, 128, 300}) {
      const nn::Image out = resize_area(image, size, size);
      REQUIRE(out.width == size);
      for (std::uint8_t v : out.pixels) CHECK(v == 77);
    }
  }
  SECTION("the whole image resized by preprocess") {
    const nn::Image out = preprocess(gradient(178, 218), {CropMode::resize, 64, Halving::area_average}, "x");
    CHECK(out.width == 64);
    CHECK(out.height == 64);
    // Column 0 covers source columns [0, 2.78125): mean of 0, 1 and 2 weighted 1, 1, 0.78125.
    CHECK(out.at(10, 0, 0) == 1);
    CHECK(out.at(10, 63, 0) == 176);  // columns 175.22..178: (175*.78125 + 176 + 177) / 2.78125 = 176.08
  }
}

TEST_CASE("centre crop takes the middle square then resizes", "[preprocess]") {
  SECTION("exact size: a plain crop") {
    const nn::Image image = gradient(64, 80);
    const nn::Image out = center_crop(image, 64);
    REQUIRE(out.width == 64);
    REQUIRE(out.height == 64);
    CHECK(out.at(0, 0, 1) == 8);
    CHECK(out.at(63, 0, 1) == 71);
    CHECK(out.at(5, 9, 0) == 9);
  }
  SECTION("a CelebA image to 128") {
    const nn::Image out = preprocess(gradient(178, 218), {CropMode::center_crop, 128, Halving::area_average}, "x");
    REQUIRE(out.width == 128);
    REQUIRE(out.height == 128);
    // Rows 20..197 scaled by 178/128 = 1.390625. Row 0 covers source rows
    // 20 and 21 (weight 0.390625): (20 + 21*0.390625) / 1.390625 = 20.28.
    CHECK(out.at(0, 50, 1) == 20);
    // Row 127 covers rows 196 (0.390625) and 197: 196.72.
    CHECK(out.at(127, 50, 1) == 197);
  }
}

TEST_CASE("halving needs an even size", "[preprocess]") {
  CHECK_THROWS_AS(halve(gradient(5, 4), Halving::area_average), nn::Error);
  CHECK_THROWS_AS(crop(gradient(10, 10), 5, 5, 6, 6), nn::Error);
}

TEST_CASE("bilinear resize shrinks with a triangle filter as wide as the scale", "[preprocess]") {
  // 4 -> 2: scale 2, so the triangle reaches 2 source pixels either side.
  // Output 0 is centred at 1.0; sources centred at 0.5, 1.5, 2.5, 3.5 lie
  // 0.5, 0.5, 1.5, 2.5 away: weights 1 - d/2 = 0.75, 0.75, 0.25, 0 (sum 1.75).
  // Output 1 (centre 3.0) mirrors them: 0, 0.25, 0.75, 0.75.
  // Plain 2-tap bilinear would give 15 and 36 for the first channel.
  nn::Image image(4, 1, 2);
  image.pixels = {10, 245, 20, 20, 30, 30, 41, 41};
  const nn::Image out = resize_bilinear(image, 2, 1);
  REQUIRE(out.width == 2);
  REQUIRE(out.height == 1);
  REQUIRE(out.channels == 2);
  CHECK(out.at(0, 0, 0) == 17);   // (10*.75 + 20*.75 + 30*.25) / 1.75 = 17.14
  CHECK(out.at(0, 1, 0) == 33);   // (20*.25 + 30*.75 + 41*.75) / 1.75 = 33.29
  CHECK(out.at(0, 0, 1) == 118);  // (245*.75 + 20*.75 + 30*.25) / 1.75 = 117.86
  CHECK(out.at(0, 1, 1) == 33);
}

TEST_CASE("bilinear resize enlarges by plain interpolation between pixel centres", "[preprocess]") {
  // 2 -> 4: scale 0.5, the triangle keeps its width 1. Output x is centred at
  // (x + 0.5) / 2 = 0.25, 0.75, 1.25, 1.75 in source pixels; the sources sit
  // at 0.5 and 1.5. Output 0 only reaches source 0 (weight 0.75, normalised
  // to 1), output 3 only source 1.
  nn::Image image(2, 1, 1);
  image.pixels = {10, 61};
  const nn::Image wide = resize_bilinear(image, 4, 1);
  REQUIRE(wide.width == 4);
  CHECK(wide.at(0, 0, 0) == 10);
  CHECK(wide.at(0, 1, 0) == 23);  // 10*.75 + 61*.25 = 22.75
  CHECK(wide.at(0, 2, 0) == 48);  // 10*.25 + 61*.75 = 48.25
  CHECK(wide.at(0, 3, 0) == 61);
  // The same along the other axis: a 1x2 column becomes 1x4.
  nn::Image column(1, 2, 1);
  column.pixels = {10, 61};
  const nn::Image tall = resize_bilinear(column, 1, 4);
  REQUIRE(tall.height == 4);
  CHECK(tall.pixels == std::vector<std::uint8_t>{10, 23, 48, 61});
}

TEST_CASE("bilinear resize rounds the horizontal pass to bytes before the vertical one", "[preprocess]") {
  // 3x3 -> 1x1: scale 3, centre 1.5; sources at 0.5, 1.5, 2.5 get weights
  // 1 - d/3 = 2/3, 1, 2/3, normalised to 2/7, 3/7, 2/7 on each axis.
  // Rows: (2*7 + 3*3 + 2*6)/7 = 5, (2*6 + 3*2 + 2*5)/7 = 4, (2*8 + 3*5 + 2*1)/7 = 4.71 -> 5.
  // Column of those: (2*5 + 3*4 + 2*5)/7 = 4.57 -> 5. Without the rounding
  // in between it would be 4.49 -> 4.
  nn::Image image(3, 3, 1);
  image.pixels = {7, 3, 6, 6, 2, 5, 8, 5, 1};
  const nn::Image out = resize_bilinear(image, 1, 1);
  REQUIRE(out.width == 1);
  REQUIRE(out.height == 1);
  CHECK(out.at(0, 0, 0) == 5);
}

TEST_CASE("bilinear resize keeps constants and the image at its own size", "[preprocess]") {
  const nn::Image flat(178, 218, 3, 201);
  for (const auto& [width, height] : {std::pair{28, 28}, {64, 64}, {5, 3}, {300, 7}, {1, 1}}) {
    const nn::Image out = resize_bilinear(flat, width, height);
    REQUIRE(out.width == width);
    REQUIRE(out.height == height);
    REQUIRE(out.channels == 3);
    for (std::uint8_t v : out.pixels) CHECK(v == 201);
  }
  const nn::Image image = gradient(37, 23);
  CHECK(resize_bilinear(image, 37, 23).pixels == image.pixels);
  CHECK_THROWS_WITH(resize_bilinear(image, 0, 5), Contains("37x23") && Contains("0x5"));
  CHECK_THROWS_AS(resize_bilinear(nn::Image(), 4, 4), nn::Error);
}

TEST_CASE("tutorial crop takes the central 108x108 square of a CelebA image", "[preprocess]") {
  const nn::Image image = gradient(178, 218);
  const nn::Image square = preprocess(image, {CropMode::tutorial_crop, 108, Halving::area_average}, "img.jpg");
  REQUIRE(square.width == 108);
  REQUIRE(square.height == 108);
  CHECK(square.at(0, 0, 0) == 35);
  CHECK(square.at(0, 0, 1) == 55);
  CHECK(square.at(107, 107, 0) == 142);
  CHECK(square.at(107, 107, 1) == 162);
  for (int y = 0; y < 108; y += 7)
    for (int x = 0; x < 108; x += 5)
      for (int c = 0; c < 3; ++c) CHECK(square.at(y, x, c) == image.at(55 + y, 35 + x, c));

  for (int size : {28, 64, 3}) {
    const nn::Image out = preprocess(image, {CropMode::tutorial_crop, size, Halving::area_average}, "img.jpg");
    REQUIRE(out.width == size);
    REQUIRE(out.height == size);
    CHECK(out.pixels == resize_bilinear(crop(image, 55, 35, 108, 108), size, size).pixels);
  }
}

TEST_CASE("tutorial crop refuses other image sizes and sizes below 1", "[preprocess]") {
  try {
    preprocess(gradient(128, 128), {CropMode::tutorial_crop, 28, Halving::area_average}, "dir/000009.jpg");
    FAIL("expected an nn::Error");
  } catch (const nn::Error& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Contains("dir/000009.jpg") && Contains("128x128") && Contains("178x218"));
    CHECK(message.find('\n') == std::string::npos);
  }
  CHECK_THROWS_WITH(preprocess(gradient(178, 218), {CropMode::tutorial_crop, 0, Halving::area_average}, "b.jpg"),
                    Contains("b.jpg") && Contains("at least 1") && Contains("got 0"));
  CHECK_NOTHROW(check_output_size({CropMode::tutorial_crop, 28, Halving::area_average}, "x"));
  CHECK_THROWS_WITH(check_output_size({CropMode::resize, 28, Halving::area_average}, "x"), Contains("64 or 128"));
}

TEST_CASE("preprocess: each set of options has its own short name for cache files", "[preprocess]") {
  const auto name = [](CropMode mode, int size, Halving halving) {
    PreprocessOptions o;
    o.mode = mode;
    o.size = size;
    o.halving = halving;
    return preprocess_name(o);
  };
  CHECK(name(CropMode::face_crop, 64, Halving::area_average) == "face64_area");
  CHECK(name(CropMode::face_crop, 64, Halving::decimate) == "face64_decimate");
  CHECK(name(CropMode::face_crop, 128, Halving::decimate) == "face128");
  CHECK(name(CropMode::resize, 64, Halving::area_average) == "resize64");
  CHECK(name(CropMode::center_crop, 128, Halving::area_average) == "center128");
  CHECK(name(CropMode::tutorial_crop, 28, Halving::area_average) == "tutorial28");
}
