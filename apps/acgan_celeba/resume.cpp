#include "acgan_celeba/resume.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>

#include "acgan_celeba/models.hpp"
#include "common/checkpoint_checks.hpp"
#include "common/cli.hpp"
#include "nn/error.hpp"

namespace acgan {
namespace {

// Options that say where a resumed run writes, not how it trains.
const std::vector<std::string> kPlaceOptions = {"--resume", "--out", "--cache"};
// Options that change no training step: a resumed run may change them.
const std::vector<std::string> kChangeableOptions = {"--epochs",           "--steps",      "--device",
                                                     "--tf32",             "--eval-every", "--eval-faces",
                                                     "--eval-control",     "--keep-checkpoints"};

template <class T>
void change(const Config& command_line, const std::string& flag, const T& wanted, T& setting, nn::json::Value from,
            nn::json::Value to, std::vector<ConfigChange>& changes) {
  if (!was_given(command_line, flag) || wanted == setting) return;
  changes.push_back({0, flag, std::move(from), std::move(to)});
  setting = wanted;
}

}  // namespace

Config resumed_config(const Config& command_line, const nn::Metadata& metadata, std::vector<ConfigChange>& changes) {
  const std::string& path = command_line.resume;
  for (const std::string& option : command_line.given) {
    const bool allowed = std::find(kPlaceOptions.begin(), kPlaceOptions.end(), option) != kPlaceOptions.end() ||
                         std::find(kChangeableOptions.begin(), kChangeableOptions.end(), option) !=
                             kChangeableOptions.end();
    if (!allowed)
      throw nn::apps::UsageError(
          "acgan_celeba: " + option +
          " cannot be given with --resume: a resumed run keeps the settings stored in its checkpoint, and only "
          "--epochs, --steps, --device, --tf32, --keep-checkpoints and the --eval-* options may change; to train "
          "with other settings from "
          "this run's weights, start a new run with --init-from " + path + " --out NEW");
  }
  const auto stored = metadata.find("config");
  if (stored == metadata.end())
    throw nn::Error("acgan_celeba: checkpoint '" + path + "' stores no run configuration (metadata 'config')");
  Config c = config_from_json(stored->second, "checkpoint '" + path + "' metadata 'config'");
  using nn::json::Value;
  change(command_line, "--epochs", command_line.epochs, c.epochs, Value::integer(c.epochs),
         Value::integer(command_line.epochs), changes);
  change(command_line, "--steps", command_line.steps, c.steps, Value::integer(c.steps),
         Value::integer(command_line.steps), changes);
  change(command_line, "--device", command_line.device, c.device, Value::string(c.device),
         Value::string(command_line.device), changes);
  change(command_line, "--tf32", command_line.tf32, c.tf32, Value::boolean(c.tf32), Value::boolean(command_line.tf32),
         changes);
  change(command_line, "--keep-checkpoints", command_line.keep_checkpoints, c.keep_checkpoints,
         Value::integer(c.keep_checkpoints), Value::integer(command_line.keep_checkpoints), changes);
  change(command_line, "--eval-every", command_line.eval_every, c.eval_every, Value::integer(c.eval_every),
         Value::integer(command_line.eval_every), changes);
  change(command_line, "--eval-faces", command_line.eval_faces, c.eval_faces, Value::integer(c.eval_faces),
         Value::integer(command_line.eval_faces), changes);
  change(command_line, "--eval-control", command_line.eval_control, c.eval_control, Value::integer(c.eval_control),
         Value::integer(command_line.eval_control), changes);
  c.resume = path;
  const std::string folder = std::filesystem::path(path).parent_path().string();
  c.out = was_given(command_line, "--out") ? command_line.out : (folder.empty() ? "." : folder);
  c.cache_dir = command_line.cache_dir;
  c.given = command_line.given;
  return c;
}

ResumePoint resume_point(const nn::Metadata& metadata, const std::string& path, std::int64_t batches_per_epoch) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 2;
  ResumePoint at;
  at.epoch = static_cast<int>(
      nn::apps::metadata_integer(metadata, "epoch", path, 0, std::numeric_limits<int>::max()));
  at.batch_in_epoch = nn::apps::metadata_integer(metadata, "batch_in_epoch", path, 0, batches_per_epoch - 1);
  at.step = nn::apps::metadata_integer(metadata, "step", path, 0, kMax);
  if (at.step != at.epoch * batches_per_epoch + at.batch_in_epoch)
    throw nn::Error("checkpoint '" + path + "': metadata entry 'step' " + std::to_string(at.step) +
                    " does not match 'epoch' " + std::to_string(at.epoch) + " and 'batch_in_epoch' " +
                    std::to_string(at.batch_in_epoch) + " at " + std::to_string(batches_per_epoch) +
                    " batches per epoch");
  for (const char* key : {"random_state.seed", "random_state.offset"}) nn::apps::metadata_text(metadata, key, path);
  attribute_majority(metadata, path);
  return at;
}

void require_steps_left(const Config& c, const ResumePoint& at, std::int64_t batches_per_epoch) {
  const std::int64_t epoch_end = static_cast<std::int64_t>(c.epochs) * batches_per_epoch;
  const std::int64_t end = c.steps > 0 ? std::min(c.steps, epoch_end) : epoch_end;
  if (at.step < end) return;
  const int more_epochs = at.epoch + (at.batch_in_epoch > 0 ? 1 : 0) + 1;
  throw nn::apps::UsageError(
      "acgan_celeba: the run has trained " + std::to_string(at.step) + " steps of its " + std::to_string(end) + " (" +
      std::to_string(c.epochs) + " epochs of " + std::to_string(batches_per_epoch) + " batches" +
      (c.steps > 0 ? ", --steps " + std::to_string(c.steps) : std::string()) +
      "): nothing is left to train; extend it with --epochs " + std::to_string(std::max(more_epochs, c.epochs + 1)) +
      (c.steps > 0 ? " and a larger --steps" : "") + " (totals, not increments)");
}

std::vector<float> attribute_majority(const nn::Metadata& metadata, const std::string& path) {
  const std::string& text = nn::apps::metadata_text(metadata, "attribute_majority", path);
  std::vector<float> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string cell = text.substr(start, comma - start);
    if (cell != "0" && cell != "1")
      throw nn::Error("checkpoint '" + path + "': metadata entry 'attribute_majority' holds '" + cell +
                      "' where 0 or 1 belongs");
    out.push_back(cell == "1" ? 1.0f : 0.0f);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.size() != static_cast<std::size_t>(kAttributes))
    throw nn::Error("checkpoint '" + path + "': metadata entry 'attribute_majority' holds " +
                    std::to_string(out.size()) + " values, not " + std::to_string(kAttributes));
  return out;
}

}  // namespace acgan
