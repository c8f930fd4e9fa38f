// The synthetic faces' renderer as a conditional generator: z holds face
// numbers, y the labels each face is drawn with, and the faces come out as
// the apps' training faces do.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "common/face_data.hpp"
#include "common/synthetic_renderer.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "nn/image.hpp"
#include "nn/ops.hpp"

namespace {

using nn::data::kCelebaAttributeCount;

nn::Tensor row_tensor(const std::vector<std::array<bool, kCelebaAttributeCount>>& rows) {
  std::vector<float> values;
  for (const auto& row : rows)
    for (bool v : row) values.push_back(v ? 1.0f : 0.0f);
  return nn::from_vector(values, {static_cast<std::int64_t>(rows.size()), kCelebaAttributeCount});
}

nn::evaluation::ConditionalGenerator renderer() {
  return nn::apps::synthetic_renderer({}, nn::evaluation::label_rows_sampler(std::vector<float>(40, 0.0f), 40),
                                      nn::Device::cpu());
}

}  // namespace

TEST_CASE("synthetic renderer: noise picks whole face numbers past every data set", "[synthetic_renderer]") {
  const nn::evaluation::ConditionalGenerator g = renderer();
  REQUIRE(g.latent == 1);
  const nn::Tensor faces = g.latent_from_noise(nn::from_vector(std::vector<float>{0.0f, 0.5f, 0.999999f}, {3, 1}));
  const std::vector<float> numbers = faces.to_vector<float>();
  CHECK(numbers[0] == 8388608.0f);
  CHECK(numbers[1] == 8388608.0f + 4194304.0f);
  CHECK(numbers[2] < 16777216.0f);
  for (float f : numbers) CHECK(f == std::floor(f));
}

TEST_CASE("synthetic renderer: a face drawn with its own labels is the training pipeline's face",
          "[synthetic_renderer]") {
  const nn::evaluation::ConditionalGenerator g = renderer();
  const std::vector<std::int64_t> numbers = {8388608, 8388700};
  std::vector<std::array<bool, kCelebaAttributeCount>> own;
  std::vector<float> z;
  for (const std::int64_t n : numbers) {
    own.push_back(nn::data::synthetic_face_attributes(nn::apps::kSyntheticFacesSeed, n));
    z.push_back(static_cast<float>(n));
  }
  const nn::Tensor images = g.generate(row_tensor(own), nn::from_vector(z, {2, 1}));
  REQUIRE(images.shape() == nn::Shape{2, 3, 64, 64});
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const nn::Image expected = nn::data::preprocess(
        nn::data::render_synthetic_face(nn::apps::kSyntheticFacesSeed, numbers[i]).image, {}, "face");
    const std::vector<float> want = nn::tensor_from_image(expected, -1, 1).to_vector<float>();
    const std::vector<float> got =
        images.slice_batch(static_cast<std::int64_t>(i), static_cast<std::int64_t>(i) + 1).to_vector<float>();
    CHECK(got == want);
  }
}

TEST_CASE("synthetic renderer: the labels asked for change the face", "[synthetic_renderer]") {
  const nn::evaluation::ConditionalGenerator g = renderer();
  const std::int64_t number = 8388610;
  std::array<bool, kCelebaAttributeCount> plain = nn::data::synthetic_face_attributes(nn::apps::kSyntheticFacesSeed,
                                                                                      number);
  plain[static_cast<std::size_t>(nn::data::celeba_attribute_index("Wearing_Hat"))] = false;
  std::array<bool, kCelebaAttributeCount> hat = plain;
  hat[static_cast<std::size_t>(nn::data::celeba_attribute_index("Wearing_Hat"))] = true;
  const nn::Tensor z = nn::from_vector(std::vector<float>{static_cast<float>(number), static_cast<float>(number)},
                                       {2, 1});
  const std::vector<float> pixels = g.generate(row_tensor({plain, hat}), z).to_vector<float>();
  const std::size_t half = pixels.size() / 2;
  double changed = 0;
  for (std::size_t i = 0; i < half; ++i) changed += std::abs(pixels[i] - pixels[half + i]) > 0.1f ? 1.0 : 0.0;
  INFO("share of values a hat changed: " << changed / static_cast<double>(half));
  CHECK(changed / static_cast<double>(half) > 0.05);
}
