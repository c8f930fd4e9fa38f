#pragma once
// The attribute judge: a CNN trained on real faces (never on generated ones)
// to read their attributes, so that generated faces can be scored by a model
// independent of the generator. Its penultimate layer is the feature space of
// the Fréchet distance and the diversity figure.
//
// Architecture, on 64x64 RGB images in [-1, 1]: three 4x4 stride-2 `same`
// convolutions (32, 64, 128 channels), each with LeakyReLU 0.2, Flatten,
// Dense 128 with LeakyReLU 0.2 (the features), Dense to one logit per
// attribute.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/data/progress.hpp"
#include "nn/json.hpp"
#include "nn/nn.hpp"

namespace nn::evaluation {

inline constexpr std::int64_t kJudgeImageSize = 64;
inline constexpr std::int64_t kJudgeFeatures = 128;

class AttributeJudge : public Module {
 public:
  explicit AttributeJudge(std::int64_t attributes);
  std::int64_t attributes() const { return attributes_; }
  // images [N,3,64,64] in [-1, 1] -> [N,128] features, [N,A] logits, [N,A]
  // probabilities. Call under NoGradGuard and eval() to judge.
  Tensor features(const Tensor& images);
  Tensor logits(const Tensor& images);
  Tensor probabilities(const Tensor& images);

 private:
  std::int64_t attributes_;
  std::shared_ptr<Sequential> trunk_;
  std::shared_ptr<Dense> head_;
};

// How well the judge reads each attribute on held-out real faces.
struct JudgeQuality {
  std::vector<std::string> names;
  std::vector<double> accuracy;           // judge's accuracy
  std::vector<double> majority_accuracy;  // of always answering the training set's majority value
  std::vector<double> balanced_accuracy;  // mean of the judge's accuracy on positives and on negatives
  std::vector<std::int64_t> positives;    // held-out faces with the attribute
  std::int64_t faces = 0;                 // held-out faces
  std::vector<bool> judgeable;

  std::vector<int> judgeable_indices() const;
  nn::json::Value to_json() const;
  static JudgeQuality from_json(const nn::json::Value& value);
};

// An attribute is judgeable when the held-out set holds at least this many
// faces with and without it and the judge's balanced accuracy reaches the
// threshold (the majority baseline's balanced accuracy is 0.5).
inline constexpr std::int64_t kJudgeableMinimumFaces = 20;
inline constexpr double kJudgeableBalancedAccuracy = 0.9;

struct JudgeTraining {
  int epochs = 4;
  std::int64_t batch = 64;
  double lr = 1e-3;
  std::uint64_t seed = 1;
};

// Trains `judge` with BCE on every attribute; the global random state is
// restored afterwards, so a training run that builds a judge draws the same
// numbers as one that does not.
void train_judge(AttributeJudge& judge, std::shared_ptr<const data::Dataset> faces, const JudgeTraining& training,
                 Device device, const data::ProgressReport& progress = {});

// Scores the judge on held-out faces; `majority` holds the training set's
// majority value of each attribute.
JudgeQuality measure_judge(AttributeJudge& judge, std::shared_ptr<const data::Dataset> held_out,
                           const std::vector<bool>& majority, const std::vector<std::string>& names, Device device);

// The majority value of each label over a data set.
std::vector<bool> majority_labels(const data::Dataset& faces);

}  // namespace nn::evaluation
