// The judge at other image sizes and channel counts, and its cache: a cached
// judge is only loaded for images of the size and channel count it was
// trained on, and loading one leaves the global random state alone.
#include <catch2/catch.hpp>
#include <filesystem>

#include "evaluation/pattern_images.hpp"
#include "nn/evaluation/judge_cache.hpp"
#include "support/scratch_dir.hpp"

using namespace nn;

namespace {

evaluation::JudgeRequest pattern_request(std::int64_t size, std::int64_t channels, const std::string& cache_dir) {
  evaluation::JudgeRequest request;
  request.train = std::make_shared<testing::PatternImages>(200, size, channels, 1);
  request.held_out = std::make_shared<testing::PatternImages>(80, size, channels, 2);
  request.names = {"horizontal", "vertical", "square", "frame"};
  request.cache_dir = cache_dir;
  request.training.epochs = 1;
  return request;
}

}  // namespace

TEST_CASE("loading a cached judge leaves the global random state as it found it", "[evaluation][judge_cache]") {
  const testing::ScratchDir dir("libnn_judge_random_state");
  const evaluation::JudgeRequest request = pattern_request(64, 3, dir.path.string());
  manual_seed(3);
  REQUIRE(evaluation::load_or_train_judge(request).trained);
  manual_seed(99);
  const std::vector<float> expected = uniform({8}, 0.0, 1.0).to_vector<float>();
  manual_seed(99);
  REQUIRE_FALSE(evaluation::load_or_train_judge(request).trained);
  CHECK(uniform({8}, 0.0, 1.0).to_vector<float>() == expected);
}

TEST_CASE("the judge reads square images of any size from 8 up, with one or three channels",
          "[evaluation][judge_size]") {
  NoGradGuard no_grad;
  for (std::int64_t size : {28, 64, 128})
    for (std::int64_t channels : {1, 3}) {
      INFO(size << "x" << size << "x" << channels);
      evaluation::AttributeJudge judge(5, size, channels);
      judge.eval();
      CHECK(judge.image_size() == size);
      CHECK(judge.channels() == channels);
      const Tensor images = uniform({2, channels, size, size}, -1.0, 1.0);
      CHECK(judge.features(images).shape() == Shape{2, evaluation::kJudgeFeatures});
      CHECK(judge.logits(images).shape() == Shape{2, 5});
      CHECK(judge.probabilities(images).shape() == Shape{2, 5});
    }
  evaluation::AttributeJudge grey(5, 28, 1);
  CHECK_THROWS_AS(grey.features(uniform({2, 3, 28, 28}, -1.0, 1.0)), Error);
  CHECK_THROWS_AS(grey.features(uniform({2, 1, 32, 32}, -1.0, 1.0)), Error);
  CHECK_THROWS_AS(evaluation::AttributeJudge(5, 7, 1), Error);
  CHECK_THROWS_AS(evaluation::AttributeJudge(5, 28, 2), Error);
  // The default is the faces' judge.
  const evaluation::AttributeJudge faces(40);
  CHECK(faces.image_size() == 64);
  CHECK(faces.channels() == 3);
}

TEST_CASE("a cached judge is never loaded for images of another size", "[evaluation][judge_size]") {
  const testing::ScratchDir dir("libnn_judge_sizes");
  const evaluation::JudgeRequest at28 = pattern_request(28, 1, dir.path.string());
  // 27x27 images give the same weight shapes as 28x28 ones (4x4 after three
  // halvings), so only the recorded size can tell the two apart.
  const evaluation::JudgeRequest at27 = pattern_request(27, 1, dir.path.string());
  REQUIRE(evaluation::judge_fingerprint(at28) != evaluation::judge_fingerprint(at27));
  const evaluation::TrainedJudge trained = evaluation::load_or_train_judge(at28);
  REQUIRE(trained.trained);
  CHECK(trained.judge->image_size() == 28);

  const std::string planted = (dir.path / ("judge_" + evaluation::judge_fingerprint(at27) + ".safetensors")).string();
  std::filesystem::copy_file(trained.path, planted);
  const evaluation::TrainedJudge retrained = evaluation::load_or_train_judge(at27);
  CHECK(retrained.trained);
  CHECK_THAT(retrained.reason, Catch::Matchers::Contains("28x28"));
  CHECK(retrained.judge->image_size() == 27);
  CHECK_FALSE(evaluation::load_or_train_judge(at27).trained);

  const evaluation::TrainedJudge loaded = evaluation::load_or_train_judge(at28);
  CHECK_FALSE(loaded.trained);
  CHECK(loaded.judge->image_size() == 28);
  CHECK(loaded.judge->channels() == 1);
}

TEST_CASE("the fingerprint names the image size, the channels and the objective", "[evaluation][judge_size]") {
  const evaluation::JudgeRequest grey = pattern_request(28, 1, "unused");
  evaluation::JudgeRequest classes = grey;
  classes.training.objective = evaluation::JudgeObjective::classes;
  CHECK(evaluation::judge_fingerprint(grey) != evaluation::judge_fingerprint(pattern_request(28, 3, "unused")));
  CHECK(evaluation::judge_fingerprint(grey) != evaluation::judge_fingerprint(pattern_request(32, 1, "unused")));
  CHECK(evaluation::judge_fingerprint(grey) != evaluation::judge_fingerprint(classes));
  evaluation::JudgeRequest mismatched = grey;
  mismatched.held_out = std::make_shared<testing::PatternImages>(80, 32, 1, 2);
  CHECK_THROWS_AS(evaluation::load_or_train_judge(mismatched), Error);
}

TEST_CASE("a judge trained for one request is the same whatever the global random state", "[evaluation][judge_cache]") {
  const testing::ScratchDir first("libnn_judge_seed_a"), second("libnn_judge_seed_b");
  manual_seed(1);
  const evaluation::TrainedJudge a = evaluation::load_or_train_judge(pattern_request(28, 1, first.path.string()));
  manual_seed(2);
  uniform({100}, 0.0, 1.0);
  const evaluation::TrainedJudge b = evaluation::load_or_train_judge(pattern_request(28, 1, second.path.string()));
  REQUIRE(a.trained);
  REQUIRE(b.trained);
  NoGradGuard no_grad;
  const Tensor images = uniform({4, 1, 28, 28}, -1.0, 1.0);
  CHECK(a.judge->logits(images).to_vector<float>() == b.judge->logits(images).to_vector<float>());
}

TEST_CASE("judge: larger images train for fewer epochs, about the work of four epochs at 64x64", "[evaluation][judge_size]") {
  CHECK(nn::evaluation::judge_epochs_for(28) == 4);
  CHECK(nn::evaluation::judge_epochs_for(64) == 4);
  CHECK(nn::evaluation::judge_epochs_for(90) == 2);   // 4 * (64/90)^2 = 2.02
  CHECK(nn::evaluation::judge_epochs_for(128) == 1);  // 4 * (64/128)^2 = 1
  CHECK(nn::evaluation::judge_epochs_for(512) == 1);
}
