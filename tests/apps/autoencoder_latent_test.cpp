// The latent statistics new faces are sampled from: each latent dimension's
// mean and unbiased deviation over a set of codes.
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <vector>

#include "celeba_autoencoders/latent_statistics.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/error.hpp"

using autoencoders::LatentStatistics;
using Catch::Matchers::Contains;

TEST_CASE("latent statistics of a hand-made set of codes", "[autoencoders][latent]") {
  // Dimension 0: 1, 3, 5 (mean 3, deviation 2); dimension 1: 10, 10, 16 (mean 12, deviation sqrt(12)).
  const LatentStatistics s = autoencoders::statistics_of_codes({1, 10, 3, 10, 5, 16}, 2);
  REQUIRE(s.size() == 2);
  CHECK(s.mean[0] == Approx(3.0));
  CHECK(s.mean[1] == Approx(12.0));
  CHECK(s.stddev[0] == Approx(2.0));
  CHECK(s.stddev[1] == Approx(std::sqrt(12.0)));
  CHECK_THROWS_AS(autoencoders::statistics_of_codes({1, 2}, 2), nn::Error);  // one code has no deviation
  CHECK_THROWS_AS(autoencoders::statistics_of_codes({1, 2, 3}, 2), nn::Error);
}

TEST_CASE("latents drawn from the statistics have their means and deviations", "[autoencoders][latent]") {
  const LatentStatistics s{{0.5, -2.0, 10.0}, {0.1, 3.0, 0.0}};
  const nn::Tensor exact = s.latent_from_noise(nn::from_vector(std::vector<float>{0, 0, 0, 1, -1, 7}, {2, 3}));
  CHECK_THAT(exact.to_vector<double>(),
             Catch::Matchers::Approx(std::vector<double>{0.5, -2.0, 10.0, 0.6, -5.0, 10.0}).epsilon(1e-6));
  nn::manual_seed(4);
  const std::int64_t n = 20000;
  const std::vector<double> drawn = s.latent_from_noise(nn::normal({n, 3}, 0.0, 1.0)).to_vector<double>();
  std::vector<double> codes(drawn.begin(), drawn.end());
  const LatentStatistics measured = autoencoders::statistics_of_codes(codes, 3);
  for (std::size_t d = 0; d < 3; ++d) {
    INFO(d);
    CHECK(measured.mean[d] == Approx(s.mean[d]).margin(0.05 * std::max(s.stddev[d], 0.01)));
    CHECK(measured.stddev[d] == Approx(s.stddev[d]).margin(0.03 * std::max(s.stddev[d], 0.01)));
  }
  CHECK_THROWS_WITH(s.latent_from_noise(nn::zeros({2, 4})), Contains("3 latent dimensions"));
}

TEST_CASE("fit_latent_statistics encodes every face of a data set", "[autoencoders][latent]") {
  // Three 1x1x2 images: (0, 255), (255, 255), (51, 0); the "encoder" reads the two pixels in [0, 1].
  auto payload = std::shared_ptr<std::uint8_t[]>(new std::uint8_t[6 + 3 * 40]());
  const std::uint8_t pixels[] = {0, 255, 255, 255, 51, 0};
  std::copy(std::begin(pixels), std::end(pixels), payload.get());
  const auto faces = std::make_shared<nn::data::PackedDataset>(std::shared_ptr<const std::uint8_t>(payload, payload.get()),
                                                               3, nn::Shape{1, 1, 2}, 40);
  const LatentStatistics s = autoencoders::fit_latent_statistics(
      [](const nn::Tensor& images) { return images.reshape({images.size(0), 2}); }, faces, nn::Device::cpu());
  CHECK(s.mean[0] == Approx(0.4));
  CHECK(s.mean[1] == Approx(2.0 / 3.0));
  CHECK(s.stddev[0] == Approx(std::sqrt((0.16 + 0.36 + 0.04) / 2)));
  CHECK(s.stddev[1] == Approx(std::sqrt((1.0 / 9 + 1.0 / 9 + 4.0 / 9) / 2)));
}

TEST_CASE("latent statistics round-trip through checkpoint metadata, and bad entries name the file",
          "[autoencoders][latent]") {
  const LatentStatistics s{{0.25, -1.5}, {0.125, 2.0}};
  const LatentStatistics back = LatentStatistics::from_metadata(s.to_metadata(), "run.safetensors");
  CHECK(back.mean == s.mean);
  CHECK(back.stddev == s.stddev);
  for (const char* bad : {"[1]", "{\"mean\": [1, 2], \"stddev\": [1]}", "{\"mean\": [1], \"stddev\": [-1]}",
                          "{\"mean\": [\"x\"], \"stddev\": [1]}", "{\"mean\": [], \"stddev\": []}", "{mean"}) {
    INFO(bad);
    CHECK_THROWS_WITH(LatentStatistics::from_metadata(bad, "run.safetensors"),
                      Contains("run.safetensors") && Contains("latent_statistics"));
  }
}
