#pragma once
// A judge trained once per data set: its weights and held-out quality are
// kept in `<cache_dir>/judge_<fingerprint>.safetensors`, where the
// fingerprint hashes the training and held-out faces (pixels and labels),
// the training settings and the architecture. Later runs on the same data
// load it; a file that cannot be read is replaced by a fresh training.
#include <memory>
#include <string>
#include <vector>

#include "nn/evaluation/attribute_judge.hpp"

namespace nn::evaluation {

struct JudgeRequest {
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
