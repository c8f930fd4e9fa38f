#include "nn/evaluation/attribute_judge.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "evaluation_support.hpp"
#include "nn/data/data_loader.hpp"

namespace nn::evaluation {
namespace {

constexpr double kSlope = 0.2;

// The index of the largest of k values (the first on ties).
std::size_t argmax_of(const float* values, std::size_t k) {
  return static_cast<std::size_t>(std::max_element(values, values + k) - values);
}

}  // namespace

AttributeJudge::AttributeJudge(std::int64_t attributes, std::int64_t image_size, std::int64_t channels)
    : Module("AttributeJudge"), attributes_(attributes), image_size_(image_size), channels_(channels) {
  if (attributes < 1) throw Error("AttributeJudge: needs at least one attribute");
  if (image_size < kJudgeMinimumImageSize || (channels != 1 && channels != 3))
    throw Error("AttributeJudge: reads S x S images with S >= " + std::to_string(kJudgeMinimumImageSize) +
                " and 1 or 3 channels, asked for " + std::to_string(image_size) + "x" + std::to_string(image_size) +
                "x" + std::to_string(channels));
  trunk_ = register_module("trunk", std::make_shared<Sequential>());
  std::int64_t width = channels, side = image_size;
  for (std::int64_t out : {32, 64, 128}) {
    trunk_->emplace<Conv2d>(Conv2dOptions(width, out, 4).stride(2).padding(Padding::same()));
    trunk_->emplace<LeakyReLU>(kSlope);
    width = out;
    side = (side + 1) / 2;  // a `same` stride-2 convolution: ceil(side / 2)
  }
  trunk_->emplace<Flatten>();
  trunk_->emplace<Dense>(DenseOptions(width * side * side, kJudgeFeatures));
  trunk_->emplace<LeakyReLU>(kSlope);
  head_ = register_module("head", std::make_shared<Dense>(DenseOptions(kJudgeFeatures, attributes)));
}

Tensor AttributeJudge::features(const Tensor& images) {
  if (images.dim() != 4 || images.size(1) != channels_ || images.size(2) != image_size_ ||
      images.size(3) != image_size_)
    throw Error("AttributeJudge: expects images [N," + std::to_string(channels_) + "," + std::to_string(image_size_) +
                "," + std::to_string(image_size_) + "], got " + shape_str(images.shape()));
  return (*trunk_)(images);
}

Tensor AttributeJudge::logits(const Tensor& images) { return logits_of_features(features(images)); }

Tensor AttributeJudge::logits_of_features(const Tensor& features) { return (*head_)(features); }

Tensor AttributeJudge::probabilities(const Tensor& images) { return sigmoid(logits(images)); }

const char* judge_objective_name(JudgeObjective objective) {
  return objective == JudgeObjective::classes ? "classes" : "attributes";
}

std::vector<int> JudgeQuality::judgeable_indices() const {
  std::vector<int> out;
  for (std::size_t a = 0; a < judgeable.size(); ++a)
    if (judgeable[a]) out.push_back(static_cast<int>(a));
  return out;
}

json::Value JudgeQuality::to_json() const {
  using json::Value;
  std::vector<Value> rows;
  for (std::size_t a = 0; a < names.size(); ++a) {
    Value row = Value::object();
    row.add("attribute", Value::string(names[a]))
        .add("accuracy", Value::number(accuracy[a]))
        .add("majority_accuracy", Value::number(majority_accuracy[a]))
        .add("balanced_accuracy", Value::number(balanced_accuracy[a]))
        .add("positives", Value::integer(positives[a]))
        .add("judgeable", Value::boolean(judgeable[a]));
    if (classes) row.add("recall", Value::number(class_recall[a]));
    rows.push_back(row);
  }
  Value v = Value::object();
  v.add("faces", Value::integer(faces)).add("attributes", Value::array(rows));
  if (classes) v.add("classes", Value::boolean(true)).add("top1_accuracy", Value::number(top1_accuracy));
  return v;
}

JudgeQuality JudgeQuality::from_json(const json::Value& value) {
  const auto field = [](const json::Value& object, const char* key) -> const json::Value& {
    const json::Value* found = object.find(key);
    if (!found) throw Error("judge quality: no field '" + std::string(key) + "'");
    return *found;
  };
  JudgeQuality q;
  q.faces = field(value, "faces").as_integer();
  const json::Value* classes = value.find("classes");
  q.classes = classes && classes->as_boolean();
  if (q.classes) q.top1_accuracy = field(value, "top1_accuracy").as_number();
  for (const json::Value& row : field(value, "attributes").items()) {
    q.names.push_back(field(row, "attribute").as_string());
    q.accuracy.push_back(field(row, "accuracy").as_number());
    q.majority_accuracy.push_back(field(row, "majority_accuracy").as_number());
    q.balanced_accuracy.push_back(field(row, "balanced_accuracy").as_number());
    q.positives.push_back(field(row, "positives").as_integer());
    q.judgeable.push_back(field(row, "judgeable").as_boolean());
    if (q.classes) q.class_recall.push_back(field(row, "recall").as_number());
  }
  return q;
}

void train_judge(AttributeJudge& judge, std::shared_ptr<const data::Dataset> faces, const JudgeTraining& training,
                 Device device, const data::ProgressReport& progress) {
  if (faces->label_count() != judge.attributes())
    throw Error("train_judge: the data set has " + std::to_string(faces->label_count()) + " labels, the judge reads " +
                std::to_string(judge.attributes()));
  if (faces->image_shape() != Shape{judge.channels(), judge.image_size(), judge.image_size()})
    throw Error("train_judge: the data set's images are " + shape_str(faces->image_shape()) + ", the judge reads " +
                shape_str({judge.channels(), judge.image_size(), judge.image_size()}));
  const detail::RandomStateGuard keep_random_state;
  manual_seed(training.seed);
  judge.to(device);
  judge.train();
  Adam adam(judge.parameters(), AdamOptions().lr(training.lr));
  data::DataLoader loader(std::move(faces), data::DataLoaderOptions()
                                                .batch_size(training.batch)
                                                .drop_last(true)
                                                .seed(training.seed)
                                                .tensor_options(TensorOptions().device(device)));
  const std::int64_t total = loader.batches_per_epoch() * training.epochs;
  std::int64_t done = 0;
  for (int epoch = 0; epoch < training.epochs; ++epoch) {
    loader.start_epoch(epoch);
    while (std::optional<data::Batch> batch = loader.next()) {
      adam.zero_grad();
      const Tensor logits = judge.logits(batch->images);
      (training.objective == JudgeObjective::classes ? cross_entropy(logits, batch->labels)
                                                     : bce_with_logits(logits, batch->labels))
          .backward();
      adam.step();
      if (progress) progress(++done, total);
    }
  }
  judge.eval();
}

std::vector<bool> majority_labels(const data::Dataset& faces) {
  const std::int64_t n = faces.size(), k = faces.label_count();
  const Shape shape = faces.image_shape();
  std::vector<std::uint8_t> image(static_cast<std::size_t>(shape[0] * shape[1] * shape[2]));
  std::vector<float> labels(static_cast<std::size_t>(k));
  std::vector<std::int64_t> positive(static_cast<std::size_t>(k), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    faces.read(i, image.data(), labels.data());
    for (std::int64_t a = 0; a < k; ++a)
      positive[static_cast<std::size_t>(a)] += labels[static_cast<std::size_t>(a)] > 0.5f;
  }
  std::vector<bool> majority;
  for (std::int64_t p : positive) majority.push_back(p * 2 > n);
  return majority;
}

JudgeQuality measure_judge(AttributeJudge& judge, std::shared_ptr<const data::Dataset> held_out,
                           const std::vector<bool>& majority, const std::vector<std::string>& names, Device device,
                           JudgeObjective objective) {
  judge.eval();
  return measure_classifier([&judge](const Tensor& images) { return judge.logits(images); }, std::move(held_out),
                            majority, names, device, objective);
}

JudgeQuality measure_classifier(const ClassifierLogits& logits_of, std::shared_ptr<const data::Dataset> held_out,
                                const std::vector<bool>& majority, const std::vector<std::string>& names,
                                Device device, JudgeObjective objective) {
  const std::size_t k = static_cast<std::size_t>(held_out->label_count());
  if (majority.size() != k || names.size() != k)
    throw Error("measure_classifier: expected " + std::to_string(k) + " majority values and names");
  NoGradGuard no_grad;
  data::DataLoader loader(std::move(held_out), data::DataLoaderOptions().batch_size(256).shuffle(false).tensor_options(
                                                   TensorOptions().device(device)));
  std::vector<std::int64_t> correct(k, 0), majority_correct(k, 0), positives(k, 0), true_positives(k, 0),
      true_negatives(k, 0);
  std::int64_t faces = 0, top1 = 0;
  const bool classes = objective == JudgeObjective::classes;
  loader.start_epoch(0);
  while (std::optional<data::Batch> batch = loader.next()) {
    const std::vector<float> logits = logits_of(batch->images).to_vector<float>();
    const std::vector<float> truth = batch->labels.to_vector<float>();
    if (logits.size() != truth.size())
      throw Error("measure_classifier: " + std::to_string(logits.size()) + " logits for " +
                  std::to_string(truth.size()) + " labels in a batch of " + std::to_string(batch->labels.size(0)));
    for (std::size_t j = 0; j < logits.size(); ++j) {
      const std::size_t a = j % k, row = j - a;
      // A classifier says the class it finds most probable; the image is of
      // the class of its largest label.
      const bool said = classes ? argmax_of(&logits[row], k) == a : logits[j] > 0;
      const bool is = classes ? argmax_of(&truth[row], k) == a : truth[j] > 0.5f;
      if (classes && a == 0) top1 += argmax_of(&logits[row], k) == argmax_of(&truth[row], k);
      correct[a] += said == is;
      majority_correct[a] += majority[a] == is;
      positives[a] += is;
      true_positives[a] += said && is;
      true_negatives[a] += !said && !is;
    }
    faces += batch->labels.size(0);
  }
  JudgeQuality q;
  q.names = names;
  q.faces = faces;
  q.classes = classes;
  if (classes) q.top1_accuracy = static_cast<double>(top1) / static_cast<double>(faces);
  for (std::size_t a = 0; a < k; ++a) {
    const double n = static_cast<double>(faces), pos = static_cast<double>(positives[a]);
    const std::int64_t negatives = faces - positives[a];
    q.accuracy.push_back(static_cast<double>(correct[a]) / n);
    q.majority_accuracy.push_back(static_cast<double>(majority_correct[a]) / n);
    const double on_positives = positives[a] ? static_cast<double>(true_positives[a]) / pos : 0.0;
    const double on_negatives =
        negatives ? static_cast<double>(true_negatives[a]) / static_cast<double>(negatives) : 0.0;
    q.balanced_accuracy.push_back((on_positives + on_negatives) / 2);
    if (classes) q.class_recall.push_back(on_positives);
    q.positives.push_back(positives[a]);
    q.judgeable.push_back(positives[a] >= kJudgeableMinimumFaces && negatives >= kJudgeableMinimumFaces &&
                          q.balanced_accuracy.back() >= kJudgeableBalancedAccuracy);
  }
  return q;
}

int judge_epochs_for(std::int64_t image_size) {
  constexpr double kEpochsAt64 = 4;
  const double scale = 64.0 / static_cast<double>(std::max<std::int64_t>(image_size, 1));
  return static_cast<int>(std::clamp(std::round(kEpochsAt64 * scale * scale), 1.0, kEpochsAt64));
}

}  // namespace nn::evaluation
