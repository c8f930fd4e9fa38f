#include "dcgan/config.hpp"

#include <algorithm>

#include "common/cli.hpp"
#include "dcgan/recipe.hpp"
#include "nn/error.hpp"
#include "nn/json.hpp"

namespace dcgan {
namespace {

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
    // Minutes on a 2-core CPU, at the source's rates and targets (wlu128's
    // rate excepted), on 2400 synthetic faces or as many Fashion-MNIST
    // images: small batches, so that G takes hundreds of steps (radford64's
    // faces emerge after about 200 at batch 64; D wins the first hundred).
    // Two evaluations a run.
    const bool small = arch == Architecture::tutorial28;
    if (arch == Architecture::wlu128) {
      // At its source's rate (1e-4, beta1 0.9) 300 steps show no faces yet;
      // at Radford's (2e-4, beta1 0.5) every cell holds one after 300.
      c.lr = 2e-4;
      c.beta1 = 0.5;
    }
    c.batch = arch == Architecture::radford64 ? 32 : 16;
    c.epochs = small ? 10 : arch == Architecture::radford64 ? 8 : 2;
    c.eval_every = c.epochs / 2;
    c.synthetic_count = 3000;
    if (dataset == "fashion-mnist") c.fraction = 0.04;
  } else {
    throw nn::apps::UsageError("dcgan: unknown preset '" + preset + "' (quick or seed)");
  }
  c.preset = preset;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

const std::vector<std::string> kGenerateOptions = {"--generate", "--samples", "--seed", "--out", "--device", "--tf32"};
const std::vector<std::string> kEvaluateOptions = {"--evaluate", "--out",   "--device",
                                                   "--tf32",     "--cache", "--eval-images"};
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

bool was_given(const Config& c, const std::string& option) { return c.was_given(option); }

const std::vector<std::string>& changeable_options() {
  static const std::vector<std::string> options = [] {
    std::vector<std::string> o = nn::apps::changeable_run_options();
    o.push_back("--eval-images");
    return o;
  }();
  return options;
}

std::int64_t channels_of(const Config& c) { return c.dataset == "fashion-mnist" ? 1 : 3; }

std::int64_t image_size_of(const Config& c) { return image_size_of(architecture_from_name(c.arch)); }

bool parse_config(int argc, const char* const* argv, Config& c) {
  const std::string arch = nn::apps::peek_option(argc, argv, "--arch", c.arch);
  const std::string dataset = nn::apps::peek_option(argc, argv, "--dataset", c.dataset);
  if (!contains(architecture_names(), arch))
    throw nn::apps::UsageError("dcgan: --arch must be radford64, wlu128 or tutorial28, not '" + arch + "'");
  if (dataset != "faces" && dataset != "fashion-mnist")
    throw nn::apps::UsageError("dcgan: --dataset must be 'faces' or 'fashion-mnist', not '" + dataset + "'");
  apply_preset(arch, nn::apps::peek_option(argc, argv, "--preset", c.preset), dataset, c);
  nn::apps::CommandLine cli("dcgan",
                            "Trains one of three DCGANs (radford64, wlu128, tutorial28) on faces or Fashion-MNIST, or\n"
                            "uses a checkpoint to draw a sheet of images or score it.");
  cli.group("Run");
  cli.option("--arch", "NAME",
             "radford64 (64x64, Radford et al.), wlu128 (128x128) or tutorial28 (28x28); sets the model and the "
             "recipe's rates and targets",
             [](const std::string&) {});
  cli.option("--preset", "NAME",
             "quick (default, minutes on a CPU, on 2400 synthetic faces or Fashion-MNIST images: batch 32 for 8 "
             "epochs for radford64, 16 for 2 at lr 2e-4 and beta1 0.5 for wlu128, 16 for 10 for tutorial28) or seed "
             "(the source's batch, rate and epochs on the whole set)",
             [](const std::string&) {});
  cli.option("--dataset", "NAME", "faces (default: the synthetic faces, or --data) or fashion-mnist",
             [](const std::string&) {});
  nn::apps::bind_run_options(cli, c);
  cli.group("Training");
  nn::apps::bind_training_options(cli, c, "fraction of the training set used (the first images)");
  cli.bind("--lr", c.lr, "learning rate of D and G");
  cli.bind("--beta1", c.beta1, "Adam beta1");
  cli.bind("--real-target", c.real_target, "D's target on real images (one-sided label smoothing below 1)");
  cli.bind("--g-target", c.g_target, "G's target through D");
  cli.group("Evaluation");
  nn::apps::bind_eval_every(
      cli, c, "score the generator with the judge of the data set after every N epochs into eval.csv, 0 for never");
  cli.bind("--eval-images", c.eval_images, "generated images for the Frechet distance and the class histogram");
  cli.group("Run folder and checkpoints");
  nn::apps::bind_run_folder_options(cli, c, changeable_options(), "G and D");
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
  nn::apps::validate_run_settings(c, "dcgan");
  const auto fail = [](const std::string& what) { throw nn::apps::UsageError("dcgan: " + what); };
  if (!(c.lr > 0)) fail("--lr must be positive");
  if (!(c.beta1 >= 0 && c.beta1 < 1)) fail("--beta1 must be in [0, 1)");
  if (!(c.real_target > 0 && c.real_target <= 1) || !(c.g_target > 0 && c.g_target <= 1))
    fail("--real-target and --g-target must be in (0, 1]");
  if (c.dataset == "fashion-mnist" && !c.data.empty())
    fail("--data names a CelebA folder; it does not apply to --dataset fashion-mnist");
  if (c.samples < 1) fail("--samples must be at least 1");
  if (c.eval_images < 4) fail("--eval-images must be at least 4");
}

std::string to_json(const Config& c, const std::vector<ConfigChange>& changes) {
  using nn::json::Value;
  Value v = Value::object();
  v.add("arch", Value::string(c.arch)).add("preset", Value::string(c.preset)).add("dataset", Value::string(c.dataset));
  nn::apps::add_run_settings(v, c);
  v.add("lr", Value::number(c.lr))
      .add("beta1", Value::number(c.beta1))
      .add("real_target", Value::number(c.real_target))
      .add("g_target", Value::number(c.g_target))
      .add("eval_images", Value::integer(c.eval_images));
  if (!changes.empty()) v.add("changes", nn::apps::changes_to_json(changes));
  return nn::json::dump(v, 2) + "\n";
}

Config config_from_json(const std::string& text, const std::string& source) {
  const nn::apps::SettingsReader r(text, source, "dcgan");
  using nn::json::Value;
  Config c;
  r.read("arch", [&](const Value& x) {
    c.arch = x.as_string();
    if (!contains(architecture_names(), c.arch)) throw nn::Error("unknown architecture '" + c.arch + "'");
  });
  r.read("preset", [&](const Value& x) { c.preset = x.as_string(); });
  r.read("dataset", [&](const Value& x) {
    c.dataset = x.as_string();
    if (c.dataset != "faces" && c.dataset != "fashion-mnist") throw nn::Error("unknown data set '" + c.dataset + "'");
  });
  nn::apps::read_run_settings(r, c);
  r.read("lr", [&](const Value& x) { c.lr = x.as_number(); });
  r.read("beta1", [&](const Value& x) { c.beta1 = x.as_number(); });
  r.read("real_target", [&](const Value& x) { c.real_target = x.as_number(); });
  r.read("g_target", [&](const Value& x) { c.g_target = x.as_number(); });
  r.read("eval_images", [&](const Value& x) { c.eval_images = x.as_integer(); });
  try {
    validate(c);
  } catch (const nn::Error& e) {
    throw nn::Error(r.prefix() + "the stored settings are invalid: " + e.what());
  }
  return c;
}

}  // namespace dcgan
