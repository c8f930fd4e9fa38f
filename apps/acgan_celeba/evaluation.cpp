#include "acgan_celeba/evaluation.hpp"

#include <algorithm>
#include <ostream>

#include "acgan_celeba/data.hpp"
#include "common/synthetic_renderer.hpp"
#include "nn/data/celeba_attributes.hpp"

namespace acgan {
namespace {

// Fake attribute vectors drawn the way the run's training draws them.
nn::evaluation::AttributeSampler training_sampler(const Config& config, const std::vector<float>& labels) {
  if (config.fake_labels == "random")
    return [](std::int64_t n, nn::RandomStream& stream) {
      std::vector<float> rows(static_cast<std::size_t>(n * kAttributes));
      for (float& v : rows) v = stream.next_double() < 0.5 ? 1.0f : 0.0f;
      return rows;
    };
  if (config.fake_labels == "ten-indices")
    return [](std::int64_t n, nn::RandomStream& stream) {
      std::vector<float> rows(static_cast<std::size_t>(n * kAttributes), 0.0f);
      for (std::int64_t r = 0; r < n; ++r)
        for (int draw = 0; draw < 10; ++draw) {
          const auto a =
              std::min<std::int64_t>(kAttributes - 1, static_cast<std::int64_t>(stream.next_double() * kAttributes));
          rows[static_cast<std::size_t>(r * kAttributes + a)] = 1.0f;
        }
      return rows;
    };
  return nn::evaluation::label_rows_sampler(labels, kAttributes);
}

}  // namespace

const std::vector<std::string>& sheet_attributes() {
  static const std::vector<std::string> names = {"Male",       "Smiling", "Eyeglasses",  "Blond_Hair",
                                                 "Black_Hair", "Bald",    "Wearing_Hat", "Mouth_Slightly_Open"};
  return names;
}

nn::apps::FaceJudge prepare_judge(const Config& config, nn::Device device, std::ostream& out) {
  nn::apps::FaceJudgeSetup setup;
  setup.program = "acgan_celeba";
  setup.celeba_dir = config.data;
  setup.cache_dir = config.cache_dir;
  setup.preprocess = face_preprocessing(config);
  setup.device = device;
  setup.options.frechet_faces = config.eval_faces;
  setup.options.control_faces = config.eval_control;
  for (const std::string& name : sheet_attributes())
    setup.options.sheet_attributes.push_back(nn::data::celeba_attribute_index(name));
  return nn::apps::prepare_face_judge(setup, out);
}

Evaluation evaluate(const nn::apps::FaceJudge& judge, Encoder& encoder, Generator& generator,
                    const LatentSource* latent_source, const Config& config,
                    const std::vector<float>& training_labels) {
  nn::evaluation::ConditionalGenerator conditional;
  conditional.generate = [&generator](const nn::Tensor& y, const nn::Tensor& z) { return generator.generate(y, z); };
  conditional.latent = kLatent;
  conditional.z = config.z_dist == "uniform" ? nn::evaluation::LatentDistribution::uniform
                                             : nn::evaluation::LatentDistribution::normal;
  if (latent_source)
    conditional.latent_from_noise = [latent_source](const nn::Tensor& noise) {
      return latent_source->latent_from_noise(noise);
    };
  conditional.attributes = training_sampler(config, training_labels);
  const bool encoder_was_training = encoder.is_training(), generator_was_training = generator.is_training();
  encoder.eval();
  generator.eval();
  Evaluation evaluation;
  evaluation.generator = judge.evaluator->evaluate(conditional);
  evaluation.autoencoder = judge.evaluator->evaluate_autoencoder(
      [&encoder](const nn::Tensor& images) { return encoder.encode(images); }, conditional.generate);
  encoder.train(encoder_was_training);
  generator.train(generator_was_training);
  return evaluation;
}

nn::evaluation::GeneratorScores score_synthetic_renderer(const nn::apps::FaceJudge& judge, const Config& config,
                                                         const std::vector<float>& training_labels, nn::Device device) {
  return judge.evaluator->evaluate(
      nn::apps::synthetic_renderer(face_preprocessing(config), training_sampler(config, training_labels), device));
}

std::string evaluation_table(const nn::apps::FaceJudge& judge, const Evaluation& evaluation) {
  return nn::apps::scores_table(evaluation.generator, evaluation.autoencoder, judge.trained.quality);
}

std::string evaluation_json(const nn::apps::FaceJudge& judge, const Evaluation& evaluation,
                            const std::string& checkpoint) {
  using nn::json::Value;
  const std::vector<std::string>& names = judge.trained.quality.names;
  const nn::evaluation::EvaluationOptions& o = judge.evaluator->options();
  Value settings = Value::object();
  settings.add("frechet_faces", Value::integer(o.frechet_faces))
      .add("control_faces_per_side", Value::integer(o.control_faces))
      .add("diversity_conditions", Value::integer(o.diversity_conditions))
      .add("diversity_faces", Value::integer(o.diversity_faces))
      .add("edit_faces", Value::integer(o.edit_faces))
      .add("seed", Value::integer(static_cast<std::int64_t>(o.seed)));
  Value v = Value::object();
  v.add("checkpoint", Value::string(checkpoint))
      .add("judge", Value::string(judge.trained.path))
      .add("settings", settings)
      .add("generator", nn::evaluation::to_json(evaluation.generator, names))
      .add("autoencoder", nn::evaluation::to_json(evaluation.autoencoder, names))
      .add("judge_quality", judge.trained.quality.to_json());
  return nn::json::dump(v, 2) + "\n";
}

EvaluationLog::EvaluationLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes)
    : log_(dir, "eval.csv",
           {"control", "sheet_control", "frechet", "frechet_floor", "diversity_ratio", "edit", "reconstruction_mae"},
           {{"eval.svg", "Judge's view: control and edit accuracy, diversity vs real", "score",
             {"control", "sheet_control", "diversity_ratio", "edit"}},
            {"frechet.svg", "Frechet distance to held-out real faces, and the real-vs-real floor", "distance",
             {"frechet", "frechet_floor"}}},
           resume_step, notes) {}

void EvaluationLog::open() { log_.open(); }

void EvaluationLog::append(std::int64_t step, int epoch, const Evaluation& e) {
  log_.append(step, epoch,
              {e.generator.control.macro_mean, e.generator.sheet_control.macro_mean, e.generator.frechet,
               e.generator.frechet_floor, e.generator.diversity_ratio(), e.autoencoder.edit.macro_mean,
               e.autoencoder.reconstruction_mae});
}

void EvaluationLog::plot() const { log_.plot(); }

}  // namespace acgan
