#include "nn/evaluation/attribute_judge.hpp"

#include <optional>

#include "nn/data/data_loader.hpp"

namespace nn::evaluation {
namespace {

constexpr double kSlope = 0.2;

// Restores the global random state when it goes out of scope.
class RandomStateGuard {
 public:
  RandomStateGuard() : saved_(random_state()) {}
  ~RandomStateGuard() { set_random_state(saved_); }
  RandomStateGuard(const RandomStateGuard&) = delete;
  RandomStateGuard& operator=(const RandomStateGuard&) = delete;

 private:
  RandomState saved_;
};

}  // namespace

AttributeJudge::AttributeJudge(std::int64_t attributes) : Module("AttributeJudge"), attributes_(attributes) {
  if (attributes < 1) throw Error("AttributeJudge: needs at least one attribute");
  trunk_ = register_module("trunk", std::make_shared<Sequential>());
  std::int64_t channels = 3;
  for (std::int64_t out : {32, 64, 128}) {
    trunk_->emplace<Conv2d>(Conv2dOptions(channels, out, 4).stride(2).padding(Padding::same()));
    trunk_->emplace<LeakyReLU>(kSlope);
    channels = out;
  }
  trunk_->emplace<Flatten>();
  trunk_->emplace<Dense>(DenseOptions(channels * 8 * 8, kJudgeFeatures));
  trunk_->emplace<LeakyReLU>(kSlope);
  head_ = register_module("head", std::make_shared<Dense>(DenseOptions(kJudgeFeatures, attributes)));
}

Tensor AttributeJudge::features(const Tensor& images) {
  if (images.dim() != 4 || images.size(1) != 3 || images.size(2) != kJudgeImageSize ||
      images.size(3) != kJudgeImageSize)
    throw Error("AttributeJudge: expects images [N,3,64,64], got " + shape_str(images.shape()));
  return (*trunk_)(images);
}

Tensor AttributeJudge::logits(const Tensor& images) { return (*head_)(features(images)); }

Tensor AttributeJudge::probabilities(const Tensor& images) { return sigmoid(logits(images)); }

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
    rows.push_back(row);
  }
  Value v = Value::object();
  v.add("faces", Value::integer(faces)).add("attributes", Value::array(rows));
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
  for (const json::Value& row : field(value, "attributes").items()) {
    q.names.push_back(field(row, "attribute").as_string());
    q.accuracy.push_back(field(row, "accuracy").as_number());
    q.majority_accuracy.push_back(field(row, "majority_accuracy").as_number());
    q.balanced_accuracy.push_back(field(row, "balanced_accuracy").as_number());
    q.positives.push_back(field(row, "positives").as_integer());
    q.judgeable.push_back(field(row, "judgeable").as_boolean());
  }
  return q;
}

void train_judge(AttributeJudge& judge, std::shared_ptr<const data::Dataset> faces, const JudgeTraining& training,
                 Device device, const data::ProgressReport& progress) {
  if (faces->label_count() != judge.attributes())
    throw Error("train_judge: the data set has " + std::to_string(faces->label_count()) + " labels, the judge reads " +
                std::to_string(judge.attributes()));
  const RandomStateGuard keep_random_state;
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
      bce_with_logits(judge.logits(batch->images), batch->labels).backward();
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
                           const std::vector<bool>& majority, const std::vector<std::string>& names, Device device) {
  const std::size_t k = static_cast<std::size_t>(judge.attributes());
  if (majority.size() != k || names.size() != k)
    throw Error("measure_judge: expected " + std::to_string(k) + " majority values and names");
  judge.eval();
  NoGradGuard no_grad;
  data::DataLoader loader(std::move(held_out), data::DataLoaderOptions().batch_size(256).shuffle(false).tensor_options(
                                                   TensorOptions().device(device)));
  std::vector<std::int64_t> correct(k, 0), majority_correct(k, 0), positives(k, 0), true_positives(k, 0),
      true_negatives(k, 0);
  std::int64_t faces = 0;
  loader.start_epoch(0);
  while (std::optional<data::Batch> batch = loader.next()) {
    const std::vector<float> logits = judge.logits(batch->images).to_vector<float>();
    const std::vector<float> truth = batch->labels.to_vector<float>();
    for (std::size_t j = 0; j < logits.size(); ++j) {
      const std::size_t a = j % k;
      const bool said = logits[j] > 0, is = truth[j] > 0.5f;
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
  for (std::size_t a = 0; a < k; ++a) {
    const double n = static_cast<double>(faces), pos = static_cast<double>(positives[a]);
    const std::int64_t negatives = faces - positives[a];
    q.accuracy.push_back(static_cast<double>(correct[a]) / n);
    q.majority_accuracy.push_back(static_cast<double>(majority_correct[a]) / n);
    const double on_positives = positives[a] ? static_cast<double>(true_positives[a]) / pos : 0.0;
    const double on_negatives =
        negatives ? static_cast<double>(true_negatives[a]) / static_cast<double>(negatives) : 0.0;
    q.balanced_accuracy.push_back((on_positives + on_negatives) / 2);
    q.positives.push_back(positives[a]);
    q.judgeable.push_back(positives[a] >= kJudgeableMinimumFaces && negatives >= kJudgeableMinimumFaces &&
                          q.balanced_accuracy.back() >= kJudgeableBalancedAccuracy);
  }
  return q;
}

}  // namespace nn::evaluation
