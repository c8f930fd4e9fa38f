#pragma once
// What every app's --resume shares: a resumed run keeps the settings stored
// in its checkpoint, and only the options that change no training step may
// be given again; each change is recorded (config.json's "changes") from the
// step where it took effect. The checkpoint's place in its run is checked
// against the data before anything is written.
#include <algorithm>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "nn/json.hpp"
#include "nn/safetensors.hpp"

namespace nn::apps {

// A setting changed when a run was resumed, from the step where it took effect.
struct ConfigChange {
  std::int64_t step = 0;
  std::string flag;  // "--epochs"
  json::Value from, to;
};

// Options that say where a resumed run reads and writes, not how it trains:
// --resume, --out and --cache.
const std::vector<std::string>& resume_place_options();

// Raises UsageError for the first option in `given` that is neither a place
// option nor in `changeable`, saying how to train from the checkpoint's
// weights with other settings (a new run with --init-from).
void refuse_fixed_options(const std::vector<std::string>& given, const std::vector<std::string>& changeable,
                          const std::string& program, const std::string& checkpoint);

// When `flag` was given with a value other than the stored `setting`, records
// the change and takes the new value.
template <class T>
void record_change(const std::vector<std::string>& given, const std::string& flag, const T& wanted, T& setting,
                   json::Value from, json::Value to, std::vector<ConfigChange>& changes) {
  if (std::find(given.begin(), given.end(), flag) == given.end() || wanted == setting) return;
  changes.push_back({0, flag, std::move(from), std::move(to)});
  setting = wanted;
}

// The "changes" entry of config.json, and the changes read back from a
// config.json text (`source` names it in errors).
json::Value changes_to_json(const std::vector<ConfigChange>& changes);
std::vector<ConfigChange> changes_from_json(const std::string& text, const std::string& source,
                                            const std::string& program);

// Stamps `changes` with the step where they take effect and returns the
// history config.json keeps: the earlier changes in `dir`/config.json when
// the run continues its own folder, then these.
std::vector<ConfigChange> resume_history(const std::string& dir, bool continues_folder,
                                         std::vector<ConfigChange>& changes, std::int64_t step,
                                         const std::string& program);
// One line per change: "program: --epochs changes from 2 to 5 at step 12".
void announce_changes(std::ostream& out, const std::vector<ConfigChange>& changes, const std::string& program);

// The folder holding a checkpoint ("." for a bare file name).
std::string checkpoint_folder(const std::string& checkpoint);
// --out of a resumed run: as given, else the checkpoint's folder.
std::string resumed_out(const std::string& checkpoint, bool out_given, const std::string& out);

struct ResumePoint {
  int epoch = 0;                    // epochs completed
  std::int64_t batch_in_epoch = 0;  // batches of epoch `epoch` already trained
  std::int64_t step = 0;            // batches trained in all
};

// The checkpoint's place in its run ("epoch", "batch_in_epoch", "step" and
// the random state), each entry checked and against the others; raises
// nn::Error naming the file and the entry.
ResumePoint resume_point(const Metadata& metadata, const std::string& path, std::int64_t batches_per_epoch);

// Raises UsageError, saying how to extend the run, when `epochs` (and `steps`
// when positive) leave nothing to train after `at`.
void require_steps_left(const std::string& program, int epochs, std::int64_t steps, const ResumePoint& at,
                        std::int64_t batches_per_epoch);

// The metadata every app's training checkpoint carries to be resumed.
Metadata position_metadata(const ResumePoint& at);

}  // namespace nn::apps
