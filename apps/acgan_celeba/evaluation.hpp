#pragma once
// The AE-AC-GAN scored by the attribute judge of its data set: generated
// faces (attribute control, Fréchet distance, diversity) and the autoencoder
// (edit accuracy, reconstruction MAE), for --evaluate and at the end of each
// training epoch (eval.csv, eval.svg).
#include <iosfwd>
#include <string>
#include <vector>

#include "acgan_celeba/config.hpp"
#include "acgan_celeba/models.hpp"
#include "common/training_log.hpp"
#include "common/face_evaluation.hpp"

namespace acgan {

// The attributes the per-epoch sheets flip, which the evaluation also
// reports on their own.
const std::vector<std::string>& sheet_attributes();

struct Evaluation {
  nn::evaluation::GeneratorScores generator;
  nn::evaluation::AutoencoderScores autoencoder;
};

// Loads or trains the judge of `config`'s data set (cached under its cache
// folder) and reads its held-out faces.
nn::apps::FaceJudge prepare_judge(const Config& config, nn::Device device, std::ostream& out);

// Scores E and G; `training_labels` (rows of 40) are what fake attributes are
// drawn from when the run draws them from the labels; `statistics` shape the
// latents with --z encoder (unused otherwise).
Evaluation evaluate(const nn::apps::FaceJudge& judge, Encoder& encoder, Generator& generator,
                    const LatentSource* latent_source, const Config& config,
                    const std::vector<float>& training_labels);

// The synthetic faces' renderer scored as if it were G, with the attribute
// vectors drawn as the run's training draws them: what a generator that
// draws every request exactly would score.
nn::evaluation::GeneratorScores score_synthetic_renderer(const nn::apps::FaceJudge& judge, const Config& config,
                                                         const std::vector<float>& training_labels, nn::Device device);

// The table printed for people and the eval.json text.
std::string evaluation_table(const nn::apps::FaceJudge& judge, const Evaluation& evaluation);
std::string evaluation_json(const nn::apps::FaceJudge& judge, const Evaluation& evaluation,
                            const std::string& checkpoint);

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

}  // namespace acgan
