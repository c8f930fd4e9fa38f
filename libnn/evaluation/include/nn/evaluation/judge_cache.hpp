#pragma once
// A judge trained once per data set: its weights and held-out quality are
// kept in `<cache_dir>/judge_<fingerprint>.safetensors`, where the
// fingerprint hashes the training and held-out faces (pixels and labels),
// the training settings (the objective among them), the image size and
// channel count and the architecture. The file records the image size,
// channels and objective, and a judge is only loaded for the same. Later
// runs on the same data load it; a file that cannot be read (or holds a
// judge for other images) is replaced by a fresh training. Loading leaves
// the global random state alone.
#include <memory>
#include <string>
#include <vector>

#include "nn/evaluation/attribute_judge.hpp"

namespace nn::evaluation {

struct JudgeRequest {
  // Square images [C,S,S], the same shape in both; the judge reads that shape.
  std::shared_ptr<const data::Dataset> train, held_out;
  std::vector<std::string> names;  // one per label
  std::string cache_dir;
  JudgeTraining training;
  Device device = Device::cpu();
  data::ProgressReport progress;  // hears of every training batch
};

struct TrainedJudge {
  std::shared_ptr<AttributeJudge> judge;  // in eval mode, on the request's device
  JudgeQuality quality;
  std::string path;      // the cache file
  bool trained = false;  // false when it was loaded
  std::string reason;    // why it was trained ("no cached judge yet", ...)
};

TrainedJudge load_or_train_judge(const JudgeRequest& request);

// The fingerprint of a request, as 16 hexadecimal digits.
std::string judge_fingerprint(const JudgeRequest& request);

}  // namespace nn::evaluation
