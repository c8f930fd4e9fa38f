#include "common/face_evaluation.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "common/progress.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/evaluation/judge_faces.hpp"

namespace nn::apps {
namespace {

std::vector<std::string> attribute_names() {
  std::vector<std::string> names;
  for (std::string_view name : data::celeba_attribute_names()) names.emplace_back(name);
  return names;
}

std::string format(const char* pattern, auto... values) {
  char line[256];
  std::snprintf(line, sizeof line, pattern, values...);
  return line;
}

// The accuracy of `control` on attribute a, or NaN when it was not measured.
double accuracy_of(const evaluation::AttributeControl& control, int a) {
  const auto at = std::find(control.attributes.begin(), control.attributes.end(), a);
  return at == control.attributes.end() ? std::nan("")
                                        : control.accuracy[static_cast<std::size_t>(at - control.attributes.begin())];
}

std::string cell(double v) { return std::isnan(v) ? "      -" : format("%7.3f", v); }

// The judge's plain accuracy on the held-out real faces, averaged over the
// judgeable attributes: what reconstructions' label accuracy compares with.
double judgeable_accuracy(const evaluation::JudgeQuality& q) {
  const std::vector<int> judgeable = q.judgeable_indices();
  double sum = 0;
  for (int a : judgeable) sum += q.accuracy[static_cast<std::size_t>(a)];
  return judgeable.empty() ? 0 : sum / static_cast<double>(judgeable.size());
}

}  // namespace

LoadedFaceJudge load_face_judge(const FaceJudgeSetup& setup, std::ostream& out) {
  evaluation::JudgeFacesRequest faces_request;
  faces_request.celeba_dir = setup.celeba_dir;
  faces_request.cache_dir = setup.cache_dir;
  faces_request.preprocess = setup.preprocess;
  faces_request.progress = progress_bar_report("judge faces", ProgressOptions().unit("img").final_line(false));
  const evaluation::JudgeFaces faces = evaluation::judge_faces(faces_request);

  evaluation::JudgeRequest request;
  request.train = faces.train;
  request.held_out = faces.held_out;
  request.names = attribute_names();
  request.cache_dir = setup.cache_dir;
  request.training.epochs = evaluation::judge_epochs_for(setup.preprocess.size);
  request.device = setup.device;
  request.progress = progress_bar_report("training the judge", ProgressOptions().unit("batch"));
  LoadedFaceJudge judge;
  judge.trained = evaluation::load_or_train_judge(request);
  judge.held_out = faces.held_out;
  if (judge.trained.trained) {
    out << setup.program << ": trained the attribute judge on " << faces.train->size() << " faces of " << faces.source
        << " (" << judge.trained.reason << "); saved " << judge.trained.path << "\n"
        << judge_quality_table(judge.trained.quality);
  } else {
    out << setup.program << ": attribute judge " << judge.trained.path << " ("
        << judge.trained.quality.judgeable_indices().size() << " judgeable attributes)\n";
  }
  return judge;
}

FaceJudge prepare_face_judge(const FaceJudgeSetup& setup, std::ostream& out) {
  LoadedFaceJudge loaded = load_face_judge(setup, out);
  FaceJudge judge;
  judge.evaluator = std::make_shared<evaluation::GeneratorEvaluator>(loaded.trained.judge, loaded.trained.quality,
                                                                     loaded.held_out, setup.options, setup.device);
  judge.trained = std::move(loaded.trained);
  return judge;
}

std::string judge_quality_table(const evaluation::JudgeQuality& q, const std::string& subject) {
  if (q.classes) {
    std::string text = format("classifier on %lld held-out real images: top-1 accuracy %.4f\n",
                              static_cast<long long>(q.faces), q.top1_accuracy);
    text += format("  %-20s %8s %9s\n", "class", "recall", "images");
    for (std::size_t c = 0; c < q.names.size(); ++c)
      text += format("  %-20s %8.3f %9lld\n", q.names[c].c_str(), q.class_recall[c],
                     static_cast<long long>(q.positives[c]));
    return text;
  }
  std::string text = format("%s on %lld held-out real faces:\n", subject.c_str(), static_cast<long long>(q.faces));
  text += format("  %-20s %8s %8s %8s %9s  %s\n", "attribute", "accuracy", "majority", "balanced", "positives",
                 "judgeable");
  for (std::size_t a = 0; a < q.names.size(); ++a)
    text += format("  %-20s %8.3f %8.3f %8.3f %9lld  %s\n", q.names[a].c_str(), q.accuracy[a], q.majority_accuracy[a],
                   q.balanced_accuracy[a], static_cast<long long>(q.positives[a]), q.judgeable[a] ? "yes" : "no");
  return text;
}

std::string scores_table(const evaluation::GeneratorScores& s, const std::optional<evaluation::AutoencoderScores>& ae,
                         const evaluation::JudgeQuality& q) {
  std::string text = format("  %-20s %7s %7s %7s %7s\n", "attribute", "control", "edit", "recon.", "judge");
  std::vector<int> shown = q.judgeable_indices();
  for (int a : s.sheet_control.attributes)
    if (std::find(shown.begin(), shown.end(), a) == shown.end()) shown.push_back(a);
  for (int a : shown) {
    const double control =
        std::isnan(accuracy_of(s.control, a)) ? accuracy_of(s.sheet_control, a) : accuracy_of(s.control, a);
    text += format("  %-20s ", q.names[static_cast<std::size_t>(a)].c_str()) + cell(control) + " " +
            cell(ae ? accuracy_of(ae->edit, a) : std::nan("")) + " " +
            cell(ae ? accuracy_of(ae->reconstruction, a) : std::nan("")) + " " +
            cell(q.balanced_accuracy[static_cast<std::size_t>(a)]) +
            (q.judgeable[static_cast<std::size_t>(a)] ? "" : "  (not judgeable)") + "\n";
  }
  text += format(
      "  attribute control, macro mean: %.3f over %zu judgeable attributes, %.3f over the %zu sheet attributes\n",
      s.control.macro_mean, s.control.attributes.size(), s.sheet_control.macro_mean, s.sheet_control.attributes.size());
  text += format("  Frechet distance: %.3f (real-vs-real floor %.3f, ratio %.2f)\n", s.frechet, s.frechet_floor,
                 s.frechet_floor > 0 ? s.frechet / s.frechet_floor : 0.0);
  text += format("  diversity: %.3f (real %.3f, ratio %.3f)\n", s.diversity, s.real_diversity, s.diversity_ratio());
  if (ae) {
    text += format("  edit accuracy, macro mean: %.3f; held-out reconstruction MAE: %.4f\n", ae->edit.macro_mean,
                   ae->reconstruction_mae);
    text += format("  labels read off the reconstructions, macro mean: %.3f (the judge on the real faces: %.3f)\n",
                   ae->reconstruction.macro_mean, judgeable_accuracy(q));
  }
  return text;
}

}  // namespace nn::apps
