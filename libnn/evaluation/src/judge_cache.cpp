#include "nn/evaluation/judge_cache.hpp"

#include <cstdio>
#include <filesystem>

#include "evaluation_support.hpp"

namespace nn::evaluation {
namespace {

// Bumped whenever the architecture or the training procedure changes, so
// that judges cached by an older version are not reused.
constexpr const char* kJudgeVersion = "attribute-judge-2";

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
// What the saved judge reads, checked on load: a judge for another image
// size can have the same weight shapes (27 and 28 both end at 4x4).
const char* kImageSizeKey = "judge_image_size";
const char* kChannelsKey = "judge_channels";
const char* kObjectiveKey = "judge_objective";

// The judge's input, S x S images with C channels, from the request's data.
struct JudgeInput {
  std::int64_t size, channels;
};

JudgeInput judge_input(const JudgeRequest& request) {
  if (!request.train || !request.held_out) throw Error("load_or_train_judge: needs training and held-out faces");
  const Shape shape = request.train->image_shape();
  if (shape.size() != 3 || shape[1] != shape[2])
    throw Error("load_or_train_judge: needs square images [C,S,S], got " + shape_str(shape));
  if (request.held_out->image_shape() != shape)
    throw Error("load_or_train_judge: training images " + shape_str(shape) + " but held-out images " +
                shape_str(request.held_out->image_shape()));
  return {shape[1], shape[0]};
}

std::string describe(std::int64_t size, std::int64_t channels) {
  return std::to_string(size) + "x" + std::to_string(size) + "x" + std::to_string(channels);
}

const std::string& metadata_value(const Metadata& metadata, const char* key) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) throw Error("no '" + std::string(key) + "' metadata");
  return found->second;
}

// Loads a cached judge into `judge`; throws when the file is not a judge for
// `input` and `objective`.
JudgeQuality load_cached(const std::string& path, AttributeJudge& judge, JudgeInput input, JudgeObjective objective) {
  const Metadata metadata = load_checkpoint(path, {{{"judge", &judge}}, {}});
  const std::string saved =
      describe(std::stoll(metadata_value(metadata, kImageSizeKey)), std::stoll(metadata_value(metadata, kChannelsKey)));
  if (saved != describe(input.size, input.channels))
    throw Error("it was trained on " + saved + " images, these are " + describe(input.size, input.channels));
  if (metadata_value(metadata, kObjectiveKey) != judge_objective_name(objective))
    throw Error("it was trained for " + metadata_value(metadata, kObjectiveKey));
  return JudgeQuality::from_json(json::parse(metadata_value(metadata, kQualityKey)));
}

}  // namespace

std::string judge_fingerprint(const JudgeRequest& request) {
  const JudgeInput input = judge_input(request);
  Hash hash;
  hash.text(kJudgeVersion);
  hash.number(input.size);
  hash.number(input.channels);
  hash.text(judge_objective_name(request.training.objective));
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
  const JudgeInput input = judge_input(request);
  const std::int64_t attributes = request.train->label_count();
  if (static_cast<std::int64_t>(request.names.size()) != attributes)
    throw Error("load_or_train_judge: " + std::to_string(request.names.size()) + " names for " +
                std::to_string(attributes) + " labels");
  // The global random state is left alone: a new judge's initial weights
  // are drawn from the training seed, not from the caller's state, and a
  // checkpoint carries a random state that loading would restore.
  const detail::RandomStateGuard keep_random_state;
  const auto fresh_judge = [&] {
    manual_seed(request.training.seed);
    return std::make_shared<AttributeJudge>(attributes, input.size, input.channels);
  };
  TrainedJudge out;
  out.judge = fresh_judge();
  out.path = request.cache_dir + "/judge_" + judge_fingerprint(request) + ".safetensors";
  if (std::filesystem::exists(out.path)) {
    try {
      out.quality = load_cached(out.path, *out.judge, input, request.training.objective);
      out.judge->to(request.device);
      out.judge->eval();
      return out;
    } catch (const std::exception& e) {
      out.reason = "the cached judge " + out.path + " could not be read (" + e.what() + ")";
      out.judge = fresh_judge();
    }
  } else {
    out.reason = "no cached judge for these images yet";
  }
  train_judge(*out.judge, request.train, request.training, request.device, request.progress);
  out.quality = measure_judge(*out.judge, request.held_out, majority_labels(*request.train), request.names,
                              request.device, request.training.objective);
  std::filesystem::create_directories(request.cache_dir);
  save_checkpoint(out.path, {{{"judge", out.judge.get()}}, {}},
                  {{kQualityKey, json::dump(out.quality.to_json())},
                   {kImageSizeKey, std::to_string(input.size)},
                   {kChannelsKey, std::to_string(input.channels)},
                   {kObjectiveKey, judge_objective_name(request.training.objective)}});
  out.trained = true;
  return out;
}

}  // namespace nn::evaluation
