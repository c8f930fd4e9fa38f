// measure_classifier: the per-attribute accuracy of any classifier of a data
// set's labels, beside the majority baseline.
#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "evaluation/pattern_images.hpp"
#include "nn/evaluation/attribute_judge.hpp"

using nn::testing::PatternImages;

TEST_CASE("measure_classifier counts a fixed answer against the labels and the majority", "[measure_classifier]") {
  // 40 images, ten of each of the four one-hot classes.
  const auto images = std::make_shared<PatternImages>(40, 8, 1, 3);
  // Always says "class 0 present, the others absent".
  const nn::evaluation::ClassifierLogits fixed = [](const nn::Tensor& batch) {
    std::vector<float> logits;
    for (std::int64_t i = 0; i < batch.size(0); ++i) logits.insert(logits.end(), {1.0f, -1.0f, -1.0f, -1.0f});
    return nn::from_vector(logits, {batch.size(0), 4});
  };
  const nn::evaluation::JudgeQuality q = nn::evaluation::measure_classifier(
      fixed, images, {true, false, false, false}, {"a", "b", "c", "d"}, nn::Device::cpu());
  CHECK(q.faces == 40);
  CHECK(q.accuracy == std::vector<double>{0.25, 0.75, 0.75, 0.75});
  CHECK(q.majority_accuracy == std::vector<double>{0.25, 0.75, 0.75, 0.75});
  CHECK(q.balanced_accuracy == std::vector<double>{0.5, 0.5, 0.5, 0.5});
  CHECK(q.positives == std::vector<std::int64_t>{10, 10, 10, 10});
}

TEST_CASE("measure_classifier refuses a classifier with the wrong number of outputs", "[measure_classifier]") {
  const auto images = std::make_shared<PatternImages>(8, 8, 1, 3);
  const nn::evaluation::ClassifierLogits three = [](const nn::Tensor& batch) {
    return nn::zeros({batch.size(0), 3});
  };
  CHECK_THROWS_WITH(nn::evaluation::measure_classifier(three, images, {false, false, false, false},
                                                       {"a", "b", "c", "d"}, nn::Device::cpu()),
                    Catch::Matchers::Contains("measure_classifier") && Catch::Matchers::Contains("logits"));
}
