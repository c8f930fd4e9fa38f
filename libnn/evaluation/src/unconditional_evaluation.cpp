#include "nn/evaluation/unconditional_evaluation.hpp"

#include <algorithm>
#include <cmath>

#include "evaluation_support.hpp"
#include "nn/evaluation/feature_metrics.hpp"

namespace nn::evaluation {
namespace {

constexpr std::uint64_t kLatentStream = 1;

// Softmax of each row of logits [N, K], in f64 on the host.
Tensor softmax_rows(const Tensor& logits) {
  const std::int64_t n = logits.size(0), k = logits.size(1);
  std::vector<double> values = logits.to_vector<double>();
  for (std::int64_t r = 0; r < n; ++r) {
    double* row = values.data() + r * k;
    const double top = *std::max_element(row, row + k);
    double total = 0;
    for (std::int64_t j = 0; j < k; ++j) total += row[j] = std::exp(row[j] - top);
    for (std::int64_t j = 0; j < k; ++j) row[j] /= total;
  }
  return from_vector(values, {n, k});
}

// The judge's features of images (on the host) and, for a classifier, its
// class probabilities, appended to the given lists.
void judge_images(AttributeJudge& judge, const Tensor& images, bool classes, std::vector<Tensor>& features,
                  std::vector<Tensor>& probabilities) {
  const Tensor on_device = judge.features(images);
  features.push_back(on_device.to(Device::cpu()));
  if (classes) probabilities.push_back(softmax_rows(judge.logits_of_features(on_device)));
}

json::Value class_json(const ClassScores& s, const std::vector<std::string>& names) {
  if (names.size() != s.counts.size())
    throw Error("to_json(UnconditionalScores): " + std::to_string(names.size()) + " class names for " +
                std::to_string(s.counts.size()) + " classes");
  json::Value histogram = json::Value::object();
  for (std::size_t c = 0; c < names.size(); ++c) histogram.add(names[c], json::Value::integer(s.counts[c]));
  json::Value v = json::Value::object();
  v.add("histogram", histogram)
      .add("confident", json::Value::number(s.confident))
      .add("confident_probability", json::Value::number(kConfidentProbability))
      .add("covered", json::Value::integer(s.covered))
      .add("covered_share", json::Value::number(kCoveredClassShare))
      .add("entropy", json::Value::number(s.entropy))
      .add("max_entropy", json::Value::number(s.max_entropy));
  return v;
}

}  // namespace

ClassScores class_scores(const Tensor& probabilities) {
  if (probabilities.dim() != 2 || probabilities.size(0) < 1 || probabilities.size(1) < 1)
    throw Error("class_scores: expects probabilities [N, K] with N, K >= 1, got " + shape_str(probabilities.shape()));
  const std::int64_t n = probabilities.size(0), k = probabilities.size(1);
  const std::vector<double> p = probabilities.to_vector<double>();
  ClassScores s;
  s.counts.assign(static_cast<std::size_t>(k), 0);
  std::int64_t confident = 0;
  for (std::int64_t r = 0; r < n; ++r) {
    const double* row = p.data() + r * k;
    const double* top = std::max_element(row, row + k);
    ++s.counts[static_cast<std::size_t>(top - row)];
    confident += *top >= kConfidentProbability;
  }
  const double total = static_cast<double>(n);
  s.confident = static_cast<double>(confident) / total;
  for (std::int64_t count : s.counts) {
    if (count == 0) continue;
    const double share = static_cast<double>(count) / total;
    s.covered += share >= kCoveredClassShare;
    s.entropy -= share * std::log(share);
  }
  s.max_entropy = std::log(static_cast<double>(k));
  return s;
}

UnconditionalEvaluator::UnconditionalEvaluator(std::shared_ptr<AttributeJudge> judge, JudgeQuality quality,
                                               std::shared_ptr<const data::Dataset> held_out,
                                               UnconditionalOptions options, Device device)
    : judge_(std::move(judge)), quality_(std::move(quality)), options_(options), device_(device) {
  if (held_out->size() < 4) throw Error("UnconditionalEvaluator: needs at least 4 held-out images");
  if (options_.generated < 2 || options_.chunk < 1)
    throw Error("UnconditionalEvaluator: needs at least 2 generated images and chunks of at least 1");
  NoGradGuard no_grad;
  judge_->eval();
  std::vector<Tensor> features, probabilities;
  const std::int64_t count = std::min(held_out->size(), options_.real);
  detail::for_each_chunk(std::move(held_out), count, options_.chunk, device_, [&](const Tensor& images, const Tensor&) {
    judge_images(*judge_, images, quality_.classes, features, probabilities);
  });
  real_features_ = concat(features, 0);
  frechet_floor_ = detail::frechet_floor(real_features_);
  real_diversity_ = mean_pairwise_distance(real_features_);
  if (quality_.classes) real_classes_ = class_scores(concat(probabilities, 0));
}

UnconditionalScores UnconditionalEvaluator::evaluate(const UnconditionalGenerator& generate, std::int64_t latent,
                                                     LatentDistribution z) const {
  NoGradGuard no_grad;
  RandomStream stream = detail::stream_for(options_.seed, kLatentStream);
  std::vector<Tensor> features, probabilities;
  for (std::int64_t begin = 0; begin < options_.generated; begin += options_.chunk) {
    const std::int64_t n = std::min(options_.chunk, options_.generated - begin);
    const Tensor images = generate(detail::draw_latent(n, latent, z, stream, device_));
    if (images.dim() < 1 || images.size(0) != n)
      throw Error("UnconditionalEvaluator: the generator made " + shape_str(images.shape()) + " for " +
                  std::to_string(n) + " latents");
    judge_images(*judge_, images, quality_.classes, features, probabilities);
  }
  const Tensor generated = concat(features, 0);
  UnconditionalScores s;
  s.generated = generated.size(0);
  s.real = real_features_.size(0);
  s.frechet = frechet_distance(generated, real_features_);
  s.frechet_floor = frechet_floor_;
  s.diversity = mean_pairwise_distance(generated);
  s.real_diversity = real_diversity_;
  if (quality_.classes) s.classes = class_scores(concat(probabilities, 0));
  s.real_classes = real_classes_;
  return s;
}

json::Value to_json(const UnconditionalScores& s, const std::vector<std::string>& class_names) {
  json::Value v = json::Value::object();
  v.add("generated", json::Value::integer(s.generated))
      .add("real", json::Value::integer(s.real))
      .add("frechet", json::Value::number(s.frechet))
      .add("frechet_floor", json::Value::number(s.frechet_floor))
      .add("diversity", json::Value::number(s.diversity))
      .add("real_diversity", json::Value::number(s.real_diversity))
      .add("diversity_ratio", json::Value::number(s.diversity_ratio()));
  if (s.classes) v.add("classes", class_json(*s.classes, class_names));
  if (s.real_classes) v.add("real_classes", class_json(*s.real_classes, class_names));
  return v;
}

}  // namespace nn::evaluation
