#pragma once
// A dcgan generator scored by the judge of its data set, for --evaluate and
// at the end of training epochs (eval.csv, eval.svg):
//  - faces: the attribute judge of the faces at the run's size; the Fréchet
//    distance to held-out faces beside the real-vs-real floor, diversity;
//  - Fashion-MNIST: the class classifier of the images at the run's size;
//    the same figures, plus the class histogram of the samples, the share it
//    classifies confidently and the classes covered.
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "common/training_log.hpp"
#include "dcgan/config.hpp"
#include "dcgan/models.hpp"
#include "nn/evaluation/judge_cache.hpp"
#include "nn/evaluation/unconditional_evaluation.hpp"

namespace dcgan {

struct DataJudge {
  nn::evaluation::TrainedJudge trained;
  std::shared_ptr<const nn::evaluation::UnconditionalEvaluator> evaluator;
  std::string held_out;  // what the real side is, for the tables
};

using Evaluation = nn::evaluation::UnconditionalScores;

// Loads or trains the judge of `config`'s data set (cached under its cache
// folder) and reads its held-out images; says on `out` what it did.
DataJudge prepare_judge(const Config& config, nn::Device device, std::ostream& out);

// Scores G on config.eval_images generated images.
Evaluation evaluate(const DataJudge& judge, Generator& generator, const Config& config);

// The table printed for people and the eval.json text.
std::string evaluation_table(const DataJudge& judge, const Evaluation& evaluation);
std::string evaluation_json(const DataJudge& judge, const Evaluation& evaluation, const std::string& checkpoint);

// eval.csv: one row per evaluation during training, by step, and its plot.
class EvaluationLog {
 public:
  EvaluationLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes);
  void open();
  void append(std::int64_t step, int epoch, const Evaluation& evaluation);
  void plot() const;

 private:
  nn::apps::TrainingLog log_;
};

}  // namespace dcgan
