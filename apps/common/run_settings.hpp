#pragma once
// The settings every training app has (the data, the run folder, the
// device, the seed, how long, checkpoints, the evaluation cadence), their
// command-line options, their part of config.json, and the ones a
// resumed run may change. An app's Config derives from RunSettings and adds
// its model's and recipe's settings.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/resume.hpp"
#include "nn/json.hpp"

namespace nn::apps {

struct RunSettings {
  std::string data;  // a CelebA folder; empty: the synthetic faces
  std::int64_t synthetic_count = 3000;
  std::string out;
  std::string device = "auto";  // auto | cpu | cuda | cuda:N
  std::uint64_t seed = 1;
  int epochs = 1;
  std::int64_t steps = 0;  // stop after this many steps in all (0: every epoch)
  std::int64_t batch = 32;
  double fraction = 1.0;  // of the training set
  bool tf32 = false;
  int keep_checkpoints = 3;        // numbered checkpoints kept besides checkpoint_last (0: all)
  std::string resume;              // a checkpoint to continue from
  std::string init_from;           // a checkpoint whose weights start a new run
  bool overwrite = false;          // a new run may replace another run's files in --out
  std::string cache_dir;           // caches, synthetic faces and judges (default: <out>/../cache)
  int eval_every = 1;              // evaluate after every this many epochs of training (0: never)
  std::vector<std::string> given;  // the options given on the command line ("--epochs", ...)

  bool was_given(const std::string& option) const;
};

// Where caches go when --cache is not given: beside the run folder,
// `<out>/../cache`, so that runs side by side share them.
std::string default_cache_dir(const std::string& out);

// The value of `--name VALUE` or `--name=VALUE` in argv (the last one), else
// `fallback`: for the options that choose defaults before the rest is parsed.
std::string peek_option(int argc, const char* const* argv, const std::string& name, std::string fallback);

// --data, --synthetic-count, --cache, --out, --device, --seed, --epochs, --steps.
void bind_run_options(CommandLine& cli, RunSettings& s);
// --resume (whose help names `changeable`), --init-from (which restores
// `models`), --keep-checkpoints, --overwrite.
void bind_run_folder_options(CommandLine& cli, RunSettings& s, const std::vector<std::string>& changeable,
                             const std::string& models);
// --batch, --fraction, --tf32, --eval-every, with the app's help texts.
void bind_training_options(CommandLine& cli, RunSettings& s, const std::string& fraction_help);
void bind_eval_every(CommandLine& cli, RunSettings& s, const std::string& help);

// Checks the shared settings' ranges; raises UsageError prefixed by `program`.
void validate_run_settings(const RunSettings& s, const std::string& program);

// The shared settings as config.json keys.
void add_run_settings(json::Value& object, const RunSettings& s);

// Reads settings back from a config.json text, each error naming `source`
// and the key; `program` prefixes the messages.
class SettingsReader {
 public:
  SettingsReader(const std::string& text, const std::string& source, const std::string& program);
  // Calls `store` with the key's value; a missing key or a value `store`
  // refuses (nn::Error) raises nn::Error naming the key.
  void read(const char* key, const std::function<void(const json::Value&)>& store) const;
  // The same for a key runs written before it existed lack: absent, the
  // setting keeps its default.
  void read_if_present(const char* key, const std::function<void(const json::Value&)>& store) const;
  const std::string& prefix() const { return prefix_; }

 private:
  json::Value value_;
  std::string prefix_;
};

// An integer in int's range, else nn::Error.
int small_integer(const json::Value& value);

void read_run_settings(const SettingsReader& reader, RunSettings& s);

// The shared options a resumed run may change: --epochs, --steps, --device,
// --tf32, --keep-checkpoints and --eval-every.
const std::vector<std::string>& changeable_run_options();
// Takes each of those given on `command_line` into `stored`, recording changes.
void record_run_changes(const RunSettings& command_line, RunSettings& stored, std::vector<ConfigChange>& changes);
// After the changes: where the resumed run reads and writes, from the
// command line (--out defaults to the checkpoint's folder).
void take_resume_places(const RunSettings& command_line, RunSettings& stored);

}  // namespace nn::apps
