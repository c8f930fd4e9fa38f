#pragma once
// Scores of an unconditional generator (z -> image), read by a judge trained
// on real images of the same size and channels:
//  - the Fréchet distance between the judge's features of generated images
//    and of the held-out real images, beside the floor: the distance between
//    the two halves of the real images;
//  - diversity: the mean pairwise feature distance among the generated
//    images, beside the same figure for the real images;
//  - when the judge is a class classifier (its quality says `classes`): the
//    class histogram of the generated images by their most probable class,
//    the share the judge classifies confidently, the classes covered and the
//    histogram's entropy against the uniform's; the same for the real images.
// Every draw comes from a stream keyed by the options' seed and the global
// random state is left alone, so two evaluations of one generator agree
// exactly and a training run is not disturbed by evaluating.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/evaluation/attribute_judge.hpp"
#include "nn/evaluation/latent_distribution.hpp"
#include "nn/json.hpp"

namespace nn::evaluation {

// A class counts as confidently recognised when its probability is at least this.
inline constexpr double kConfidentProbability = 0.9;
// A class is covered when it holds at least this share of the samples.
inline constexpr double kCoveredClassShare = 0.01;

// What a class classifier sees in a set of images.
struct ClassScores {
  std::vector<std::int64_t> counts;  // images per most probable class (the first on ties)
  double confident = 0;              // share of images whose largest probability >= kConfidentProbability
  std::int64_t covered = 0;          // classes holding >= kCoveredClassShare of the images
  double entropy = 0;                // of the histogram, natural log
  double max_entropy = 0;            // log(classes): the uniform histogram's
};

// The class scores of probabilities [N, K] (rows of class probabilities,
// N >= 1, any dtype and device).
ClassScores class_scores(const Tensor& probabilities);

// z [n, latent] -> images [n,C,S,S] in [-1, 1], as the judge reads them.
using UnconditionalGenerator = std::function<Tensor(const Tensor& z)>;

struct UnconditionalOptions {
  std::int64_t generated = 2000;  // generated images scored
  std::int64_t real = 4000;       // held-out images used at most
  std::int64_t chunk = 200;       // images per generator or judge call
  std::uint64_t seed = 1;
};

struct UnconditionalScores {
  std::int64_t generated = 0, real = 0;  // images scored on each side
  double frechet = 0, frechet_floor = 0;
  double diversity = 0, real_diversity = 0;
  std::optional<ClassScores> classes, real_classes;  // class classifiers only
  double diversity_ratio() const { return real_diversity > 0 ? diversity / real_diversity : 0; }
};

class UnconditionalEvaluator {
 public:
  // Reads the held-out images' features once (the first `options.real` of
  // them, at least 4); `device` is where the judge and the generator run.
  UnconditionalEvaluator(std::shared_ptr<AttributeJudge> judge, JudgeQuality quality,
                         std::shared_ptr<const data::Dataset> held_out, UnconditionalOptions options, Device device);

  // Draws `options.generated` latents [n, latent] from `z`, generates them
  // `chunk` at a time without autograd, and scores the images.
  UnconditionalScores evaluate(const UnconditionalGenerator& generate, std::int64_t latent, LatentDistribution z) const;

  const JudgeQuality& judge_quality() const { return quality_; }
  const UnconditionalOptions& options() const { return options_; }

 private:
  std::shared_ptr<AttributeJudge> judge_;
  JudgeQuality quality_;
  UnconditionalOptions options_;
  Device device_;
  Tensor real_features_;  // [R,128] on the CPU
  double frechet_floor_ = 0, real_diversity_ = 0;
  std::optional<ClassScores> real_classes_;
};

// The scores as a JSON object; `class_names` (one per class) name the
// histogram's entries.
json::Value to_json(const UnconditionalScores& scores, const std::vector<std::string>& class_names);

}  // namespace nn::evaluation
