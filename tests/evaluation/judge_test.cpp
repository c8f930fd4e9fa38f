// The attribute judge on a small set of synthetic faces: it learns the drawn
// attributes, its cache is reused and rebuilt when it should be, and the
// generator evaluation built on it scores hand-made generators as expected.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "nn/data/celeba_attributes.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "nn/evaluation/generator_evaluation.hpp"
#include "nn/evaluation/judge_cache.hpp"

using namespace nn;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = fs::temp_directory_path() / "libnn_judge_test";

std::shared_ptr<const data::Dataset> faces(data::CelebaSplit split) {
  data::ensure_synthetic_celeba((kRoot / "faces").string(), 1500, 11);
  data::ImageCacheRequest request;
  request.data_dir = (kRoot / "faces").string();
  request.cache_path = (kRoot / (std::string(data::celeba_split_name(split)) + ".cache")).string();
  request.selection.split = split;
  return data::load_or_build(request).dataset;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (std::string_view name : data::celeba_attribute_names()) out.emplace_back(name);
  return out;
}

evaluation::JudgeRequest request_in(const fs::path& cache) {
  evaluation::JudgeRequest request;
  request.train = faces(data::CelebaSplit::train);
  request.held_out = faces(data::CelebaSplit::test);
  request.names = names();
  request.cache_dir = cache.string();
  request.training.epochs = 12;
  return request;
}

// One judge trained for the whole file (the training is the slow part).
const evaluation::TrainedJudge& shared_judge() {
  static const evaluation::TrainedJudge judge = [] {
    fs::remove_all(kRoot / "judges");
    return evaluation::load_or_train_judge(request_in(kRoot / "judges"));
  }();
  return judge;
}

int index_of(const char* name) { return data::celeba_attribute_index(name); }

}  // namespace

namespace {

evaluation::EvaluationOptions small_options() {
  evaluation::EvaluationOptions o;
  o.frechet_faces = 120;
  o.control_faces = 16;
  o.diversity_conditions = 3;
  o.diversity_faces = 6;
  o.edit_faces = 40;
  o.chunk = 50;
  o.sheet_attributes = {index_of("Male"), index_of("Smiling"), index_of("Eyeglasses")};
  return o;
}

const evaluation::GeneratorEvaluator& shared_evaluator() {
  static const evaluation::GeneratorEvaluator evaluator(shared_judge().judge, shared_judge().quality,
                                                        faces(data::CelebaSplit::test), small_options(), Device::cpu());
  return evaluator;
}

// Held-out faces as a [N,3,64,64] tensor in [-1, 1].
Tensor held_out_images(std::int64_t n) {
  const auto set = faces(data::CelebaSplit::test);
  std::vector<float> values;
  std::vector<std::uint8_t> image(3 * 64 * 64);
  std::vector<float> labels(40);
  for (std::int64_t i = 0; i < n; ++i) {
    set->read(i, image.data(), labels.data());
    for (std::uint8_t p : image) values.push_back(static_cast<float>(p) / 127.5f - 1.0f);
  }
  return from_vector(values, {n, 3, 64, 64});
}

// A generator that ignores y: each row shows the held-out face chosen by z's first value.
evaluation::ConditionalGenerator real_face_generator() {
  const Tensor bank = held_out_images(150);
  evaluation::ConditionalGenerator g;
  g.latent = 2;
  g.attributes = evaluation::label_rows_sampler(std::vector<float>(40, 0.0f), 40);
  g.generate = [bank](const Tensor&, const Tensor& z) {
    const std::vector<float> values = z.to_vector<float>();
    std::vector<Tensor> rows;
    for (std::size_t r = 0; r < values.size(); r += 2) {
      const auto i = std::min<std::int64_t>(149, static_cast<std::int64_t>(values[r] * 150));
      rows.push_back(bank.slice_batch(i, i + 1));
    }
    return concat(rows, 0);
  };
  return g;
}

}  // namespace

// One test case, so that one process trains the judge once and every
// section reuses it (CTest runs test cases as separate processes).
TEST_CASE("the attribute judge and the generator evaluation on a small set of synthetic faces", "[evaluation][judge]") {
  SECTION("the judge reads Male, Smiling and Eyeglasses from held-out synthetic faces") {
    const evaluation::TrainedJudge& judge = shared_judge();
    REQUIRE(judge.trained);
    const evaluation::JudgeQuality& q = judge.quality;
    CHECK(q.faces == 150);
    for (const char* name : {"Male", "Smiling", "Eyeglasses"}) {
      const auto a = static_cast<std::size_t>(index_of(name));
      INFO(name << ": accuracy " << q.accuracy[a] << ", majority " << q.majority_accuracy[a] << ", balanced "
                << q.balanced_accuracy[a]);
      CHECK(q.accuracy[a] > q.majority_accuracy[a]);
      CHECK(q.balanced_accuracy[a] > 0.75);
    }
    // Judgeable exactly where the rule says.
    for (std::size_t a = 0; a < q.names.size(); ++a) {
      const bool expected = q.positives[a] >= evaluation::kJudgeableMinimumFaces &&
                            q.faces - q.positives[a] >= evaluation::kJudgeableMinimumFaces &&
                            q.balanced_accuracy[a] >= evaluation::kJudgeableBalancedAccuracy;
      CHECK(q.judgeable[a] == expected);
    }
  }

  SECTION("a cached judge is loaded, not retrained, and gives the same answers") {
    const evaluation::TrainedJudge& first = shared_judge();
    const evaluation::TrainedJudge again = evaluation::load_or_train_judge(request_in(kRoot / "judges"));
    CHECK_FALSE(again.trained);
    CHECK(again.path == first.path);
    CHECK(json::dump(again.quality.to_json()) == json::dump(first.quality.to_json()));
    NoGradGuard no_grad;
    const Tensor images = uniform({4, 3, 64, 64}, -1.0, 1.0);
    CHECK(first.judge->logits(images).to_vector<float>() == again.judge->logits(images).to_vector<float>());
  }

  SECTION("a judge file that cannot be read is replaced by a fresh training") {
    const fs::path cache = kRoot / "judges_corrupt";
    fs::remove_all(cache);
    fs::create_directories(cache);
    evaluation::JudgeRequest request = request_in(cache);
    request.training.epochs = 1;
    const std::string path = (cache / ("judge_" + evaluation::judge_fingerprint(request) + ".safetensors")).string();
    std::ofstream(path) << "not a safetensors file";
    const evaluation::TrainedJudge judge = evaluation::load_or_train_judge(request);
    CHECK(judge.trained);
    CHECK_THAT(judge.reason, Catch::Matchers::Contains("could not be read"));
    CHECK_FALSE(evaluation::load_or_train_judge(request).trained);
  }

  SECTION("the judge's fingerprint follows the faces and the training settings") {
    const evaluation::JudgeRequest request = request_in(kRoot / "unused");
    evaluation::JudgeRequest other_settings = request;
    other_settings.training.lr *= 2;
    evaluation::JudgeRequest other_faces = request;
    std::swap(other_faces.train, other_faces.held_out);
    CHECK(evaluation::judge_fingerprint(request) == evaluation::judge_fingerprint(request_in(kRoot / "unused")));
    CHECK(evaluation::judge_fingerprint(request) != evaluation::judge_fingerprint(other_settings));
    CHECK(evaluation::judge_fingerprint(request) != evaluation::judge_fingerprint(other_faces));
  }

  SECTION("training a judge leaves the global random state as it found it") {
    manual_seed(99);
    const std::vector<float> expected = uniform({8}, 0.0, 1.0).to_vector<float>();
    manual_seed(99);
    evaluation::AttributeJudge judge(40);
    evaluation::JudgeTraining short_training;
    short_training.epochs = 1;
    const RandomState before = random_state();
    evaluation::train_judge(judge, faces(data::CelebaSplit::validation), short_training, Device::cpu());
    CHECK(random_state().offset == before.offset);
    CHECK(random_state().seed == before.seed);
    manual_seed(99);
    CHECK(uniform({8}, 0.0, 1.0).to_vector<float>() == expected);
  }

  SECTION("a generator that ignores y scores exactly 0.5 on attribute control") {
    const evaluation::GeneratorScores s = shared_evaluator().evaluate(real_face_generator());
    REQUIRE(s.sheet_control.accuracy.size() == 3);
    for (double a : s.sheet_control.accuracy) CHECK(a == 0.5);
    for (double a : s.control.accuracy) CHECK(a == 0.5);
  }

  SECTION("real faces lie near the real-vs-real floor, one repeated face has no diversity") {
    const evaluation::GeneratorScores real = shared_evaluator().evaluate(real_face_generator());
    evaluation::ConditionalGenerator constant = real_face_generator();
    const Tensor face = held_out_images(1);
    constant.generate = [face](const Tensor& y, const Tensor&) {
      std::vector<Tensor> rows(static_cast<std::size_t>(y.size(0)), face);
      return concat(rows, 0);
    };
    const evaluation::GeneratorScores collapsed = shared_evaluator().evaluate(constant);
    INFO("real faces: FD " << real.frechet << " (floor " << real.frechet_floor << "), diversity ratio "
                           << real.diversity_ratio() << "; one face: FD " << collapsed.frechet);
    CHECK(real.frechet < 2 * real.frechet_floor);
    CHECK(collapsed.frechet > 5 * real.frechet);
    CHECK(collapsed.diversity < 1e-4 * real.real_diversity);  // f32 rounding differs by batch row
    CHECK(real.diversity_ratio() > 0.5);
  }

  SECTION("two evaluations of one generator agree exactly") {
    const evaluation::GeneratorScores a = shared_evaluator().evaluate(real_face_generator());
    const evaluation::GeneratorScores b = shared_evaluator().evaluate(real_face_generator());
    CHECK(a.frechet == b.frechet);
    CHECK(a.diversity == b.diversity);
    CHECK(a.control.accuracy == b.control.accuracy);
  }

  SECTION("an autoencoder that copies the image and ignores y: MAE 0, edit accuracy 0, the judge's own labels") {
    auto judge = shared_judge().judge;
    // The code's y is the judge's own verdict on the face, so a decoder that
    // ignores y shows the judge the opposite of every requested flip.
    const evaluation::ImageEncoder encode = [judge](const Tensor& images) {
      const std::vector<float> p = judge->probabilities(images).to_vector<float>();
      std::vector<float> verdict;
      for (float v : p) verdict.push_back(v > 0.5f ? 1.0f : 0.0f);
      return std::make_pair(from_vector(verdict, {images.size(0), 40}), images.reshape({images.size(0), 3 * 64 * 64}));
    };
    const evaluation::ImageGenerator decode = [](const Tensor&, const Tensor& z) {
      return z.reshape({z.size(0), 3, 64, 64});
    };
    const evaluation::AutoencoderScores s = shared_evaluator().evaluate_autoencoder(encode, decode);
    CHECK(s.reconstruction_mae == 0.0);
    REQUIRE_FALSE(s.edit.accuracy.empty());
    for (double a : s.edit.accuracy) CHECK(a == 0.0);

    // The reconstructions are the faces themselves, so the labels read off
    // them are the judge's verdicts on the first edit_faces held-out faces.
    const std::int64_t n = small_options().edit_faces;
    const std::vector<float> seen = judge->probabilities(held_out_images(n)).to_vector<float>();
    const auto set = faces(data::CelebaSplit::test);
    std::vector<std::uint8_t> image(3 * 64 * 64);
    std::vector<float> labels(static_cast<std::size_t>(n * 40));
    for (std::int64_t i = 0; i < n; ++i) set->read(i, image.data(), labels.data() + i * 40);
    const std::vector<int> judgeable = shared_judge().quality.judgeable_indices();
    REQUIRE(s.reconstruction.attributes == judgeable);
    double sum = 0, lowest = 1;
    for (std::size_t j = 0; j < judgeable.size(); ++j) {
      std::int64_t agree = 0;
      for (std::int64_t i = 0; i < n; ++i) {
        const auto at = static_cast<std::size_t>(i * 40 + judgeable[j]);
        agree += (seen[at] > 0.5f) == (labels[at] > 0.5f);
      }
      const double expected = static_cast<double>(agree) / static_cast<double>(n);
      CHECK(s.reconstruction.accuracy[j] == expected);
      sum += expected;
      lowest = std::min(lowest, expected);
    }
    CHECK(s.reconstruction.macro_mean == Approx(sum / static_cast<double>(judgeable.size())));
    CHECK(lowest < 1.0);  // the judge errs somewhere: agreeing with its own verdicts would not pass
  }
}
