// The unconditional evaluator with a small class judge trained on drawn
// patterns: held-out images as the "generator" sit at the real-vs-real floor
// with the real diversity and every class, one repeated image has no
// diversity, one class and a large distance; the draws are its own.
#include "nn/evaluation/unconditional_evaluation.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "evaluation/pattern_images.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/evaluation/fashion_judge.hpp"
#include "nn/evaluation/judge_cache.hpp"
#include "support/scratch_dir.hpp"

using namespace nn;

namespace {

constexpr std::int64_t kHeldOut = 400;

std::shared_ptr<const testing::PatternImages> held_out() {
  return std::make_shared<testing::PatternImages>(kHeldOut, 28, 1, 2);
}

const evaluation::TrainedJudge& class_judge() {
  static const testing::ScratchDir dir("libnn_unconditional");
  static const evaluation::TrainedJudge judge = [] {
    evaluation::JudgeRequest request;
    request.train = std::make_shared<testing::PatternImages>(1200, 28, 1, 1);
    request.held_out = held_out();
    request.names = {"horizontal", "vertical", "square", "frame"};
    request.cache_dir = dir.path.string();
    request.training.epochs = 2;
    request.training.objective = evaluation::JudgeObjective::classes;
    return evaluation::load_or_train_judge(request);
  }();
  return judge;
}

evaluation::UnconditionalOptions small_options() {
  evaluation::UnconditionalOptions o;
  o.generated = 300;
  o.chunk = 64;
  o.seed = 3;
  return o;
}

const evaluation::UnconditionalEvaluator& evaluator() {
  static const evaluation::UnconditionalEvaluator e(class_judge().judge, class_judge().quality, held_out(),
                                                    small_options(), Device::cpu());
  return e;
}

// The held-out images as [N,1,28,28] in [-1, 1].
Tensor held_out_images() {
  const auto set = held_out();
  std::vector<float> values;
  std::vector<std::uint8_t> image(28 * 28);
  std::vector<float> labels(4);
  for (std::int64_t i = 0; i < set->size(); ++i) {
    set->read(i, image.data(), labels.data());
    for (std::uint8_t p : image) values.push_back(static_cast<float>(p) / 127.5f - 1.0f);
  }
  return from_vector(values, {set->size(), 1, 28, 28});
}

// Each row: the held-out image picked by z's first value (uniform in [0, 1)).
evaluation::UnconditionalGenerator real_images() {
  const Tensor bank = held_out_images();
  return [bank](const Tensor& z) {
    const std::vector<float> values = z.to_vector<float>();
    const std::int64_t latent = z.size(1);
    std::vector<Tensor> rows;
    for (std::int64_t r = 0; r < z.size(0); ++r) {
      const auto i = std::min<std::int64_t>(
          kHeldOut - 1, static_cast<std::int64_t>(values[static_cast<std::size_t>(r * latent)] * kHeldOut));
      rows.push_back(bank.slice_batch(i, i + 1));
    }
    return concat(rows, 0);
  };
}

evaluation::UnconditionalGenerator one_image() {
  const Tensor image = held_out_images().slice_batch(0, 1);
  return
      [image](const Tensor& z) { return concat(std::vector<Tensor>(static_cast<std::size_t>(z.size(0)), image), 0); };
}

}  // namespace

// One test case, so that one process trains the judge once.
TEST_CASE("the unconditional evaluation with a small class judge", "[evaluation][unconditional]") {
  SECTION("the judge is a classifier and reads the classes") {
    const evaluation::JudgeQuality& q = class_judge().quality;
    REQUIRE(class_judge().trained);
    CHECK(q.classes);
    INFO("top-1 accuracy " << q.top1_accuracy);
    CHECK(q.top1_accuracy > 0.9);
    REQUIRE(q.class_recall.size() == 4);
    double mean_recall = 0;
    for (double r : q.class_recall) mean_recall += r / 4;
    CHECK(mean_recall == Approx(q.top1_accuracy));  // the classes are balanced
  }

  SECTION("held-out images: near the floor, the real diversity, every class") {
    const evaluation::UnconditionalScores s =
        evaluator().evaluate(real_images(), 2, evaluation::LatentDistribution::uniform);
    INFO("FD " << s.frechet << " (floor " << s.frechet_floor << "), diversity ratio " << s.diversity_ratio());
    CHECK(s.frechet < 2 * s.frechet_floor);
    CHECK(s.diversity_ratio() > 0.9);
    CHECK(s.diversity_ratio() < 1.1);
    REQUIRE(s.classes);
    REQUIRE(s.real_classes);
    std::int64_t total = 0;
    for (std::int64_t n : s.classes->counts) total += n;
    CHECK(total == 300);
    CHECK(s.classes->covered == 4);
    CHECK(s.classes->entropy > 0.95 * s.classes->max_entropy);
    CHECK(std::abs(s.classes->confident - s.real_classes->confident) < 0.1);
    CHECK(s.real_classes->covered == 4);
  }

  SECTION("one repeated image: no diversity, one class, far from the real images") {
    const evaluation::UnconditionalScores real =
        evaluator().evaluate(real_images(), 2, evaluation::LatentDistribution::uniform);
    const evaluation::UnconditionalScores one =
        evaluator().evaluate(one_image(), 2, evaluation::LatentDistribution::uniform);
    INFO("FD " << one.frechet << " vs " << real.frechet << " for held-out images");
    CHECK(one.diversity < 1e-4 * one.real_diversity);
    CHECK(one.frechet > 5 * real.frechet);
    CHECK(one.frechet > 5 * one.frechet_floor);
    REQUIRE(one.classes);
    CHECK(one.classes->covered == 1);
    CHECK(one.classes->entropy == 0.0);
  }

  SECTION("the generator is called in chunks, without autograd, with z from the asked distribution") {
    std::vector<std::int64_t> chunks;
    bool grad_seen = false;
    float low = 1, high = 0;
    const auto spy = [&](evaluation::LatentDistribution distribution) {
      chunks.clear();
      low = 1;
      high = 0;
      const evaluation::UnconditionalGenerator inner = one_image();
      evaluator().evaluate(
          [&](const Tensor& z) {
            chunks.push_back(z.size(0));
            grad_seen = grad_seen || grad_mode_enabled();
            CHECK(z.size(1) == 5);
            for (float v : z.to_vector<float>()) {
              low = std::min(low, v);
              high = std::max(high, v);
            }
            return inner(z);
          },
          5, distribution);
    };
    spy(evaluation::LatentDistribution::uniform);
    CHECK(chunks == std::vector<std::int64_t>{64, 64, 64, 64, 44});
    CHECK_FALSE(grad_seen);
    CHECK(low >= 0.0f);
    CHECK(high < 1.0f);
    spy(evaluation::LatentDistribution::normal);
    CHECK(low < -2.0f);
    CHECK(high > 2.0f);
    spy(evaluation::LatentDistribution::uniform_pm1);
    CHECK(low >= -1.0f);
    CHECK(low < -0.9f);
    CHECK(high < 1.0f);
    CHECK(high > 0.9f);
  }

  SECTION("the evaluation leaves the global random state alone and repeats exactly") {
    evaluator();  // built before the seed is set
    manual_seed(42);
    const std::vector<float> expected = uniform({8}, 0.0, 1.0).to_vector<float>();
    manual_seed(42);
    const evaluation::UnconditionalEvaluator fresh(class_judge().judge, class_judge().quality, held_out(),
                                                   small_options(), Device::cpu());
    const evaluation::UnconditionalScores a = fresh.evaluate(real_images(), 2, evaluation::LatentDistribution::uniform);
    CHECK(uniform({8}, 0.0, 1.0).to_vector<float>() == expected);
    const evaluation::UnconditionalScores b = fresh.evaluate(real_images(), 2, evaluation::LatentDistribution::uniform);
    CHECK(a.frechet == b.frechet);
    CHECK(a.diversity == b.diversity);
    CHECK(a.classes->counts == b.classes->counts);
  }

  SECTION("an attribute judge gives no class figures; the JSON names the classes") {
    evaluation::JudgeQuality attributes = class_judge().quality;
    attributes.classes = false;
    const evaluation::UnconditionalEvaluator plain(class_judge().judge, attributes, held_out(), small_options(),
                                                   Device::cpu());
    const evaluation::UnconditionalScores s = plain.evaluate(one_image(), 2, evaluation::LatentDistribution::uniform);
    CHECK_FALSE(s.classes);
    CHECK(json::dump(evaluation::to_json(s, attributes.names)).find("histogram") == std::string::npos);

    const evaluation::UnconditionalScores c =
        evaluator().evaluate(one_image(), 2, evaluation::LatentDistribution::uniform);
    const json::Value v = evaluation::to_json(c, class_judge().quality.names);
    REQUIRE(v.find("frechet_floor"));
    REQUIRE(v.find("classes"));
    const json::Value* histogram = v.find("classes")->find("histogram");
    REQUIRE(histogram);
    std::int64_t total = 0;
    for (const std::string& name : class_judge().quality.names) {
      REQUIRE(histogram->find(name));
      total += histogram->find(name)->as_integer();
    }
    CHECK(total == 300);
  }
}

TEST_CASE("the Fashion-MNIST judge is a 10-class classifier of grey images", "[evaluation][fashion_judge]") {
  // A Fashion-MNIST-shaped set made of drawn patterns (classes 0-3 only).
  const testing::PatternImages patterns(240, 28, 1, 5);
  std::vector<std::uint8_t> images(240 * 28 * 28), labels;
  std::vector<float> one_hot(4);
  for (std::int64_t i = 0; i < 240; ++i) {
    patterns.read(i, images.data() + i * 28 * 28, one_hot.data());
    labels.push_back(static_cast<std::uint8_t>(patterns.label(i)));
  }
  const auto set = std::make_shared<data::FashionMnist>(images, labels);
  const testing::ScratchDir dir("libnn_fashion_judge");
  const evaluation::TrainedJudge judge =
      evaluation::load_or_train_fashion_judge(set, set, dir.path.string(), Device::cpu());
  CHECK(judge.trained);
  CHECK(judge.quality.classes);
  REQUIRE(judge.quality.names.size() == 10);
  CHECK(judge.quality.names[0] == std::string(data::fashion_mnist_class_names()[0]));
  CHECK(judge.judge->attributes() == 10);
  CHECK(judge.judge->image_size() == 28);
  CHECK(judge.judge->channels() == 1);
  CHECK_FALSE(evaluation::load_or_train_fashion_judge(set, set, dir.path.string(), Device::cpu()).trained);
  const auto rgb = std::make_shared<testing::PatternImages>(40, 28, 3, 1);
  CHECK_THROWS_AS(evaluation::load_or_train_fashion_judge(rgb, rgb, dir.path.string(), Device::cpu()), Error);
}
