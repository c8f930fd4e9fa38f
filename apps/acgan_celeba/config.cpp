#include "acgan_celeba/config.hpp"

#include <cstdint>
#include <limits>

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
    c.batch = 32;
    c.lr = 1e-3;
    c.ae_lr_factor = 0.5;
    c.epochs = 6;
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
    // on about a third of CelebA.
    c.batch = 256;
    c.lr = 5e-5;
    c.epochs = 25;
    c.fraction = 1.0 / 3.0;
    c.synthetic_count = 20000;
  } else {
    throw nn::Error("acgan_celeba: unknown preset '" + name + "' (quick, attributes or seed)");
  }
  c.preset = name;
}

}  // namespace

bool parse_config(int argc, const char* const* argv, Config& c) {
  std::string preset = "quick";
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--preset") preset = argv[i + 1];
  apply_preset(preset, c);
  nn::apps::CommandLine cli("acgan_celeba",
                            "Trains the auto-encoder + auxiliary-classifier GAN on 64x64 faces, or uses a\n"
                            "checkpoint to generate faces for named attributes or reconstruct images.");
  std::string attr;
  std::string images;
  cli.option("--preset", "NAME", "quick (default, minutes on a CPU), attributes (a minute on a GPU) or seed",
             [](const std::string&) {});
  cli.bind("--data", c.data, "CelebA folder (img_align_celeba/, list_attr_celeba.txt, ...); default: synthetic faces");
  cli.bind("--synthetic-count", c.synthetic_count, "faces in the synthetic default data set");
  cli.bind("--out", c.out, "run folder");
  cli.bind("--device", c.device, "auto, cpu, cuda or cuda:N");
  cli.bind("--seed", c.seed, "random seed of the run");
  cli.bind("--epochs", c.epochs, "epochs");
  cli.bind("--steps", c.steps, "stop after this many steps in total, 0 for all epochs");
  cli.bind("--batch", c.batch, "batch size");
  cli.bind("--fraction", c.fraction, "fraction of the training partition used");
  cli.bind("--halving", c.halving, "64x64 from the 128x128 face crop by 'area' average or 'decimate'");
  cli.bind("--lr", c.lr, "learning rate of D and G");
  cli.bind("--ae-lr-factor", c.ae_lr_factor, "autoencoder learning rate as a fraction of --lr");
  cli.bind("--ae-attr-weight", c.ae_attr_weight,
           "weight of BCE between E's y head and the real labels in the autoencoder sub-step, 0 for MAE alone");
  cli.bind("--beta1", c.beta1, "Adam beta1");
  cli.bind("--beta2", c.beta2, "Adam beta2");
  cli.bind("--real-target", c.real_target, "D's w target on real images (one-sided label smoothing)");
  cli.bind("--g-target", c.g_target, "G's w target through the frozen D");
  cli.bind("--fake-labels", c.fake_labels, "attributes of fakes: 'train' (drawn from the labels) or 'random'");
  cli.bind("--z", c.z_dist, "latent distribution: 'uniform' U[0,1] or 'normal' N(0,1)");
  cli.bind("--input-noise", c.input_noise, "GaussianNoise stddev on D's input, 0 for none");
  cli.bind("--dropout", c.dropout, "Dropout rate after D's hidden activations, 0 for none");
  cli.bind("--tf32", c.tf32, "allow TF32 tensor-core math on CUDA");
  cli.bind("--resume", c.resume, "checkpoint to continue training from");
  cli.bind("--summary", c.summary, "print the model tables and exit");
  cli.bind("--generate", c.generate, "checkpoint to generate faces from (with --attr)");
  cli.option("--attr", "NAMES", "attributes of one generated row, e.g. Male,Smiling; repeat for more rows",
             [&c](const std::string& v) { c.attr_rows.push_back(v); });
  cli.bind("--samples", c.samples, "faces per generated row");
  cli.bind("--reconstruct", c.reconstruct, "checkpoint to reconstruct --images with");
  cli.bind("--images", images, "comma-separated image files to reconstruct");
  cli.bind("--cache", c.cache_dir, "folder for data caches and the synthetic faces (default: beside --out)");
  if (!cli.parse(argc, argv)) return false;
  c.images = nn::apps::split_list(images);
  if (c.cache_dir.empty()) c.cache_dir = c.out + "/../cache";
  validate(c);
  return true;
}

void validate(const Config& c) {
  const auto fail = [](const std::string& what) { throw nn::Error("acgan_celeba: " + what); };
  if (c.batch < 2) fail("--batch must be at least 2");
  if (c.epochs < 1) fail("--epochs must be at least 1");
  if (c.steps < 0) fail("--steps must not be negative");
  if (!(c.fraction > 0 && c.fraction <= 1)) fail("--fraction must be in (0, 1]");
  if (!(c.lr > 0) || !(c.ae_lr_factor > 0)) fail("--lr and --ae-lr-factor must be positive");
  if (!(c.real_target > 0 && c.real_target <= 1) || !(c.g_target > 0 && c.g_target <= 1))
    fail("--real-target and --g-target must be in (0, 1]");
  if (c.halving != "area" && c.halving != "decimate") fail("--halving must be 'area' or 'decimate'");
  if (c.fake_labels != "train" && c.fake_labels != "random") fail("--fake-labels must be 'train' or 'random'");
  if (c.z_dist != "uniform" && c.z_dist != "normal") fail("--z must be 'uniform' or 'normal'");
  if (!(c.ae_attr_weight >= 0)) fail("--ae-attr-weight must not be negative");
  if (c.input_noise < 0) fail("--input-noise must not be negative");
  if (c.dropout < 0 || c.dropout >= 1) fail("--dropout must be in [0, 1)");
  if (c.synthetic_count < 20) fail("--synthetic-count must be at least 20");
  if (c.samples < 1) fail("--samples must be at least 1");
  if (!c.generate.empty() && c.attr_rows.empty()) fail("--generate needs at least one --attr");
  if (!c.reconstruct.empty() && c.images.empty()) fail("--reconstruct needs --images");
  // config.json holds the seed as a JSON integer, which is signed 64-bit.
  if (c.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail("--seed must be at most " + std::to_string(std::numeric_limits<std::int64_t>::max()));
}

std::string to_json(const Config& c) {
  using nn::json::Value;
  Value v = Value::object();
  v.add("preset", Value::string(c.preset))
      .add("data", Value::string(c.data.empty() ? "synthetic" : c.data))
      .add("synthetic_count", Value::integer(c.synthetic_count))
      .add("device", Value::string(c.device))
      .add("seed", Value::integer(static_cast<std::int64_t>(c.seed)))
      .add("epochs", Value::integer(c.epochs))
      .add("steps", Value::integer(c.steps))
      .add("batch", Value::integer(c.batch))
      .add("fraction", Value::number(c.fraction))
      .add("halving", Value::string(c.halving))
      .add("lr", Value::number(c.lr))
      .add("ae_lr_factor", Value::number(c.ae_lr_factor))
      .add("ae_attr_weight", Value::number(c.ae_attr_weight))
      .add("beta1", Value::number(c.beta1))
      .add("beta2", Value::number(c.beta2))
      .add("real_target", Value::number(c.real_target))
      .add("g_target", Value::number(c.g_target))
      .add("fake_labels", Value::string(c.fake_labels))
      .add("z", Value::string(c.z_dist))
      .add("input_noise", Value::number(c.input_noise))
      .add("dropout", Value::number(c.dropout))
      .add("tf32", Value::boolean(c.tf32))
      .add("resume", Value::string(c.resume));
  return nn::json::dump(v, 2) + "\n";
}

}  // namespace acgan
