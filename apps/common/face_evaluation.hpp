#pragma once
// What the apps share to score generated faces: the attribute judge of the
// run's data set at the run's image size (trained once and cached, with
// progress bars while it is built), the evaluator over its held-out faces,
// and the tables printed for people.
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nn/data/preprocess.hpp"
#include "nn/evaluation/generator_evaluation.hpp"
#include "nn/evaluation/judge_cache.hpp"

namespace nn::apps {

struct FaceJudgeSetup {
  std::string program;     // names the program in messages
  std::string celeba_dir;  // empty: the synthetic faces
  std::string cache_dir;
  data::PreprocessOptions preprocess;
  Device device = Device::cpu();
  evaluation::EvaluationOptions options;
};

// The judge and the held-out faces it is scored on (for an evaluator of
// one's own, such as evaluation::UnconditionalEvaluator).
struct LoadedFaceJudge {
  evaluation::TrainedJudge trained;
  std::shared_ptr<const data::Dataset> held_out;
};

struct FaceJudge {
  evaluation::TrainedJudge trained;
  std::shared_ptr<const evaluation::GeneratorEvaluator> evaluator;
};

// Loads or trains the judge of faces preprocessed by `setup.preprocess` (the
// judge reads their size); says on `out` what it did and, when the judge was
// trained now, prints its quality table. `setup.options` is not used.
LoadedFaceJudge load_face_judge(const FaceJudgeSetup& setup, std::ostream& out);

// load_face_judge, then the conditional evaluator over the held-out faces.
FaceJudge prepare_face_judge(const FaceJudgeSetup& setup, std::ostream& out);

// The judge's per-attribute accuracy beside the majority baseline; for a
// class classifier its top-1 accuracy and each class's recall. `subject`
// names the classifier measured.
std::string judge_quality_table(const evaluation::JudgeQuality& quality, const std::string& subject = "judge");
// The figures of one evaluation, per attribute and in summary.
std::string scores_table(const evaluation::GeneratorScores& scores,
                         const std::optional<evaluation::AutoencoderScores>& autoencoder,
                         const evaluation::JudgeQuality& quality);

}  // namespace nn::apps
