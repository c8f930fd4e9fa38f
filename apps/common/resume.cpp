#include "common/resume.hpp"

#include <filesystem>
#include <ostream>
#include <limits>

#include "common/checkpoint_checks.hpp"
#include "common/cli.hpp"
#include "common/run_folder.hpp"
#include "nn/error.hpp"

namespace nn::apps {

const std::vector<std::string>& resume_place_options() {
  static const std::vector<std::string> options = {"--resume", "--out", "--cache"};
  return options;
}

void refuse_fixed_options(const std::vector<std::string>& given, const std::vector<std::string>& changeable,
                          const std::string& program, const std::string& checkpoint) {
  const auto listed = [](const std::vector<std::string>& options, const std::string& option) {
    return std::find(options.begin(), options.end(), option) != options.end();
  };
  for (const std::string& option : given) {
    if (listed(resume_place_options(), option) || listed(changeable, option)) continue;
    std::string allowed;
    for (std::size_t i = 0; i < changeable.size(); ++i)
      allowed += (i == 0 ? "" : i + 1 == changeable.size() ? " and " : ", ") + changeable[i];
    throw UsageError(program + ": " + option +
                     " cannot be given with --resume: a resumed run keeps the settings stored in its checkpoint, "
                     "and only " +
                     allowed +
                     " may change; to train with other settings from this run's weights, "
                     "start a new run with --init-from " +
                     checkpoint + " --out NEW");
  }
}

json::Value changes_to_json(const std::vector<ConfigChange>& changes) {
  std::vector<json::Value> items;
  for (const ConfigChange& change : changes) {
    json::Value item = json::Value::object();
    item.add("step", json::Value::integer(change.step)).add("flag", json::Value::string(change.flag));
    item.add("from", change.from).add("to", change.to);
    items.push_back(std::move(item));
  }
  return json::Value::array(std::move(items));
}

std::vector<ConfigChange> changes_from_json(const std::string& text, const std::string& source,
                                            const std::string& program) {
  json::Value v;
  try {
    v = json::parse(text);
  } catch (const json::ParseError& e) {
    throw Error(program + ": " + source + ": not valid JSON (" + e.what() + ")");
  }
  if (v.kind() != json::Value::Kind::object) throw Error(program + ": " + source + ": not a JSON object");
  std::vector<ConfigChange> changes;
  const json::Value* list = v.find("changes");
  if (!list) return changes;
  try {
    for (const json::Value& item : list->items()) {
      const json::Value *step = item.find("step"), *flag = item.find("flag"), *from = item.find("from"),
                        *to = item.find("to");
      if (!step || !flag || !from || !to) throw Error("a change lacks step, flag, from or to");
      changes.push_back({step->as_integer(), flag->as_string(), *from, *to});
    }
  } catch (const Error& e) {
    throw Error(program + ": " + source + ": \"changes\": " + e.what());
  }
  return changes;
}

std::vector<ConfigChange> resume_history(const std::string& dir, bool continues_folder,
                                         std::vector<ConfigChange>& changes, std::int64_t step,
                                         const std::string& program) {
  for (ConfigChange& change : changes) change.step = step;
  const std::string path = dir + "/config.json";
  std::vector<ConfigChange> history;
  if (continues_folder && std::filesystem::exists(path)) history = changes_from_json(read_file(path), path, program);
  history.insert(history.end(), changes.begin(), changes.end());
  return history;
}

void announce_changes(std::ostream& out, const std::vector<ConfigChange>& changes, const std::string& program) {
  for (const ConfigChange& change : changes)
    out << program << ": " << change.flag << " changes from " << json::dump(change.from) << " to "
        << json::dump(change.to) << " at step " << change.step << "\n";
}

std::string checkpoint_folder(const std::string& checkpoint) {
  const std::string folder = std::filesystem::path(checkpoint).parent_path().string();
  return folder.empty() ? "." : folder;
}

std::string resumed_out(const std::string& checkpoint, bool out_given, const std::string& out) {
  return out_given ? out : checkpoint_folder(checkpoint);
}

ResumePoint resume_point(const Metadata& metadata, const std::string& path, std::int64_t batches_per_epoch) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 2;
  ResumePoint at;
  at.epoch = static_cast<int>(metadata_integer(metadata, "epoch", path, 0, std::numeric_limits<int>::max()));
  at.batch_in_epoch = metadata_integer(metadata, "batch_in_epoch", path, 0, batches_per_epoch - 1);
  at.step = metadata_integer(metadata, "step", path, 0, kMax);
  if (at.step != at.epoch * batches_per_epoch + at.batch_in_epoch)
    throw Error("checkpoint '" + path + "': metadata entry 'step' " + std::to_string(at.step) +
                " does not match 'epoch' " + std::to_string(at.epoch) + " and 'batch_in_epoch' " +
                std::to_string(at.batch_in_epoch) + " at " + std::to_string(batches_per_epoch) + " batches per epoch");
  for (const char* key : {"random_state.seed", "random_state.offset"}) metadata_text(metadata, key, path);
  return at;
}

void require_steps_left(const std::string& program, int epochs, std::int64_t steps, const ResumePoint& at,
                        std::int64_t batches_per_epoch) {
  const std::int64_t epoch_end = static_cast<std::int64_t>(epochs) * batches_per_epoch;
  const std::int64_t end = steps > 0 ? std::min(steps, epoch_end) : epoch_end;
  if (at.step < end) return;
  const int more_epochs = at.epoch + (at.batch_in_epoch > 0 ? 1 : 0) + 1;
  throw UsageError(
      program + ": the run has trained " + std::to_string(at.step) + " steps of its " + std::to_string(end) + " (" +
      std::to_string(epochs) + " epochs of " + std::to_string(batches_per_epoch) + " batches" +
      (steps > 0 ? ", --steps " + std::to_string(steps) : std::string()) +
      "): nothing is left to train; extend it with --epochs " + std::to_string(std::max(more_epochs, epochs + 1)) +
      (steps > 0 ? " and a larger --steps" : "") + " (totals, not increments)");
}

Metadata position_metadata(const ResumePoint& at) {
  return {{"epoch", std::to_string(at.epoch)},
          {"batch_in_epoch", std::to_string(at.batch_in_epoch)},
          {"step", std::to_string(at.step)}};
}

}  // namespace nn::apps
