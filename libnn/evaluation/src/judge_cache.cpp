#include "nn/evaluation/judge_cache.hpp"

#include <cstdio>
#include <filesystem>

namespace nn::evaluation {
namespace {

// Bumped whenever the architecture or the training procedure changes, so
// that judges cached by an older version are not reused.
constexpr const char* kJudgeVersion = "attribute-judge-1";

// 64-bit FNV-1a.
class Hash {
 public:
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) value_ = (value_ ^ p[i]) * 0x100000001b3ULL;
  }
  void text(const std::string& s) { bytes(s.data(), s.size() + 1); }
  template <class T>
  void number(T v) {
    bytes(&v, sizeof v);
  }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(value_));
    return out;
  }

 private:
  std::uint64_t value_ = 0xcbf29ce484222325ULL;
};

void hash_faces(Hash& hash, const data::Dataset& faces) {
  const Shape shape = faces.image_shape();
  hash.number(faces.size());
  for (std::int64_t d : shape) hash.number(d);
  hash.number(faces.label_count());
  std::vector<std::uint8_t> image(static_cast<std::size_t>(shape[0] * shape[1] * shape[2]));
  std::vector<float> labels(static_cast<std::size_t>(faces.label_count()));
  for (std::int64_t i = 0; i < faces.size(); ++i) {
    faces.read(i, image.data(), labels.data());
    hash.bytes(image.data(), image.size());
    hash.bytes(labels.data(), labels.size() * sizeof(float));
  }
}

const char* kQualityKey = "judge_quality";

}  // namespace

std::string judge_fingerprint(const JudgeRequest& request) {
  Hash hash;
  hash.text(kJudgeVersion);
  hash_faces(hash, *request.train);
  hash_faces(hash, *request.held_out);
  for (const std::string& name : request.names) hash.text(name);
  hash.number(request.training.epochs);
  hash.number(request.training.batch);
  hash.number(request.training.lr);
  hash.number(request.training.seed);
  return hash.hex();
}

TrainedJudge load_or_train_judge(const JudgeRequest& request) {
  if (!request.train || !request.held_out) throw Error("load_or_train_judge: needs training and held-out faces");
  const std::int64_t attributes = request.train->label_count();
  if (static_cast<std::int64_t>(request.names.size()) != attributes)
    throw Error("load_or_train_judge: " + std::to_string(request.names.size()) + " names for " +
                std::to_string(attributes) + " labels");
  TrainedJudge out;
  out.judge = std::make_shared<AttributeJudge>(attributes);
  out.path = request.cache_dir + "/judge_" + judge_fingerprint(request) + ".safetensors";
  const CheckpointParts parts{{{"judge", out.judge.get()}}, {}};
  if (std::filesystem::exists(out.path)) {
    try {
      const Metadata metadata = load_checkpoint(out.path, parts);
      const auto quality = metadata.find(kQualityKey);
      if (quality == metadata.end()) throw Error("no '" + std::string(kQualityKey) + "' metadata");
      out.quality = JudgeQuality::from_json(json::parse(quality->second));
      out.judge->to(request.device);
      out.judge->eval();
      return out;
    } catch (const std::exception& e) {
      out.reason = "the cached judge " + out.path + " could not be read (" + e.what() + ")";
      out.judge = std::make_shared<AttributeJudge>(attributes);
    }
  } else {
    out.reason = "no cached judge for these faces yet";
  }
  train_judge(*out.judge, request.train, request.training, request.device, request.progress);
  out.quality =
      measure_judge(*out.judge, request.held_out, majority_labels(*request.train), request.names, request.device);
  std::filesystem::create_directories(request.cache_dir);
  save_checkpoint(out.path, {{{"judge", out.judge.get()}}, {}}, {{kQualityKey, json::dump(out.quality.to_json())}});
  out.trained = true;
  return out;
}

}  // namespace nn::evaluation
