#include "nn/evaluation/generator_evaluation.hpp"

#include <algorithm>
#include <map>

#include "evaluation_support.hpp"
#include "nn/evaluation/feature_metrics.hpp"

namespace nn::evaluation {
namespace {

// Separate streams for the separate draws.
enum StreamId : std::uint64_t { kFrechetStream = 1, kControlStream, kDiversityStream };

using detail::rows_tensor;
using detail::stream_for;

AttributeControl pick(const AttributeControl& all, const std::vector<int>& attributes) {
  AttributeControl out;
  for (int a : attributes) {
    const auto at = std::find(all.attributes.begin(), all.attributes.end(), a);
    out.attributes.push_back(a);
    out.accuracy.push_back(all.accuracy[static_cast<std::size_t>(at - all.attributes.begin())]);
  }
  double sum = 0;
  for (double v : out.accuracy) sum += v;
  out.macro_mean = out.accuracy.empty() ? 0 : sum / static_cast<double>(out.accuracy.size());
  return out;
}

json::Value control_json(const AttributeControl& control, const std::vector<std::string>& names) {
  json::Value per = json::Value::object();
  for (std::size_t i = 0; i < control.attributes.size(); ++i)
    per.add(names[static_cast<std::size_t>(control.attributes[i])], json::Value::number(control.accuracy[i]));
  json::Value v = json::Value::object();
  v.add("macro_mean", json::Value::number(control.macro_mean)).add("per_attribute", per);
  return v;
}

// Per-attribute fractions counts[i] / faces and their macro mean.
AttributeControl fractions_of(const std::vector<std::int64_t>& counts, std::int64_t faces,
                              const std::vector<int>& attributes) {
  AttributeControl result;
  result.attributes = attributes;
  double sum = 0;
  for (std::int64_t c : counts) {
    result.accuracy.push_back(static_cast<double>(c) / static_cast<double>(faces));
    sum += result.accuracy.back();
  }
  result.macro_mean = attributes.empty() ? 0 : sum / static_cast<double>(attributes.size());
  return result;
}

}  // namespace

AttributeSampler label_rows_sampler(std::vector<float> labels, std::int64_t attributes) {
  const std::int64_t rows = static_cast<std::int64_t>(labels.size()) / attributes;
  if (rows < 1 || static_cast<std::int64_t>(labels.size()) != rows * attributes)
    throw Error("label_rows_sampler: the labels are not rows of " + std::to_string(attributes));
  return [labels = std::move(labels), attributes, rows](std::int64_t n, RandomStream& stream) {
    std::vector<float> out;
    out.reserve(static_cast<std::size_t>(n * attributes));
    for (std::int64_t i = 0; i < n; ++i) {
      const auto row = std::min(rows - 1, static_cast<std::int64_t>(stream.next_double() * static_cast<double>(rows)));
      out.insert(out.end(), labels.begin() + row * attributes, labels.begin() + (row + 1) * attributes);
    }
    return out;
  };
}

GeneratorEvaluator::GeneratorEvaluator(std::shared_ptr<AttributeJudge> judge, JudgeQuality quality,
                                       std::shared_ptr<const data::Dataset> held_out, EvaluationOptions options,
                                       Device device)
    : judge_(std::move(judge)), quality_(std::move(quality)), options_(std::move(options)), device_(device) {
  if (held_out->label_count() != judge_->attributes())
    throw Error("GeneratorEvaluator: the held-out faces have " + std::to_string(held_out->label_count()) +
                " labels, the judge reads " + std::to_string(judge_->attributes()));
  if (held_out->size() < 4) throw Error("GeneratorEvaluator: needs at least 4 held-out faces");
  const std::int64_t count = std::min(held_out->size(), options_.real_faces);
  detail::HeldOutImages real = detail::read_held_out(std::move(held_out), count, options_.chunk, device_);
  real_images_ = real.images;
  real_labels_ = std::move(real.labels);
  real_features_ = detail::judge_features(*judge_, real_images_, options_.chunk);
  frechet_floor_ = detail::frechet_floor(real_features_);

  // Real diversity: pairs of faces that agree on every sheet attribute.
  std::map<std::vector<bool>, std::vector<std::int64_t>> groups;
  const std::int64_t k = judge_->attributes();
  for (std::int64_t i = 0; i < count; ++i) {
    std::vector<bool> key;
    for (int a : options_.sheet_attributes) key.push_back(real_labels_[static_cast<std::size_t>(i * k + a)] > 0.5f);
    groups[key].push_back(i);
  }
  const std::vector<float> features = real_features_.to_vector<float>();
  double total = 0;
  std::int64_t pairs = 0;
  for (const auto& [key, members] : groups) {
    const auto m = static_cast<std::int64_t>(members.size());
    if (m < 2) continue;
    std::vector<float> rows;
    for (std::int64_t i : members)
      rows.insert(rows.end(), features.begin() + i * kJudgeFeatures, features.begin() + (i + 1) * kJudgeFeatures);
    const std::int64_t group_pairs = m * (m - 1) / 2;
    total += mean_pairwise_distance(from_vector(rows, {m, kJudgeFeatures})) * static_cast<double>(group_pairs);
    pairs += group_pairs;
  }
  if (pairs == 0) throw Error("GeneratorEvaluator: no two held-out faces share the sheet attributes");
  real_diversity_ = total / static_cast<double>(pairs);
}

Tensor GeneratorEvaluator::draw_latent(const ConditionalGenerator& generator, std::int64_t n,
                                       RandomStream& stream) const {
  const Tensor noise = detail::draw_latent(n, generator.latent, generator.z, stream, device_);
  return generator.latent_from_noise ? generator.latent_from_noise(noise) : noise;
}

GeneratorScores GeneratorEvaluator::evaluate(const ConditionalGenerator& generator) const {
  NoGradGuard no_grad;
  const std::int64_t k = judge_->attributes();
  GeneratorScores scores;
  scores.frechet_floor = frechet_floor_;
  scores.real_diversity = real_diversity_;

  {
    RandomStream stream = stream_for(options_.seed, kFrechetStream);
    std::vector<Tensor> features;
    for (std::int64_t begin = 0; begin < options_.frechet_faces; begin += options_.chunk) {
      const std::int64_t n = std::min(options_.chunk, options_.frechet_faces - begin);
      const Tensor y = rows_tensor(generator.attributes(n, stream), n, k, device_);
      features.push_back(
          detail::judge_features(*judge_, generator.generate(y, draw_latent(generator, n, stream)), options_.chunk));
    }
    scores.frechet = frechet_distance(concat(features, 0), real_features_);
  }

  {
    RandomStream stream = stream_for(options_.seed, kControlStream);
    const std::int64_t n = options_.control_faces;
    const Tensor base_y = rows_tensor(generator.attributes(n, stream), n, k, device_);
    const Tensor z = draw_latent(generator, n, stream);
    std::vector<int> asked = quality_.judgeable_indices();
    for (int a : options_.sheet_attributes)
      if (std::find(asked.begin(), asked.end(), a) == asked.end()) asked.push_back(a);
    const AttributeControl all = attribute_control(
        generator.generate, [this](const Tensor& images) { return judge_->probabilities(images); }, base_y, z, asked,
        options_.chunk);
    scores.control = pick(all, quality_.judgeable_indices());
    scores.sheet_control = pick(all, options_.sheet_attributes);
  }

  {
    RandomStream stream = stream_for(options_.seed, kDiversityStream);
    const std::int64_t faces = options_.diversity_faces;
    double total = 0;
    for (std::int64_t c = 0; c < options_.diversity_conditions; ++c) {
      const auto row =
          std::min(real_images_.size(0) - 1,
                   static_cast<std::int64_t>(stream.next_double() * static_cast<double>(real_images_.size(0))));
      std::vector<float> y;
      for (std::int64_t i = 0; i < faces; ++i)
        y.insert(y.end(), real_labels_.begin() + row * k, real_labels_.begin() + (row + 1) * k);
      const Tensor images =
          generator.generate(rows_tensor(y, faces, k, device_), draw_latent(generator, faces, stream));
      total += mean_pairwise_distance(detail::judge_features(*judge_, images, options_.chunk));
    }
    scores.diversity = total / static_cast<double>(options_.diversity_conditions);
  }
  return scores;
}

AutoencoderScores GeneratorEvaluator::evaluate_autoencoder(const ImageEncoder& encode,
                                                           const ImageGenerator& decode) const {
  NoGradGuard no_grad;
  AutoencoderScores scores;
  const std::int64_t faces = std::min(options_.edit_faces, real_images_.size(0));
  const std::vector<int> attributes = quality_.judgeable_indices();
  std::vector<std::int64_t> agree(attributes.size(), 0), kept(attributes.size(), 0);
  double abs_error = 0;
  for (std::int64_t begin = 0; begin < faces; begin += options_.chunk) {
    const Tensor images = real_images_.slice_batch(begin, std::min(faces, begin + options_.chunk));
    const std::int64_t n = images.size(0);
    const auto [code_y, code_z] = encode(images);
    const Tensor rebuilt = decode(code_y, code_z);
    abs_error += mae(rebuilt, images).item() * static_cast<double>(n);
    const std::vector<float> y = code_y.to_vector<float>();
    const std::int64_t k = code_y.size(1);
    const std::vector<float> rebuilt_seen = judge_->probabilities(rebuilt).to_vector<float>();
    for (std::size_t i = 0; i < attributes.size(); ++i)
      for (std::int64_t r = 0; r < n; ++r) {
        const auto at = static_cast<std::size_t>(r * k + attributes[i]);
        kept[i] += (rebuilt_seen[at] > 0.5f) == (real_labels_[static_cast<std::size_t>(begin * k) + at] > 0.5f);
      }
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      const int a = attributes[i];
      std::vector<float> edited = y, wanted(static_cast<std::size_t>(n));
      for (std::int64_t r = 0; r < n; ++r) {
        float& v = edited[static_cast<std::size_t>(r * k + a)];
        v = v > 0.5f ? 0.0f : 1.0f;
        wanted[static_cast<std::size_t>(r)] = v;
      }
      const std::vector<float> seen =
          judge_->probabilities(decode(rows_tensor(edited, n, k, device_), code_z)).to_vector<float>();
      for (std::int64_t r = 0; r < n; ++r)
        agree[i] += (seen[static_cast<std::size_t>(r * k + a)] > 0.5f) == (wanted[static_cast<std::size_t>(r)] > 0.5f);
    }
  }
  scores.reconstruction_mae = abs_error / static_cast<double>(faces);
  scores.edit = fractions_of(agree, faces, attributes);
  scores.reconstruction = fractions_of(kept, faces, attributes);
  return scores;
}

json::Value to_json(const GeneratorScores& s, const std::vector<std::string>& names) {
  json::Value v = json::Value::object();
  v.add("control", control_json(s.control, names))
      .add("sheet_control", control_json(s.sheet_control, names))
      .add("frechet", json::Value::number(s.frechet))
      .add("frechet_floor", json::Value::number(s.frechet_floor))
      .add("diversity", json::Value::number(s.diversity))
      .add("real_diversity", json::Value::number(s.real_diversity))
      .add("diversity_ratio", json::Value::number(s.diversity_ratio()));
  return v;
}

json::Value to_json(const AutoencoderScores& s, const std::vector<std::string>& names) {
  json::Value v = json::Value::object();
  v.add("edit", control_json(s.edit, names))
      .add("reconstruction_attributes", control_json(s.reconstruction, names))
      .add("reconstruction_mae", json::Value::number(s.reconstruction_mae));
  return v;
}

}  // namespace nn::evaluation
