#include "common/run_settings.hpp"

#include <algorithm>
#include <limits>

#include "nn/error.hpp"

namespace nn::apps {

bool RunSettings::was_given(const std::string& option) const {
  return std::find(given.begin(), given.end(), option) != given.end();
}

std::string default_cache_dir(const std::string& out) { return out + "/../cache"; }

std::string peek_option(int argc, const char* const* argv, const std::string& name, std::string fallback) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == name && i + 1 < argc) fallback = argv[i + 1];
    if (arg.rfind(name + "=", 0) == 0) fallback = arg.substr(name.size() + 1);
  }
  return fallback;
}

void bind_run_options(CommandLine& cli, RunSettings& s) {
  cli.bind("--data", s.data, "CelebA folder (img_align_celeba/, list_attr_celeba.txt, ...); default: synthetic faces");
  cli.bind("--synthetic-count", s.synthetic_count, "faces in the synthetic default data set");
  cli.bind("--cache", s.cache_dir, "folder for data caches, the synthetic faces and judges (default: beside --out)");
  cli.bind("--out", s.out, "run folder");
  cli.bind("--device", s.device, "auto, cpu, cuda or cuda:N");
  cli.bind("--seed", s.seed, "random seed of the run");
  cli.bind("--epochs", s.epochs, "epochs");
  cli.bind("--steps", s.steps, "stop after this many steps in total, 0 for all epochs");
}

void bind_training_options(CommandLine& cli, RunSettings& s, const std::string& fraction_help) {
  cli.bind("--batch", s.batch, "batch size");
  cli.bind("--fraction", s.fraction, fraction_help);
  cli.bind("--tf32", s.tf32, "allow TF32 tensor-core math on CUDA");
}

void bind_eval_every(CommandLine& cli, RunSettings& s, const std::string& help) {
  cli.bind("--eval-every", s.eval_every, help);
}

void bind_run_folder_options(CommandLine& cli, RunSettings& s, const std::vector<std::string>& changeable,
                             const std::string& models) {
  std::string listed;
  for (std::size_t i = 0; i < changeable.size(); ++i)
    listed += (i == 0 ? "" : i + 1 == changeable.size() ? " and " : ", ") + changeable[i];
  cli.bind(
      "--resume", s.resume,
      "checkpoint to continue its run from; only " + listed + " may change, --out defaults to the checkpoint's folder");
  cli.bind("--init-from", s.init_from,
           "checkpoint whose " + models +
               " weights start a new run with this command line's settings (fresh optimisers, step 0)");
  cli.bind("--keep-checkpoints", s.keep_checkpoints,
           "numbered checkpoints kept besides checkpoint_last.safetensors, the newest; 0 keeps all");
  cli.bind("--overwrite", s.overwrite, "let a new run replace the files of another run in --out");
}

void validate_run_settings(const RunSettings& s, const std::string& program) {
  const auto fail = [&](const std::string& what) { throw UsageError(program + ": " + what); };
  if (s.batch < 2) fail("--batch must be at least 2");
  if (s.epochs < 1) fail("--epochs must be at least 1");
  if (s.steps < 0) fail("--steps must not be negative");
  if (!(s.fraction > 0 && s.fraction <= 1)) fail("--fraction must be in (0, 1]");
  if (s.synthetic_count < 20) fail("--synthetic-count must be at least 20");
  if (s.keep_checkpoints < 0) fail("--keep-checkpoints must not be negative");
  if (s.eval_every < 0) fail("--eval-every must not be negative");
  // A resumed run keeps the --init-from its run started with in its stored
  // settings; only a command line giving both is contradictory.
  if (s.was_given("--resume") && s.was_given("--init-from"))
    fail("--resume continues a run and --init-from starts a new one; give one of them");
  // config.json holds the seed as a JSON integer, which is signed 64-bit.
  if (s.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail("--seed must be at most " + std::to_string(std::numeric_limits<std::int64_t>::max()));
}

void add_run_settings(json::Value& v, const RunSettings& s) {
  using json::Value;
  v.add("data", Value::string(s.data.empty() ? "synthetic" : s.data))
      .add("synthetic_count", Value::integer(s.synthetic_count))
      .add("device", Value::string(s.device))
      .add("seed", Value::integer(static_cast<std::int64_t>(s.seed)))
      .add("epochs", Value::integer(s.epochs))
      .add("steps", Value::integer(s.steps))
      .add("batch", Value::integer(s.batch))
      .add("fraction", Value::number(s.fraction))
      .add("tf32", Value::boolean(s.tf32))
      .add("keep_checkpoints", Value::integer(s.keep_checkpoints))
      .add("eval_every", Value::integer(s.eval_every))
      .add("resume", Value::string(s.resume))
      .add("init_from", Value::string(s.init_from));
}

SettingsReader::SettingsReader(const std::string& text, const std::string& source, const std::string& program)
    : prefix_(program + ": " + source + ": ") {
  try {
    value_ = json::parse(text);
  } catch (const json::ParseError& e) {
    throw Error(prefix_ + "the configuration is not valid JSON (" + e.what() + ")");
  }
  if (value_.kind() != json::Value::Kind::object) throw Error(prefix_ + "the configuration is not a JSON object");
}

void SettingsReader::read(const char* key, const std::function<void(const json::Value&)>& store) const {
  const json::Value* found = value_.find(key);
  if (!found) throw Error(prefix_ + "no setting '" + key + "'");
  try {
    store(*found);
  } catch (const Error& e) {
    throw Error(prefix_ + "setting '" + key + "': " + e.what());
  }
}

void SettingsReader::read_if_present(const char* key, const std::function<void(const json::Value&)>& store) const {
  if (value_.find(key)) read(key, store);
}

int small_integer(const json::Value& x) {
  const std::int64_t n = x.as_integer();
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max())
    throw Error(std::to_string(n) + " is out of range");
  return static_cast<int>(n);
}

void read_run_settings(const SettingsReader& r, RunSettings& s) {
  using json::Value;
  r.read("data", [&](const Value& x) { s.data = x.as_string() == "synthetic" ? "" : x.as_string(); });
  r.read("synthetic_count", [&](const Value& x) { s.synthetic_count = x.as_integer(); });
  r.read("device", [&](const Value& x) { s.device = x.as_string(); });
  r.read("seed", [&](const Value& x) {
    if (x.as_integer() < 0) throw Error("negative");
    s.seed = static_cast<std::uint64_t>(x.as_integer());
  });
  r.read("epochs", [&](const Value& x) { s.epochs = small_integer(x); });
  r.read("steps", [&](const Value& x) { s.steps = x.as_integer(); });
  r.read("batch", [&](const Value& x) { s.batch = x.as_integer(); });
  r.read("fraction", [&](const Value& x) { s.fraction = x.as_number(); });
  r.read("tf32", [&](const Value& x) { s.tf32 = x.as_boolean(); });
  r.read("resume", [&](const Value& x) { s.resume = x.as_string(); });
  // Absent in acgan_celeba runs from before these options.
  r.read_if_present("keep_checkpoints", [&](const Value& x) { s.keep_checkpoints = small_integer(x); });
  r.read_if_present("eval_every", [&](const Value& x) { s.eval_every = small_integer(x); });
  r.read_if_present("init_from", [&](const Value& x) { s.init_from = x.as_string(); });
}

const std::vector<std::string>& changeable_run_options() {
  static const std::vector<std::string> options = {"--epochs",           "--steps",     "--device", "--tf32",
                                                   "--keep-checkpoints", "--eval-every"};
  return options;
}

void record_run_changes(const RunSettings& c, RunSettings& s, std::vector<ConfigChange>& changes) {
  using json::Value;
  record_change(c.given, "--epochs", c.epochs, s.epochs, Value::integer(s.epochs), Value::integer(c.epochs), changes);
  record_change(c.given, "--steps", c.steps, s.steps, Value::integer(s.steps), Value::integer(c.steps), changes);
  record_change(c.given, "--device", c.device, s.device, Value::string(s.device), Value::string(c.device), changes);
  record_change(c.given, "--tf32", c.tf32, s.tf32, Value::boolean(s.tf32), Value::boolean(c.tf32), changes);
  record_change(c.given, "--keep-checkpoints", c.keep_checkpoints, s.keep_checkpoints,
                Value::integer(s.keep_checkpoints), Value::integer(c.keep_checkpoints), changes);
  record_change(c.given, "--eval-every", c.eval_every, s.eval_every, Value::integer(s.eval_every),
                Value::integer(c.eval_every), changes);
}

void take_resume_places(const RunSettings& c, RunSettings& s) {
  s.resume = c.resume;
  s.out = resumed_out(c.resume, c.was_given("--out"), c.out);
  s.cache_dir = c.cache_dir;
  s.given = c.given;
}

}  // namespace nn::apps
