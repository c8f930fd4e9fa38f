#pragma once
// Scores of a conditional face generator, read by an attribute judge:
//  - attribute control: each attribute requested on and off (the others
//    drawn as in training, the same z on both sides); the share of faces
//    where the judge agrees, per attribute and as the macro mean, over the
//    judgeable attributes and over a list of sheet attributes;
//  - the Fréchet distance between the judge's features of generated faces
//    and of the held-out real faces, beside the floor: the distance between
//    the two halves of the real faces;
//  - diversity: the mean pairwise feature distance among faces generated for
//    one attribute vector with different z (averaged over several vectors
//    taken from held-out faces), beside the same figure for real faces,
//    measured within groups of held-out faces that share every sheet
//    attribute;
//  - for an autoencoder (encoder E, decoder G): reconstruction MAE on held-out
//    faces, and edit accuracy: flip one judgeable attribute in E's code of a
//    real face, decode, and ask the judge whether it sees the new value.
// Every random draw comes from a stream keyed by the options' seed, and the
// global random state is left alone, so two evaluations of one generator
// agree exactly and a training run is not disturbed by evaluating.
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "nn/evaluation/attribute_control.hpp"
#include "nn/evaluation/attribute_judge.hpp"
#include "nn/evaluation/latent_distribution.hpp"
#include "nn/json.hpp"
#include "nn/random_stream.hpp"

namespace nn::evaluation {

// `n` attribute vectors ([n * A] row-major, 0/1) drawn as training draws them.
using AttributeSampler = std::function<std::vector<float>(std::int64_t n, RandomStream& stream)>;
// Rows of a label table ([rows * A] row-major), drawn uniformly with replacement.
AttributeSampler label_rows_sampler(std::vector<float> labels, std::int64_t attributes);

// images -> (attribute code [N, A], latent code [N, Z]).
using ImageEncoder = std::function<std::pair<Tensor, Tensor>(const Tensor& images)>;

struct ConditionalGenerator {
  ImageGenerator generate;  // (y, z) -> images [N,C,S,S] in [-1, 1], as the judge reads them
  std::int64_t latent = 0;
  LatentDistribution z = LatentDistribution::uniform;  // of the noise
  AttributeSampler attributes;
  // The latent a noise tensor [n, latent] stands for; empty: the noise itself.
  std::function<Tensor(const Tensor& noise)> latent_from_noise;
};

struct EvaluationOptions {
  std::int64_t frechet_faces = 2000;  // generated faces for the Fréchet distance
  std::int64_t real_faces = 4000;     // held-out faces used at most
  std::int64_t control_faces = 100;   // per side and attribute
  std::int64_t diversity_conditions = 20, diversity_faces = 16;
  std::int64_t edit_faces = 200;
  std::int64_t chunk = 200;  // images per generator or judge call
  std::uint64_t seed = 1;
  std::vector<int> sheet_attributes;
};

struct GeneratorScores {
  AttributeControl control;        // over the judgeable attributes
  AttributeControl sheet_control;  // over the sheet attributes
  double frechet = 0, frechet_floor = 0;
  double diversity = 0, real_diversity = 0;
  double diversity_ratio() const { return real_diversity > 0 ? diversity / real_diversity : 0; }
};

struct AutoencoderScores {
  AttributeControl edit;  // over the judgeable attributes
  // How often the judge reads a face's own label off its reconstruction,
  // over the judgeable attributes: what of each attribute survives E and G.
  AttributeControl reconstruction;
  double reconstruction_mae = 0;
};

class GeneratorEvaluator {
 public:
  // Reads the held-out faces' features once; `device` is where the judge
  // and the generators run.
  GeneratorEvaluator(std::shared_ptr<AttributeJudge> judge, JudgeQuality quality,
                     std::shared_ptr<const data::Dataset> held_out, EvaluationOptions options, Device device);

  GeneratorScores evaluate(const ConditionalGenerator& generator) const;
  AutoencoderScores evaluate_autoencoder(const ImageEncoder& encode, const ImageGenerator& decode) const;

  const JudgeQuality& judge_quality() const { return quality_; }
  const EvaluationOptions& options() const { return options_; }

 private:
  Tensor draw_latent(const ConditionalGenerator& generator, std::int64_t n, RandomStream& stream) const;

  std::shared_ptr<AttributeJudge> judge_;
  JudgeQuality quality_;
  EvaluationOptions options_;
  Device device_;
  Tensor real_images_;    // [R,C,S,S] on device_
  Tensor real_features_;  // [R,128] on the CPU
  std::vector<float> real_labels_;
  double frechet_floor_ = 0, real_diversity_ = 0;
};

// The scores as JSON objects (per-attribute figures by attribute name).
json::Value to_json(const GeneratorScores& scores, const std::vector<std::string>& names);
json::Value to_json(const AutoencoderScores& scores, const std::vector<std::string>& names);

}  // namespace nn::evaluation
