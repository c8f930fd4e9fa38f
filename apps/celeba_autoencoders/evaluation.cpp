#include "celeba_autoencoders/evaluation.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <ostream>

#include "celeba_autoencoders/data.hpp"
#include "celeba_autoencoders/run_folder.hpp"
#include "common/face_evaluation.hpp"
#include "nn/data/celeba_attributes.hpp"

namespace autoencoders {
namespace {

std::vector<int> sheet_attribute_indices() {
  std::vector<int> indices;
  for (const std::string& name : sheet_attributes()) indices.push_back(nn::data::celeba_attribute_index(name));
  return indices;
}

std::vector<std::string> attribute_names() {
  std::vector<std::string> names;
  for (std::string_view name : nn::data::celeba_attribute_names()) names.emplace_back(name);
  return names;
}

std::string format(const char* pattern, auto... values) {
  char line[256];
  std::snprintf(line, sizeof line, pattern, values...);
  return line;
}

// Images in [0, 1] as the judge reads them, in [-1, 1].
nn::Tensor judge_range(const nn::Tensor& images) { return images * 2.0 - 1.0; }

}  // namespace

nn::evaluation::JudgeQuality encoder_accuracy(AttributeEncoder& encoder,
                                              std::shared_ptr<const nn::data::Dataset> test_faces,
                                              const std::vector<float>& majority, nn::Device device) {
  const bool was_training = encoder.is_training();
  encoder.eval();
  std::vector<bool> majority_values;
  for (float m : majority) majority_values.push_back(m > 0.5f);
  // The loader gives [-1, 1]; the encoder reads [0, 1].
  nn::evaluation::JudgeQuality quality = nn::evaluation::measure_classifier(
      [&](const nn::Tensor& images) { return encoder.logits((images + 1.0) * 0.5); }, std::move(test_faces),
      majority_values, attribute_names(), device);
  encoder.train(was_training);
  return quality;
}

double mean_accuracy(const std::vector<double>& accuracies) {
  double sum = 0;
  for (double a : accuracies) sum += a;
  return accuracies.empty() ? 0.0 : sum / static_cast<double>(accuracies.size());
}

std::string encoder_accuracy_table(const std::string& model, const nn::evaluation::JudgeQuality& q) {
  return nn::apps::judge_quality_table(q, model) +
         format("  mean per-label accuracy %.4f (majority baseline %.4f)\n", mean_accuracy(q.accuracy),
                mean_accuracy(q.majority_accuracy));
}

FaceJudge prepare_judge(const Config& config, nn::Device device, std::ostream& out) {
  nn::apps::FaceJudgeSetup setup;
  setup.program = "celeba_autoencoders";
  setup.celeba_dir = config.data;
  setup.cache_dir = config.cache_dir;
  setup.preprocess = face_preprocessing(config);
  setup.device = device;
  nn::apps::LoadedFaceJudge loaded = nn::apps::load_face_judge(setup, out);
  FaceJudge judge;
  nn::evaluation::UnconditionalOptions sampled;
  sampled.generated = config.eval_images;
  judge.sampled = std::make_shared<const nn::evaluation::UnconditionalEvaluator>(
      loaded.trained.judge, loaded.trained.quality, loaded.held_out, sampled, device);
  if (pretrained_encoder_of(model_from_name(config.model))) {
    nn::evaluation::EvaluationOptions options;
    options.frechet_faces = config.eval_images;
    options.sheet_attributes = sheet_attribute_indices();
    judge.attributes = std::make_shared<const nn::evaluation::GeneratorEvaluator>(
        loaded.trained.judge, loaded.trained.quality, loaded.held_out, options, device);
  }
  judge.trained = std::move(loaded.trained);
  return judge;
}

Evaluation evaluate(const FaceJudge& judge, Autoencoder& model, const LatentStatistics& statistics,
                    const std::vector<float>& training_labels) {
  const bool was_training = model.is_training();
  model.eval();
  Evaluation e;
  e.sampled = judge.sampled->evaluate(
      [&](const nn::Tensor& noise) { return judge_range(model.decode(statistics.latent_from_noise(noise))); },
      statistics.size(), nn::evaluation::LatentDistribution::normal);
  if (judge.attributes) {
    nn::evaluation::ConditionalGenerator generator;
    // The decoder is deterministic: the noise of the evaluator is not used.
    generator.generate = [&](const nn::Tensor& y, const nn::Tensor&) { return judge_range(model.decode(y)); };
    generator.latent = 1;
    generator.z = nn::evaluation::LatentDistribution::normal;
    generator.attributes = nn::evaluation::label_rows_sampler(training_labels, kAttributes);
    e.attributes = judge.attributes->evaluate(generator);
  }
  model.train(was_training);
  return e;
}

std::string evaluation_table(const FaceJudge& judge, const Evaluation& e) {
  const nn::evaluation::UnconditionalScores& s = e.sampled;
  std::string text = format("  sampled faces: Frechet distance %.2f (real-vs-real floor %.2f, ratio %.2f)\n",
                            s.frechet, s.frechet_floor, s.frechet_floor > 0 ? s.frechet / s.frechet_floor : 0.0);
  text += format("  sampled faces: diversity %.3f (real %.3f), ratio %.3f\n", s.diversity, s.real_diversity,
                 s.diversity_ratio());
  if (e.attributes) {
    const nn::evaluation::GeneratorScores& a = *e.attributes;
    const nn::evaluation::JudgeQuality& q = judge.trained.quality;
    text += "  attribute faces: control per attribute (judge's balanced accuracy beside it)\n";
    std::vector<int> shown = a.control.attributes;
    for (int index : a.sheet_control.attributes)
      if (std::find(shown.begin(), shown.end(), index) == shown.end()) shown.push_back(index);
    for (int index : shown) {
      const nn::evaluation::AttributeControl& source =
          std::find(a.control.attributes.begin(), a.control.attributes.end(), index) != a.control.attributes.end()
              ? a.control
              : a.sheet_control;
      const auto at = std::find(source.attributes.begin(), source.attributes.end(), index) - source.attributes.begin();
      const std::size_t i = static_cast<std::size_t>(index);
      text += format("    %-20s %7.3f  (judge %.3f%s)\n", q.names[i].c_str(),
                     source.accuracy[static_cast<std::size_t>(at)], q.balanced_accuracy[i],
                     q.judgeable[i] ? "" : ", not judgeable");
    }
    text += format("  attribute faces: control, macro mean %.3f over %zu judgeable attributes, %.3f over the %zu "
                   "sheet attributes\n",
                   a.control.macro_mean, a.control.attributes.size(), a.sheet_control.macro_mean,
                   a.sheet_control.attributes.size());
    text += format("  attribute faces: Frechet distance %.2f (floor %.2f)\n", a.frechet, a.frechet_floor);
  }
  return text;
}

std::string evaluation_json(const FaceJudge& judge, const Evaluation& e, const std::string& checkpoint) {
  nn::json::Value v = nn::json::Value::object();
  v.add("checkpoint", nn::json::Value::string(checkpoint))
      .add("judge", nn::json::Value::string(judge.trained.path))
      .add("judge_quality", judge.trained.quality.to_json())
      .add("sampled", nn::evaluation::to_json(e.sampled, {}));
  if (e.attributes) v.add("attribute_faces", nn::evaluation::to_json(*e.attributes, judge.trained.quality.names));
  return nn::json::dump(v, 2) + "\n";
}

std::string encoder_evaluation_json(const nn::evaluation::JudgeQuality& quality, const std::string& checkpoint) {
  nn::json::Value v = nn::json::Value::object();
  v.add("checkpoint", nn::json::Value::string(checkpoint))
      .add("mean_accuracy", nn::json::Value::number(mean_accuracy(quality.accuracy)))
      .add("mean_majority_accuracy", nn::json::Value::number(mean_accuracy(quality.majority_accuracy)))
      .add("test_accuracy", quality.to_json());
  return nn::json::dump(v, 2) + "\n";
}

EvaluationLog::EvaluationLog(const std::string& dir, bool encoder, std::int64_t resume_step, std::ostream& notes)
    : log_(dir, "eval.csv",
           encoder ? std::vector<std::string>{"test_accuracy", "majority_accuracy"}
                   : std::vector<std::string>{"frechet", "frechet_floor", "diversity_ratio", "control",
                                              "sheet_control"},
           {encoder ? nn::apps::LogChart{"eval.svg",
                                         "Mean per-attribute accuracy on the test faces, and the majority baseline",
                                         "accuracy",
                                         {"test_accuracy", "majority_accuracy"}}
                    : nn::apps::LogChart{"eval.svg",
                                         "Frechet distance of sampled faces to held-out faces, and its floor",
                                         "Frechet distance",
                                         {"frechet", "frechet_floor"}}},
           resume_step, notes) {}

void EvaluationLog::open() { log_.open(); }

void EvaluationLog::append(std::int64_t step, int epoch, const nn::evaluation::JudgeQuality& q) {
  log_.append(step, epoch, {mean_accuracy(q.accuracy), mean_accuracy(q.majority_accuracy)});
}

void EvaluationLog::append(std::int64_t step, int epoch, const Evaluation& e) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  log_.append(step, epoch,
              {e.sampled.frechet, e.sampled.frechet_floor, e.sampled.diversity_ratio(),
               e.attributes ? e.attributes->control.macro_mean : nan,
               e.attributes ? e.attributes->sheet_control.macro_mean : nan});
}

void EvaluationLog::plot() const { log_.plot(); }

}  // namespace autoencoders
