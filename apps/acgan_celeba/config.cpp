#include "acgan_celeba/config.hpp"

#include <algorithm>
#include <cstdint>

#include "common/attribute_rows.hpp"
#include "common/cli.hpp"
#include "nn/error.hpp"
#include "nn/json.hpp"

namespace acgan {
namespace {

// The preset is applied first so that every other flag overrides it.
void apply_preset(const std::string& name, Config& c) {
  if (name == "quick") {
    // Sized for minutes on a 2-core CPU: six passes over 2400 synthetic faces
    // (450 steps). The N(0, 0.01) convolutions start the networks nearly
    // silent, and at the original script's lr (5e-5, AE a quarter) faces only emerge
    // after thousands of steps; lr 1e-3 with the AE at half of it shows face
    // structure in the reconstructions within these few hundred.
    // Measured by the attribute judge (docs/evaluation.md), these changes
    // moved the figures the right way: 150 steps of the autoencoder alone at
    // the full rate before the GAN joins, E's y head taught the labels (with
    // U[0, 1] z the generator ignored z and y: diversity 0.11 of real,
    // control 0.50), G's latents drawn from E's own codes (a normal fitted to
    // them gave one face: diversity 0.29 against 0.50), and the frozen E
    // reading the requested attributes back from G's images (control 0.62
    // to 0.74).
    c.batch = 32;
    c.lr = 1e-3;
    c.ae_lr_factor = 1.0;
    c.ae_attr_weight = 1.0;
    c.ae_warmup = 150;
    c.z_dist = "codes";
    c.g_read_y_weight = 5.0;
    c.epochs = 6;
    c.eval_every = 3;  // each evaluation takes about 30 s on 2 cores
    c.synthetic_count = 3000;
  } else if (name == "attributes") {
    // Long enough for attribute control in the generated faces (3000 steps,
    // about a minute on one H100): lr 2e-4 with the AE at the same rate, and
    // E's y head taught the labels so that G learns to read y from the AE
    // path too. Without that weight G still ignores y and z after 3000 steps.
    c.batch = 32;
    c.lr = 2e-4;
    c.ae_lr_factor = 1.0;
    c.ae_attr_weight = 1.0;
    c.epochs = 40;
    c.synthetic_count = 3000;
  } else if (name == "seed") {
    // The original training script's settings: batch 256, lr 5e-5, 25 epochs
    // on about a third of CelebA, and its training choices: D on one mixed
    // batch, fakes' attributes from ten drawn indices, z ~ N(0, 1), G reusing
    // D's fakes' inputs, Keras' Adam, the crop halved by decimation.
    c.batch = 256;
    c.lr = 5e-5;
    c.epochs = 25;
    c.fraction = 1.0 / 3.0;
    c.synthetic_count = 20000;
    c.d_batch = "mixed";
    c.fake_labels = "ten-indices";
    c.z_dist = "normal";
    c.g_fakes = "reuse";
    c.adam = "keras";
    c.halving = "decimate";
  } else {
    throw nn::apps::UsageError("acgan_celeba: unknown preset '" + name + "' (quick, attributes or seed)");
  }
  c.preset = name;
}

// The options each mode reads besides its own switch; training reads every
// option not listed for the other modes.
const std::vector<std::string> kGenerateOptions = {"--generate", "--attr", "--samples", "--seed",
                                                   "--z",        "--out",  "--device",  "--tf32"};
const std::vector<std::string> kReconstructOptions = {"--reconstruct", "--images", "--out", "--device", "--tf32"};
const std::vector<std::string> kEvaluateOptions = {"--evaluate", "--out",        "--device", "--tf32",
                                                   "--cache",    "--eval-faces", "--eval-control"};
const std::vector<std::string> kScoreRendererOptions = {
    "--score-renderer", "--preset",     "--data",         "--synthetic-count", "--fraction", "--cache",
    "--out",            "--device",     "--eval-faces",   "--eval-control",    "--halving",  "--fake-labels"};
const std::vector<std::string> kSummaryOptions = {"--summary", "--input-noise", "--dropout"};
const std::vector<std::string> kModeSwitches = {"--summary",  "--generate",       "--reconstruct",
                                                "--evaluate", "--score-renderer", "--list-attributes"};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

Mode mode_of(const Config& c) {
  if (c.list_attributes) return Mode::list_attributes;
  if (c.summary) return Mode::summary;
  if (!c.generate.empty()) return Mode::generate;
  if (!c.reconstruct.empty()) return Mode::reconstruct;
  if (!c.evaluate.empty()) return Mode::evaluate;
  if (c.score_renderer) return Mode::score_renderer;
  return Mode::train;
}

bool was_given(const Config& c, const std::string& option) { return c.was_given(option); }

const std::vector<std::string>& changeable_options() {
  static const std::vector<std::string> options = [] {
    std::vector<std::string> o = nn::apps::changeable_run_options();
    o.insert(o.end(), {"--eval-faces", "--eval-control"});
    return o;
  }();
  return options;
}

void check_mode_options(const Config& c) {
  std::vector<std::string> switches;
  for (const std::string& s : c.given)
    if (contains(kModeSwitches, s)) switches.push_back(s);
  if (switches.size() > 1)
    throw nn::apps::UsageError("acgan_celeba: " + switches[0] + " and " + switches[1] + " are separate modes; give one");
  const Mode mode = mode_of(c);
  for (const std::string& option : c.given) {
    bool applies = true;
    std::string mode_name;
    switch (mode) {
      case Mode::list_attributes: applies = option == "--list-attributes", mode_name = "--list-attributes"; break;
      case Mode::summary: applies = contains(kSummaryOptions, option), mode_name = "--summary"; break;
      case Mode::generate: applies = contains(kGenerateOptions, option), mode_name = "--generate"; break;
      case Mode::reconstruct: applies = contains(kReconstructOptions, option), mode_name = "--reconstruct"; break;
      case Mode::evaluate: applies = contains(kEvaluateOptions, option), mode_name = "--evaluate"; break;
      case Mode::score_renderer:
        applies = contains(kScoreRendererOptions, option), mode_name = "--score-renderer";
        break;
      case Mode::train:
        applies = !contains({"--attr", "--samples", "--images"}, option), mode_name = "training";
        break;
    }
    if (!applies) throw nn::apps::UsageError("acgan_celeba: " + option + " does not apply to " + mode_name);
  }
}

bool parse_config(int argc, const char* const* argv, Config& c) {
  apply_preset(nn::apps::peek_option(argc, argv, "--preset", "quick"), c);
  nn::apps::CommandLine cli("acgan_celeba",
                            "Trains the auto-encoder + auxiliary-classifier GAN on 64x64 faces, or uses a\n"
                            "checkpoint to generate faces for named attributes, reconstruct images or score it with the\n"
                            "attribute judge.");
  std::string images;
  cli.group("Run");
  cli.option("--preset", "NAME",
             "quick (default, minutes on a CPU; our recipe: --ae-warmup 150, --ae-attr-weight 1, --z codes, "
             "--g-read-y-weight 5, lr 1e-3 for all three sub-steps), attributes (a minute on a GPU; lr 2e-4, "
             "--ae-attr-weight 1) or seed (the original Keras script's settings and choices)",
             [](const std::string&) {});
  nn::apps::bind_run_options(cli, c);
  cli.group("Training");
  nn::apps::bind_training_options(cli, c, "fraction of the training partition used");
  cli.bind("--halving", c.halving, "64x64 from the 128x128 face crop by 'area' average or 'decimate'");
  cli.bind("--lr", c.lr, "learning rate of D and G");
  cli.bind("--ae-lr-factor", c.ae_lr_factor, "autoencoder learning rate as a fraction of --lr");
  cli.bind("--ae-attr-weight", c.ae_attr_weight,
           "weight of BCE between E's y head and the real labels in the autoencoder sub-step, 0 for MAE alone");
  cli.bind("--ae-warmup", c.ae_warmup,
           "the first N steps train only the autoencoder sub-step; D's and G's sub-steps join after");
  cli.bind("--ae-z-noise", c.ae_z_noise,
           "stddev of normal noise added to E's z code before G decodes it in the autoencoder sub-step, 0 for none");
  cli.bind("--ae-y", c.ae_y,
           "attributes G decodes in the autoencoder sub-step: 'code' (E's y head) or 'labels' (the face's own "
           "labels, the same kind of y as the fakes get; E's y head then learns from --ae-attr-weight alone)");
  cli.bind("--d-fake-y-weight", c.d_fake_y_weight,
           "weight of the BCE of D's y head on the fakes against their y' in D's sub-step (--d-batch separate); "
           "0 teaches D's y head on real faces only");
  cli.bind("--g-read-y-weight", c.g_read_y_weight,
           "weight in G's sub-step of the BCE between the frozen E's y head on G's images and the requested y', "
           "0 for none");
  cli.bind("--g-read-z-weight", c.g_read_z_weight,
           "weight in G's sub-step of the MAE between the frozen E's z head on G's images and their z, 0 for none");
  cli.bind("--g-average", c.g_average,
           "decay of an exponential moving average of G's weights, updated after every step (the decay "
           "min(D, (1 + t) / (10 + t)) at step t); the sheets, the evaluation, generator.safetensors and the "
           "other modes use the average; 0 for G itself");
  cli.bind("--beta1", c.beta1, "Adam beta1");
  cli.bind("--beta2", c.beta2, "Adam beta2");
  cli.bind("--real-target", c.real_target, "D's w target on real images (one-sided label smoothing)");
  cli.bind("--g-target", c.g_target, "G's w target through the frozen D");
  cli.bind("--fake-labels", c.fake_labels,
           "attributes of fakes: 'train' (drawn from the labels), 'train-flip' (drawn from the labels, then one "
           "attribute drawn and set on or off at random), 'code-flip' (with --z codes: the labels of the face whose "
           "code is z, one attribute set on or off at random), 'random' (each on with probability 1/2) or "
           "'ten-indices' (10 indices drawn from 0..39, repeats allowed, set to 1)");
  cli.bind("--z", c.z_dist,
           "latent distribution: 'uniform' U[0,1], 'normal' N(0,1), 'encoder' (normal with the running "
           "per-dimension mean and variance of E's codes) or 'codes' (one of E's last 2048 codes of training faces)");
  cli.bind("--d-batch", c.d_batch,
           "D's sub-step: 'separate' (the real and the fake batch, losses summed) or 'mixed' (N rows drawn from the "
           "2N, one mean loss)");
  cli.bind("--g-fakes", c.g_fakes, "G's sub-step: 'fresh' (new y' and z) or 'reuse' (the y' and z of D's fakes)");
  cli.bind("--adam", c.adam, "Adam's epsilon: 'pytorch' (1e-8) or 'keras' (1e-7, in Keras' form of the update)");
  cli.bind("--input-noise", c.input_noise, "GaussianNoise stddev on D's input, 0 for none");
  cli.bind("--dropout", c.dropout, "Dropout rate after D's hidden activations, 0 for none");
  cli.group("Evaluation");
  nn::apps::bind_eval_every(
      cli, c, "score the generator with the attribute judge after every N epochs into eval.csv, 0 for never");
  cli.bind("--eval-faces", c.eval_faces, "generated faces for the Frechet distance");
  cli.bind("--eval-control", c.eval_control, "faces per side and attribute for attribute control");
  cli.group("Run folder and checkpoints");
  nn::apps::bind_run_folder_options(cli, c, changeable_options(), "E, G and D");
  cli.group("Other modes");
  cli.bind("--summary", c.summary, "print the model tables and exit");
  cli.bind("--generate", c.generate, "checkpoint to generate faces from (with --attr)");
  cli.option("--attr", "NAMES",
             "attributes of one generated row, e.g. Male,Smiling,-Young (the others as most training faces have "
             "them), or all or none; repeat for more rows",
             [&c](const std::string& v) { c.attr_rows.push_back(v); });
  cli.bind("--samples", c.samples, "faces per generated row");
  cli.bind("--reconstruct", c.reconstruct, "checkpoint to reconstruct --images with");
  cli.bind("--images", images, "comma-separated image files to reconstruct");
  cli.bind("--evaluate", c.evaluate,
           "checkpoint to score with the attribute judge of its data set; prints a table and writes eval.json "
           "into --out (default: the checkpoint's folder)");
  cli.bind("--score-renderer", c.score_renderer,
           "score the synthetic faces' renderer, drawing exactly the attributes asked for, as if it were G: "
           "the figures of a generator that follows every request, by the judge of the run's data set");
  cli.bind("--list-attributes", c.list_attributes, "print the 40 attribute names --attr takes, then exit");
  if (!cli.parse(argc, argv)) return false;
  c.given = cli.given();
  c.images = nn::apps::split_list(images);
  check_mode_options(c);
  validate(c);
  return true;
}

void validate(const Config& c) {
  nn::apps::validate_run_settings(c, "acgan_celeba");
  const auto fail = [](const std::string& what) { throw nn::apps::UsageError("acgan_celeba: " + what); };
  if (!(c.lr > 0) || !(c.ae_lr_factor > 0)) fail("--lr and --ae-lr-factor must be positive");
  if (!(c.real_target > 0 && c.real_target <= 1) || !(c.g_target > 0 && c.g_target <= 1))
    fail("--real-target and --g-target must be in (0, 1]");
  if (c.halving != "area" && c.halving != "decimate") fail("--halving must be 'area' or 'decimate'");
  if (c.fake_labels != "train" && c.fake_labels != "train-flip" && c.fake_labels != "code-flip" &&
      c.fake_labels != "random" && c.fake_labels != "ten-indices")
    fail("--fake-labels must be 'train', 'train-flip', 'code-flip', 'random' or 'ten-indices'");
  if (c.fake_labels == "code-flip" && c.z_dist != "codes") fail("--fake-labels code-flip needs --z codes");
  if (c.d_batch != "separate" && c.d_batch != "mixed") fail("--d-batch must be 'separate' or 'mixed'");
  if (c.g_fakes != "fresh" && c.g_fakes != "reuse") fail("--g-fakes must be 'fresh' or 'reuse'");
  if (c.adam != "pytorch" && c.adam != "keras") fail("--adam must be 'pytorch' or 'keras'");
  if (c.z_dist != "uniform" && c.z_dist != "normal" && c.z_dist != "encoder" && c.z_dist != "codes")
    fail("--z must be 'uniform', 'normal', 'encoder' or 'codes'");
  if (!(c.ae_attr_weight >= 0)) fail("--ae-attr-weight must not be negative");
  if (c.ae_warmup < 0) fail("--ae-warmup must not be negative");
  if (!(c.ae_z_noise >= 0)) fail("--ae-z-noise must not be negative");
  if (c.ae_y != "code" && c.ae_y != "labels") fail("--ae-y must be 'code' or 'labels'");
  if (c.ae_y == "labels" && !(c.ae_attr_weight > 0))
    fail("--ae-y labels needs --ae-attr-weight above 0 (E's y head would learn nothing)");
  if (!(c.g_average >= 0 && c.g_average < 1)) fail("--g-average must be in [0, 1)");
  if (!(c.d_fake_y_weight >= 0)) fail("--d-fake-y-weight must not be negative");
  if (c.d_fake_y_weight != 1.0 && c.d_batch != "separate") fail("--d-fake-y-weight needs --d-batch separate");
  if (!(c.g_read_y_weight >= 0)) fail("--g-read-y-weight must not be negative");
  if (!(c.g_read_z_weight >= 0)) fail("--g-read-z-weight must not be negative");
  if (c.input_noise < 0) fail("--input-noise must not be negative");
  if (c.dropout < 0 || c.dropout >= 1) fail("--dropout must be in [0, 1)");
  if (c.samples < 1) fail("--samples must be at least 1");
  if (c.eval_faces < 4) fail("--eval-faces must be at least 4");
  if (c.eval_control < 1) fail("--eval-control must be at least 1");
  if (!c.generate.empty() && c.attr_rows.empty()) fail("--generate needs at least one --attr");
  for (const std::string& row : c.attr_rows) try {
      nn::apps::check_attribute_row(row);
    } catch (const nn::Error& e) {
      fail("--attr: " + std::string(e.what()) + " (see --list-attributes)");
    }
  if (!c.reconstruct.empty() && c.images.empty()) fail("--reconstruct needs --images");
}

std::string to_json(const Config& c, const std::vector<ConfigChange>& changes) {
  using nn::json::Value;
  Value v = Value::object();
  v.add("preset", Value::string(c.preset));
  nn::apps::add_run_settings(v, c);
  v.add("halving", Value::string(c.halving))
      .add("lr", Value::number(c.lr))
      .add("ae_lr_factor", Value::number(c.ae_lr_factor))
      .add("ae_attr_weight", Value::number(c.ae_attr_weight))
      .add("ae_warmup", Value::integer(c.ae_warmup))
      .add("ae_z_noise", Value::number(c.ae_z_noise))
      .add("ae_y", Value::string(c.ae_y))
      .add("d_fake_y_weight", Value::number(c.d_fake_y_weight))
      .add("g_read_y_weight", Value::number(c.g_read_y_weight))
      .add("g_read_z_weight", Value::number(c.g_read_z_weight))
      .add("g_average", Value::number(c.g_average))
      .add("beta1", Value::number(c.beta1))
      .add("beta2", Value::number(c.beta2))
      .add("real_target", Value::number(c.real_target))
      .add("g_target", Value::number(c.g_target))
      .add("fake_labels", Value::string(c.fake_labels))
      .add("z", Value::string(c.z_dist))
      .add("d_batch", Value::string(c.d_batch))
      .add("g_fakes", Value::string(c.g_fakes))
      .add("adam", Value::string(c.adam))
      .add("input_noise", Value::number(c.input_noise))
      .add("dropout", Value::number(c.dropout))
      .add("eval_faces", Value::integer(c.eval_faces))
      .add("eval_control", Value::integer(c.eval_control));
  if (!changes.empty()) v.add("changes", nn::apps::changes_to_json(changes));
  return nn::json::dump(v, 2) + "\n";
}

Config config_from_json(const std::string& text, const std::string& source) {
  const nn::apps::SettingsReader r(text, source, "acgan_celeba");
  using nn::json::Value;
  Config c;
  r.read("preset", [&](const Value& x) { c.preset = x.as_string(); });
  nn::apps::read_run_settings(r, c);
  r.read("halving", [&](const Value& x) { c.halving = x.as_string(); });
  r.read("lr", [&](const Value& x) { c.lr = x.as_number(); });
  r.read("ae_lr_factor", [&](const Value& x) { c.ae_lr_factor = x.as_number(); });
  r.read("ae_attr_weight", [&](const Value& x) { c.ae_attr_weight = x.as_number(); });
  r.read("beta1", [&](const Value& x) { c.beta1 = x.as_number(); });
  r.read("beta2", [&](const Value& x) { c.beta2 = x.as_number(); });
  r.read("real_target", [&](const Value& x) { c.real_target = x.as_number(); });
  r.read("g_target", [&](const Value& x) { c.g_target = x.as_number(); });
  r.read("fake_labels", [&](const Value& x) { c.fake_labels = x.as_string(); });
  r.read("z", [&](const Value& x) { c.z_dist = x.as_string(); });
  r.read("input_noise", [&](const Value& x) { c.input_noise = x.as_number(); });
  r.read("dropout", [&](const Value& x) { c.dropout = x.as_number(); });
  // Absent in runs from before the options, which trained as their defaults do.
  r.read_if_present("d_batch", [&](const Value& x) { c.d_batch = x.as_string(); });
  r.read_if_present("g_fakes", [&](const Value& x) { c.g_fakes = x.as_string(); });
  r.read_if_present("adam", [&](const Value& x) { c.adam = x.as_string(); });
  r.read_if_present("ae_warmup", [&](const Value& x) { c.ae_warmup = x.as_integer(); });
  r.read_if_present("ae_z_noise", [&](const Value& x) { c.ae_z_noise = x.as_number(); });
  r.read_if_present("ae_y", [&](const Value& x) { c.ae_y = x.as_string(); });
  r.read_if_present("d_fake_y_weight", [&](const Value& x) { c.d_fake_y_weight = x.as_number(); });
  r.read_if_present("g_read_y_weight", [&](const Value& x) { c.g_read_y_weight = x.as_number(); });
  r.read_if_present("g_read_z_weight", [&](const Value& x) { c.g_read_z_weight = x.as_number(); });
  r.read_if_present("g_average", [&](const Value& x) { c.g_average = x.as_number(); });
  r.read_if_present("eval_faces", [&](const Value& x) { c.eval_faces = x.as_integer(); });
  r.read_if_present("eval_control", [&](const Value& x) { c.eval_control = x.as_integer(); });
  try {
    validate(c);
  } catch (const nn::Error& e) {
    throw nn::Error(r.prefix() + "the stored settings are invalid: " + e.what());
  }
  return c;
}

}  // namespace acgan
