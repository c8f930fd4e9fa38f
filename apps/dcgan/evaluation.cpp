#include "dcgan/evaluation.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>

#include "common/face_evaluation.hpp"
#include "common/progress.hpp"
#include "dcgan/data.hpp"
#include "dcgan/recipe.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/data/resized_dataset.hpp"
#include "nn/evaluation/fashion_judge.hpp"

namespace dcgan {
namespace {


std::shared_ptr<const nn::data::Dataset> fashion_split(nn::data::FashionMnistSplit split, std::int64_t size) {
  std::shared_ptr<const nn::data::Dataset> images = nn::data::load_fashion_mnist(split);
  if (size != nn::data::kFashionMnistSide)
    images = std::make_shared<nn::data::ResizedDataset>(images, static_cast<int>(size));
  return images;
}

}  // namespace

DataJudge prepare_judge(const Config& config, nn::Device device, std::ostream& out) {
  DataJudge judge;
  std::shared_ptr<const nn::data::Dataset> held_out;
  if (config.dataset == "fashion-mnist") {
    const std::int64_t size = image_size_of(config);
    held_out = fashion_split(nn::data::FashionMnistSplit::test, size);
    judge.trained = nn::evaluation::load_or_train_fashion_judge(
        fashion_split(nn::data::FashionMnistSplit::train, size), held_out, config.cache_dir, device,
        nn::apps::progress_bar_report("training the classifier", nn::apps::ProgressOptions().unit("batch")));
    out << "dcgan: the Fashion-MNIST classifier "
        << (judge.trained.trained ? "trained (" + judge.trained.reason + ")" : std::string("loaded")) << ", "
        << judge.trained.path << "\n";
    if (judge.trained.trained) out << nn::apps::judge_quality_table(judge.trained.quality);
    judge.held_out = "the Fashion-MNIST test set";
  } else {
    nn::apps::FaceJudgeSetup setup;
    setup.program = "dcgan";
    setup.celeba_dir = config.data;
    setup.cache_dir = config.cache_dir;
    setup.preprocess = face_preprocessing(config);
    setup.device = device;
    nn::apps::LoadedFaceJudge loaded = nn::apps::load_face_judge(setup, out);
    judge.trained = std::move(loaded.trained);
    held_out = std::move(loaded.held_out);
    judge.held_out = "the held-out real faces";
  }
  nn::evaluation::UnconditionalOptions options;
  options.generated = config.eval_images;
  judge.evaluator = std::make_shared<const nn::evaluation::UnconditionalEvaluator>(
      judge.trained.judge, judge.trained.quality, held_out, options, device);
  return judge;
}

Evaluation evaluate(const DataJudge& judge, Generator& generator, const Config& config) {
  const bool was_training = generator.is_training();
  generator.eval();
  const bool uniform = recipe_of(architecture_from_name(config.arch)).z == LatentDistribution::uniform_pm1;
  Evaluation scores = judge.evaluator->evaluate(
      [&](const nn::Tensor& z) { return generator.generate(z); }, kLatent,
      uniform ? nn::evaluation::LatentDistribution::uniform_pm1 : nn::evaluation::LatentDistribution::normal);
  generator.train(was_training);
  return scores;
}

std::string evaluation_table(const DataJudge& judge, const Evaluation& e) {
  char line[200];
  std::string text;
  std::snprintf(line, sizeof line, "  Frechet distance %.2f (floor %.2f: two halves of %s)\n", e.frechet,
                e.frechet_floor, judge.held_out.c_str());
  text += line;
  std::snprintf(line, sizeof line, "  diversity %.3f (real %.3f), ratio %.3f\n", e.diversity, e.real_diversity,
                e.diversity_ratio());
  text += line;
  if (e.classes) {
    const nn::evaluation::ClassScores& c = *e.classes;
    std::snprintf(line, sizeof line,
                  "  classes covered %lld of %zu, histogram entropy %.3f of %.3f, confidently classified %.3f "
                  "(real: %.3f)\n",
                  static_cast<long long>(c.covered), c.counts.size(), c.entropy, c.max_entropy, c.confident,
                  e.real_classes ? e.real_classes->confident : 0.0);
    text += line;
    const std::vector<std::string>& names = judge.trained.quality.names;
    for (std::size_t k = 0; k < c.counts.size(); ++k) {
      std::snprintf(line, sizeof line, "    %-12s %6lld\n", k < names.size() ? names[k].c_str() : "?",
                    static_cast<long long>(c.counts[k]));
      text += line;
    }
  }
  return text;
}

std::string evaluation_json(const DataJudge& judge, const Evaluation& evaluation, const std::string& checkpoint) {
  nn::json::Value v = nn::json::Value::object();
  v.add("checkpoint", nn::json::Value::string(checkpoint))
      .add("judge", nn::json::Value::string(judge.trained.path))
      .add("judge_quality", judge.trained.quality.to_json())
      .add("scores", nn::evaluation::to_json(evaluation, judge.trained.quality.names));
  return nn::json::dump(v, 2) + "\n";
}

EvaluationLog::EvaluationLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes)
    : log_(dir, "eval.csv",
           {"frechet", "frechet_floor", "diversity_ratio", "confident", "covered_classes", "class_entropy"},
           {{"eval.svg",
             "Frechet distance to held-out images, and its real-vs-real floor",
             "Frechet distance",
             {"frechet", "frechet_floor"}}},
           resume_step, notes) {}

void EvaluationLog::open() { log_.open(); }

void EvaluationLog::append(std::int64_t step, int epoch, const Evaluation& e) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  log_.append(step, epoch,
              {e.frechet, e.frechet_floor, e.diversity_ratio(), e.classes ? e.classes->confident : nan,
               e.classes ? static_cast<double>(e.classes->covered) : nan, e.classes ? e.classes->entropy : nan});
}

void EvaluationLog::plot() const { log_.plot(); }

}  // namespace dcgan
