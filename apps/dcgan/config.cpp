#include "dcgan/config.hpp"

#include <algorithm>
#include <limits>

#include "common/cli.hpp"
#include "dcgan/recipe.hpp"
#include "nn/error.hpp"
#include "nn/json.hpp"

namespace dcgan {
namespace {

std::string option_value(int argc, const char* const* argv, const std::string& name, std::string fallback) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == name && i + 1 < argc) fallback = argv[i + 1];
    if (arg.rfind(name + "=", 0) == 0) fallback = arg.substr(name.size() + 1);
  }
  return fallback;
}

// The preset is applied first so that every other flag overrides it.
void apply_preset(const std::string& arch_name, const std::string& preset, const std::string& dataset, Config& c) {
  const Architecture arch = architecture_from_name(arch_name);
  const Recipe recipe = recipe_of(arch);
  c.arch = arch_name;
  c.dataset = dataset;
  c.lr = recipe.lr;
  c.beta1 = recipe.beta1;
  c.real_target = recipe.real_target;
  c.g_target = recipe.g_target;
  if (preset == "seed") {
    // The source's batch, rate and epochs; the whole training set.
    c.batch = recipe.batch;
    c.epochs = recipe.epochs;
    c.synthetic_count = 20000;
  } else if (preset == "quick") {
    // Minutes on a 2-core CPU: the source's rates and targets, a batch of 64
    // (16 for the tutorial's model, as in its source) and a few passes over
    // 2400 synthetic faces or 6000 Fashion-MNIST images.
    c.batch = arch == Architecture::tutorial28 ? 16 : 64;
    c.epochs = arch == Architecture::tutorial28 ? 2 : 5;
    c.synthetic_count = 3000;
    if (dataset == "fashion-mnist") c.fraction = 0.1;
  } else {
    throw nn::apps::UsageError("dcgan: unknown preset '" + preset + "' (quick or seed)");
  }
  c.preset = preset;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

const std::vector<std::string> kGenerateOptions = {"--generate", "--samples", "--seed", "--out", "--device", "--tf32"};
const std::vector<std::string> kEvaluateOptions = {"--evaluate", "--out", "--device", "--tf32", "--cache",
                                                   "--eval-images"};
const std::vector<std::string> kSummaryOptions = {"--summary", "--arch", "--dataset"};
const std::vector<std::string> kModeSwitches = {"--summary", "--generate", "--evaluate"};

void check_mode_options(const Config& c) {
  std::vector<std::string> switches;
  for (const std::string& s : c.given)
    if (contains(kModeSwitches, s)) switches.push_back(s);
  if (switches.size() > 1)
    throw nn::apps::UsageError("dcgan: " + switches[0] + " and " + switches[1] + " are separate modes; give one");
  for (const std::string& option : c.given) {
    const Mode mode = mode_of(c);
    const bool applies = mode == Mode::summary    ? contains(kSummaryOptions, option)
                         : mode == Mode::generate ? contains(kGenerateOptions, option)
                         : mode == Mode::evaluate ? contains(kEvaluateOptions, option)
                                                  : option != "--samples";
    if (!applies)
      throw nn::apps::UsageError("dcgan: " + option + " does not apply to " +
                                 (mode == Mode::train ? std::string("training") : switches.front()));
  }
}

}  // namespace

Mode mode_of(const Config& c) {
  if (c.summary) return Mode::summary;
  if (!c.generate.empty()) return Mode::generate;
  if (!c.evaluate.empty()) return Mode::evaluate;
  return Mode::train;
}

bool was_given(const Config& c, const std::string& option) { return contains(c.given, option); }

std::int64_t channels_of(const Config& c) { return c.dataset == "fashion-mnist" ? 1 : 3; }

bool parse_config(int argc, const char* const* argv, Config& c) {
  const std::string arch = option_value(argc, argv, "--arch", c.arch);
  const std::string dataset = option_value(argc, argv, "--dataset", c.dataset);
  if (!contains(architecture_names(), arch))
    throw nn::apps::UsageError("dcgan: --arch must be radford64, wlu128 or tutorial28, not '" + arch + "'");
  if (dataset != "faces" && dataset != "fashion-mnist")
    throw nn::apps::UsageError("dcgan: --dataset must be 'faces' or 'fashion-mnist', not '" + dataset + "'");
  apply_preset(arch, option_value(argc, argv, "--preset", c.preset), dataset, c);
  nn::apps::CommandLine cli("dcgan",
                            "Trains one of three DCGANs (radford64, wlu128, tutorial28) on faces or Fashion-MNIST, or\n"
                            "uses a checkpoint to draw a sheet of images or score it.");
  cli.group("Run");
  cli.option("--arch", "NAME",
             "radford64 (64x64, Radford et al.), wlu128 (128x128) or tutorial28 (28x28); sets the model and the "
             "recipe's rates and targets",
             [](const std::string&) {});
  cli.option("--preset", "NAME",
             "quick (default, minutes on a CPU: batch 64, or 16 for tutorial28, on 2400 synthetic faces or 6000 "
             "Fashion-MNIST images) or seed (the source's batch, rate and epochs on the whole set)",
             [](const std::string&) {});
  cli.option("--dataset", "NAME", "faces (default: the synthetic faces, or --data) or fashion-mnist",
             [](const std::string&) {});
  cli.bind("--data", c.data, "CelebA folder (img_align_celeba/, list_attr_celeba.txt, ...); default: synthetic faces");
  cli.bind("--synthetic-count", c.synthetic_count, "faces in the synthetic default data set");
  cli.bind("--cache", c.cache_dir, "folder for data caches, the synthetic faces and judges (default: beside --out)");
  cli.bind("--out", c.out, "run folder");
  cli.bind("--device", c.device, "auto, cpu, cuda or cuda:N");
  cli.bind("--seed", c.seed, "random seed of the run");
  cli.bind("--epochs", c.epochs, "epochs");
  cli.bind("--steps", c.steps, "stop after this many steps in total, 0 for all epochs");
  cli.group("Training");
  cli.bind("--batch", c.batch, "batch size");
  cli.bind("--fraction", c.fraction, "fraction of the training set used (the first images)");
  cli.bind("--lr", c.lr, "learning rate of D and G");
  cli.bind("--beta1", c.beta1, "Adam beta1");
  cli.bind("--real-target", c.real_target, "D's target on real images (one-sided label smoothing below 1)");
  cli.bind("--g-target", c.g_target, "G's target through D");
  cli.bind("--tf32", c.tf32, "allow TF32 tensor-core math on CUDA");
  cli.group("Evaluation");
  cli.bind("--eval-every", c.eval_every,
           "score the generator with the judge of the data set after every N epochs into eval.csv, 0 for never");
  cli.bind("--eval-images", c.eval_images, "generated images for the Frechet distance and the class histogram");
  cli.group("Run folder and checkpoints");
  cli.bind("--resume", c.resume,
           "checkpoint to continue its run from; only --epochs, --steps, --device, --tf32, --keep-checkpoints and "
           "the --eval-* options may change, --out defaults to the checkpoint's folder");
  cli.bind("--init-from", c.init_from,
           "checkpoint whose G and D weights start a new run with this command line's settings (fresh optimisers, "
           "step 0)");
  cli.bind("--keep-checkpoints", c.keep_checkpoints,
           "numbered checkpoints kept besides checkpoint_last.safetensors, the newest; 0 keeps all");
  cli.bind("--overwrite", c.overwrite, "let a new run replace the files of another run in --out");
  cli.group("Other modes");
  cli.bind("--summary", c.summary, "print the model tables of --arch for --dataset and exit");
  cli.bind("--generate", c.generate, "checkpoint to draw a sheet of --samples images from into --out");
  cli.bind("--samples", c.samples, "images on a generated sheet");
  cli.bind("--evaluate", c.evaluate,
           "checkpoint to score with the judge of its data set; prints a table and writes eval.json into --out "
           "(default: the checkpoint's folder)");
  if (!cli.parse(argc, argv)) return false;
  c.given = cli.given();
  check_mode_options(c);
  validate(c);
  return true;
}

void validate(const Config& c) {
  const auto fail = [](const std::string& what) { throw nn::apps::UsageError("dcgan: " + what); };
  if (c.batch < 2) fail("--batch must be at least 2");
  if (c.epochs < 1) fail("--epochs must be at least 1");
  if (c.steps < 0) fail("--steps must not be negative");
  if (!(c.fraction > 0 && c.fraction <= 1)) fail("--fraction must be in (0, 1]");
  if (!(c.lr > 0)) fail("--lr must be positive");
  if (!(c.beta1 >= 0 && c.beta1 < 1)) fail("--beta1 must be in [0, 1)");
  if (!(c.real_target > 0 && c.real_target <= 1) || !(c.g_target > 0 && c.g_target <= 1))
    fail("--real-target and --g-target must be in (0, 1]");
  if (c.dataset == "fashion-mnist" && !c.data.empty()) fail("--data names a CelebA folder; it does not apply to "
                                                            "--dataset fashion-mnist");
  if (c.synthetic_count < 20) fail("--synthetic-count must be at least 20");
  if (c.samples < 1) fail("--samples must be at least 1");
  if (c.keep_checkpoints < 0) fail("--keep-checkpoints must not be negative");
  if (c.eval_every < 0) fail("--eval-every must not be negative");
  if (c.eval_images < 4) fail("--eval-images must be at least 4");
  if (!c.resume.empty() && !c.init_from.empty())
    fail("--resume continues a run and --init-from starts a new one; give one of them");
  if (c.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail("--seed must be at most " + std::to_string(std::numeric_limits<std::int64_t>::max()));
}

std::string to_json(const Config& c, const std::vector<ConfigChange>& changes) {
  using nn::json::Value;
  Value v = Value::object();
  v.add("arch", Value::string(c.arch))
      .add("preset", Value::string(c.preset))
      .add("dataset", Value::string(c.dataset))
      .add("data", Value::string(c.data.empty() ? "synthetic" : c.data))
      .add("synthetic_count", Value::integer(c.synthetic_count))
      .add("device", Value::string(c.device))
      .add("seed", Value::integer(static_cast<std::int64_t>(c.seed)))
      .add("epochs", Value::integer(c.epochs))
      .add("steps", Value::integer(c.steps))
      .add("batch", Value::integer(c.batch))
      .add("fraction", Value::number(c.fraction))
      .add("lr", Value::number(c.lr))
      .add("beta1", Value::number(c.beta1))
      .add("real_target", Value::number(c.real_target))
      .add("g_target", Value::number(c.g_target))
      .add("tf32", Value::boolean(c.tf32))
      .add("keep_checkpoints", Value::integer(c.keep_checkpoints))
      .add("eval_every", Value::integer(c.eval_every))
      .add("eval_images", Value::integer(c.eval_images))
      .add("resume", Value::string(c.resume))
      .add("init_from", Value::string(c.init_from));
  if (!changes.empty()) v.add("changes", nn::apps::changes_to_json(changes));
  return nn::json::dump(v, 2) + "\n";
}

Config config_from_json(const std::string& text, const std::string& source) {
  const std::string prefix = "dcgan: " + source + ": ";
  nn::json::Value v;
  try {
    v = nn::json::parse(text);
  } catch (const nn::json::ParseError& e) {
    throw nn::Error(prefix + "the configuration is not valid JSON (" + e.what() + ")");
  }
  if (v.kind() != nn::json::Value::Kind::object) throw nn::Error(prefix + "the configuration is not a JSON object");
  Config c;
  const auto read = [&](const char* key, auto&& store) {
    const nn::json::Value* found = v.find(key);
    if (!found) throw nn::Error(prefix + "no setting '" + key + "'");
    try {
      store(*found);
    } catch (const nn::Error& e) {
      throw nn::Error(prefix + "setting '" + key + "': " + e.what());
    }
  };
  const auto small_int = [](const nn::json::Value& x) {
    const std::int64_t n = x.as_integer();
    if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max())
      throw nn::Error(std::to_string(n) + " is out of range");
    return static_cast<int>(n);
  };
  read("arch", [&](const nn::json::Value& x) {
    c.arch = x.as_string();
    if (!contains(architecture_names(), c.arch)) throw nn::Error("unknown architecture '" + c.arch + "'");
  });
  read("preset", [&](const nn::json::Value& x) { c.preset = x.as_string(); });
  read("dataset", [&](const nn::json::Value& x) {
    c.dataset = x.as_string();
    if (c.dataset != "faces" && c.dataset != "fashion-mnist") throw nn::Error("unknown data set '" + c.dataset + "'");
  });
  read("data", [&](const nn::json::Value& x) { c.data = x.as_string() == "synthetic" ? "" : x.as_string(); });
  read("synthetic_count", [&](const nn::json::Value& x) { c.synthetic_count = x.as_integer(); });
  read("device", [&](const nn::json::Value& x) { c.device = x.as_string(); });
  read("seed", [&](const nn::json::Value& x) {
    if (x.as_integer() < 0) throw nn::Error("negative");
    c.seed = static_cast<std::uint64_t>(x.as_integer());
  });
  read("epochs", [&](const nn::json::Value& x) { c.epochs = small_int(x); });
  read("steps", [&](const nn::json::Value& x) { c.steps = x.as_integer(); });
  read("batch", [&](const nn::json::Value& x) { c.batch = x.as_integer(); });
  read("fraction", [&](const nn::json::Value& x) { c.fraction = x.as_number(); });
  read("lr", [&](const nn::json::Value& x) { c.lr = x.as_number(); });
  read("beta1", [&](const nn::json::Value& x) { c.beta1 = x.as_number(); });
  read("real_target", [&](const nn::json::Value& x) { c.real_target = x.as_number(); });
  read("g_target", [&](const nn::json::Value& x) { c.g_target = x.as_number(); });
  read("tf32", [&](const nn::json::Value& x) { c.tf32 = x.as_boolean(); });
  read("keep_checkpoints", [&](const nn::json::Value& x) { c.keep_checkpoints = small_int(x); });
  read("eval_every", [&](const nn::json::Value& x) { c.eval_every = small_int(x); });
  read("eval_images", [&](const nn::json::Value& x) { c.eval_images = x.as_integer(); });
  read("resume", [&](const nn::json::Value& x) { c.resume = x.as_string(); });
  read("init_from", [&](const nn::json::Value& x) { c.init_from = x.as_string(); });
  try {
    validate(c);
  } catch (const nn::Error& e) {
    throw nn::Error(prefix + "the stored settings are invalid: " + e.what());
  }
  return c;
}

}  // namespace dcgan
