#pragma once
// celeba_autoencoders' models scored, for --evaluate and after training
// epochs (eval.csv, eval.svg):
//  - an encoder: its per-attribute accuracy on the test faces beside the
//    majority baseline, and the mean per-label accuracy;
//  - an autoencoder, by the attribute judge of faces at its size: faces
//    sampled from its latent statistics (the Fréchet distance to held-out
//    faces beside the real-vs-real floor, diversity); for model1 and model3,
//    whose latent is the 40 attribute probabilities, faces decoded from
//    attribute vectors (attribute control: each attribute on and off, the
//    others drawn from the training faces' label rows; the Fréchet distance).
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "celeba_autoencoders/config.hpp"
#include "celeba_autoencoders/latent_statistics.hpp"
#include "celeba_autoencoders/models.hpp"
#include "common/training_log.hpp"
#include "nn/data/dataset.hpp"
#include "nn/evaluation/generator_evaluation.hpp"
#include "nn/evaluation/judge_cache.hpp"
#include "nn/evaluation/unconditional_evaluation.hpp"

namespace autoencoders {

// The test accuracy of an encoder's attribute probabilities.
nn::evaluation::JudgeQuality encoder_accuracy(AttributeEncoder& encoder,
                                              std::shared_ptr<const nn::data::Dataset> test_faces,
                                              const std::vector<float>& majority, nn::Device device);
// The mean of the per-attribute accuracies (the report's mean per-label accuracy).
double mean_accuracy(const std::vector<double>& accuracies);
std::string encoder_accuracy_table(const std::string& model, const nn::evaluation::JudgeQuality& quality);

struct FaceJudge {
  nn::evaluation::TrainedJudge trained;
  std::shared_ptr<const nn::evaluation::UnconditionalEvaluator> sampled;
  std::shared_ptr<const nn::evaluation::GeneratorEvaluator> attributes;  // model1 and model3
};

// Loads or trains the judge of faces at `config`'s model size (cached under
// its cache folder) and reads its held-out faces; says on `out` what it did.
FaceJudge prepare_judge(const Config& config, nn::Device device, std::ostream& out);

struct Evaluation {
  nn::evaluation::UnconditionalScores sampled;
  std::optional<nn::evaluation::GeneratorScores> attributes;
};

// `training_labels` (rows of 40) are what the attribute evaluation draws the
// other attributes from.
Evaluation evaluate(const FaceJudge& judge, Autoencoder& model, const LatentStatistics& statistics,
                    const std::vector<float>& training_labels);

// The table printed for people and the eval.json text.
std::string evaluation_table(const FaceJudge& judge, const Evaluation& evaluation);
std::string evaluation_json(const FaceJudge& judge, const Evaluation& evaluation, const std::string& checkpoint);
std::string encoder_evaluation_json(const nn::evaluation::JudgeQuality& quality, const std::string& checkpoint);

// eval.csv: one row per evaluation during training, by step, and its plot:
// test accuracies for an encoder, the judge's figures for an autoencoder.
class EvaluationLog {
 public:
  EvaluationLog(const std::string& dir, bool encoder, std::int64_t resume_step, std::ostream& notes);
  void open();
  void append(std::int64_t step, int epoch, const nn::evaluation::JudgeQuality& encoder_quality);
  void append(std::int64_t step, int epoch, const Evaluation& evaluation);
  void plot() const;

 private:
  nn::apps::TrainingLog log_;
};

}  // namespace autoencoders
