#pragma once
// The attribute judge: a CNN trained on real faces (never on generated ones)
// to read their attributes, so that generated faces can be scored by a model
// independent of the generator. Its penultimate layer is the feature space of
// the Fréchet distance and the diversity figure.
//
// Architecture, on square S x S images with C channels in [-1, 1] (64x64 RGB
// for faces): three 4x4 stride-2 `same` convolutions (32, 64, 128 channels),
// each with LeakyReLU 0.2, Flatten (128 x ceil(S/8)^2 values), Dense 128 with
// LeakyReLU 0.2 (the features), Dense to one logit per attribute.
//
// The same network also serves as a class classifier (JudgeObjective::classes):
// one-hot labels, softmax cross-entropy, one logit per class.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/data/progress.hpp"
#include "nn/json.hpp"
#include "nn/nn.hpp"

namespace nn::evaluation {

inline constexpr std::int64_t kJudgeImageSize = 64;  // the faces' judge
inline constexpr std::int64_t kJudgeMinimumImageSize = 8;
inline constexpr std::int64_t kJudgeFeatures = 128;

class AttributeJudge : public Module {
 public:
  // S x S images (S >= 8) with 1 or 3 channels.
  explicit AttributeJudge(std::int64_t attributes, std::int64_t image_size = kJudgeImageSize,
                          std::int64_t channels = 3);
  std::int64_t attributes() const { return attributes_; }
  std::int64_t image_size() const { return image_size_; }
  std::int64_t channels() const { return channels_; }
  // images [N,C,S,S] in [-1, 1] -> [N,128] features, [N,A] logits, [N,A]
  // probabilities (the sigmoid of each logit). Call under NoGradGuard and
  // eval() to judge.
  Tensor features(const Tensor& images);
  Tensor logits(const Tensor& images);
  Tensor probabilities(const Tensor& images);
  // The logits [N,A] of features [N,128] (the last layer alone).
  Tensor logits_of_features(const Tensor& features);

 private:
  std::int64_t attributes_, image_size_, channels_;
  std::shared_ptr<Sequential> trunk_;
  std::shared_ptr<Dense> head_;
};

// What the judge learns: each label as an independent attribute (BCE on
// sigmoid outputs), or the labels as one-hot classes (softmax cross-entropy).
enum class JudgeObjective { attributes, classes };
const char* judge_objective_name(JudgeObjective objective);

// How well the judge reads each attribute on held-out real faces. For a class
// classifier an image "has" the attribute of its class, and the judge "says"
// the class it finds most probable.
struct JudgeQuality {
  std::vector<std::string> names;
  std::vector<double> accuracy;           // judge's accuracy
  std::vector<double> majority_accuracy;  // of always answering the training set's majority value
  std::vector<double> balanced_accuracy;  // mean of the judge's accuracy on positives and on negatives
  std::vector<std::int64_t> positives;    // held-out faces with the attribute
  std::int64_t faces = 0;                 // held-out faces
  std::vector<bool> judgeable;
  // Class classifiers only: the share of held-out images whose most probable
  // class is theirs, over all of them and per class (empty otherwise).
  bool classes = false;
  double top1_accuracy = 0;
  std::vector<double> class_recall;

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
  JudgeObjective objective = JudgeObjective::attributes;
  int epochs = 4;
  std::int64_t batch = 64;
  double lr = 1e-3;
  std::uint64_t seed = 1;
};

// The epochs for images of side `image_size`: four at 64x64 and below, and
// above it as many as keep the work near four epochs at 64x64 (one at
// 128x128), so that a judge of large images is not four times as costly.
int judge_epochs_for(std::int64_t image_size);

// Trains `judge` with BCE on every attribute, or with softmax cross-entropy
// on one-hot classes, as `training.objective` says; the global random state is
// restored afterwards, so a training run that builds a judge draws the same
// numbers as one that does not.
void train_judge(AttributeJudge& judge, std::shared_ptr<const data::Dataset> faces, const JudgeTraining& training,
                 Device device, const data::ProgressReport& progress = {});

// Scores the judge on held-out faces; `majority` holds the training set's
// majority value of each attribute.
JudgeQuality measure_judge(AttributeJudge& judge, std::shared_ptr<const data::Dataset> held_out,
                           const std::vector<bool>& majority, const std::vector<std::string>& names, Device device,
                           JudgeObjective objective = JudgeObjective::attributes);

// images [N,C,S,S] in [-1, 1] on the device -> logits [N, A], without autograd.
using ClassifierLogits = std::function<Tensor(const Tensor& images)>;
// measure_judge for any classifier of the held-out faces' labels (an
// attribute is said present where its logit is positive).
JudgeQuality measure_classifier(const ClassifierLogits& logits_of, std::shared_ptr<const data::Dataset> held_out,
                                const std::vector<bool>& majority, const std::vector<std::string>& names,
                                Device device, JudgeObjective objective = JudgeObjective::attributes);

// The majority value of each label over a data set.
std::vector<bool> majority_labels(const data::Dataset& faces);

}  // namespace nn::evaluation
