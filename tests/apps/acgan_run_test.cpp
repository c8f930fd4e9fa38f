#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "acgan_celeba/config.hpp"
#include "acgan_celeba/modes.hpp"
#include <nn/nn.hpp>

#include "common/plot.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "support/file_bytes.hpp"

using namespace acgan;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "libnn_acgan_run_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Config tiny_run(const fs::path& out, const fs::path& cache, std::int64_t steps) {
  Config c;
  c.out = out.string();
  c.cache_dir = cache.string();
  c.synthetic_count = 40;
  c.batch = 4;
  c.epochs = 1;
  c.steps = steps;
  c.eval_every = 0;  // the judge's cost is tested on its own below
  return c;
}

}  // namespace

TEST_CASE("a few steps on tiny synthetic data write every file of the run folder with finite values",
          "[acgan][smoke]") {
  const fs::path root = scratch("smoke");
  REQUIRE(train_mode(tiny_run(root / "run", root / "cache", 3)) == 0);
  for (const char* file : {"config.json", "losses.csv", "metrics.csv", "losses.svg", "metrics.svg",
                           "reconstructions_epoch_001.png", "generated_epoch_001.png", "edited_epoch_001.png",
                           "checkpoint_last.safetensors",
                           "checkpoint_step_3.safetensors"})
    CHECK(fs::exists(root / "run" / file));
  for (const char* csv : {"losses.csv", "metrics.csv"}) {
    std::istringstream lines(nn::testing::read_bytes(root / "run" / csv));
    std::string line;
    std::getline(lines, line);
    int rows = 0;
    while (std::getline(lines, line)) {
      ++rows;
      std::istringstream cells(line);
      std::string cell;
      while (std::getline(cells, cell, ',')) CHECK(std::isfinite(std::stod(cell)));
    }
    CHECK(rows == 3);
  }
  const nn::Image sheet = nn::read_image((root / "run" / "generated_epoch_001.png").string());
  CHECK(sheet.width > 64 * 9);
}

TEST_CASE("resuming from a checkpoint equals training without a stop (bitwise on CPU)", "[acgan][resume]") {
  // The default choices, the original script's (mixed D batch, drawn rows,
  // ten-index labels, reused fakes, N(0, 1) z, Keras' Adam), latents drawn
  // from the running statistics of E's codes, and latents from the code bank
  // with our other additions (code-flip labels, E reading G's images, D's y
  // head on real faces only, noise on z in the autoencoder, G's average).
  const std::string variant = GENERATE(as<std::string>(), "default", "script", "encoder z", "codes z");
  INFO(variant);
  const bool script = variant == "script";
  const fs::path root = scratch("resume_" + variant.substr(0, variant.find(' ')));
  const auto run = [&](const fs::path& out, std::int64_t steps) {
    Config c = tiny_run(out, root / "cache", steps);
    if (variant == "encoder z") c.z_dist = "encoder";
    if (variant == "codes z") {
      c.z_dist = "codes";
      c.fake_labels = "code-flip";
      c.g_read_y_weight = 1.0;
      c.g_read_z_weight = 0.5;
      c.d_fake_y_weight = 0.0;
      c.ae_z_noise = 0.1;
      c.g_average = 0.9;
    }
    if (script) {
      c.d_batch = "mixed";
      c.fake_labels = "ten-indices";
      c.g_fakes = "reuse";
      c.z_dist = "normal";
      c.adam = "keras";
      c.halving = "decimate";
    }
    return c;
  };
  REQUIRE(train_mode(run(root / "straight", 4)) == 0);
  REQUIRE(train_mode(run(root / "stopped", 2)) == 0);
  Config resumed = run(root / "stopped", 4);
  resumed.resume = (root / "stopped" / "checkpoint_step_2.safetensors").string();
  resumed.given = {"--resume", "--steps"};
  REQUIRE(train_mode(resumed) == 0);

  const nn::SafetensorsFile a = nn::load_safetensors((root / "straight" / "checkpoint_step_4.safetensors").string());
  const nn::SafetensorsFile b = nn::load_safetensors((root / "stopped" / "checkpoint_step_4.safetensors").string());
  REQUIRE(a.tensors.size() == b.tensors.size());
  CHECK(a.tensors.count("Z.mean") == (variant == "encoder z" ? 1u : 0u));
  CHECK(a.tensors.count("Z.codes") == (variant == "codes z" ? 1u : 0u));
  CHECK(nn::select_prefixed(a.tensors, "G_average").empty() == (variant != "codes z"));
  for (const auto& [name, t] : a.tensors) {
    INFO(name);
    CHECK(t.to_vector<double>() == b.tensors.at(name).to_vector<double>());
  }
  for (const char* csv : {"losses.csv", "metrics.csv"}) {
    INFO(csv);
    CHECK(nn::testing::read_bytes(root / "straight" / csv) == nn::testing::read_bytes(root / "stopped" / csv));
  }
}

TEST_CASE("training evaluates each epoch into eval.csv, and --evaluate gives the same figures every time",
          "[acgan][evaluation]") {
  const fs::path root = scratch("evaluation");
  nn::data::ensure_synthetic_celeba((root / "faces").string(), 300, 5);
  Config c = tiny_run(root / "run", root / "cache", 0);
  c.data = (root / "faces").string();
  c.batch = 16;
  c.epochs = 2;
  c.eval_every = 1;
  c.eval_faces = 40;
  c.eval_control = 8;
  REQUIRE(train_mode(c) == 0);
  for (const char* file : {"eval.csv", "eval.svg", "frechet.svg"}) CHECK(fs::exists(root / "run" / file));
  const nn::apps::CsvTable table = nn::apps::CsvTable::read((root / "run" / "eval.csv").string());
  REQUIRE(table.rows() == 2);
  for (const std::string& column : table.columns())
    for (double v : table.numbers(column)) CHECK(std::isfinite(v));

  Config evaluate;
  evaluate.evaluate = (root / "run" / "checkpoint_last.safetensors").string();
  evaluate.cache_dir = c.cache_dir;
  evaluate.eval_faces = 40;
  evaluate.eval_control = 8;
  REQUIRE(evaluate_mode(evaluate) == 0);
  const std::string first = nn::testing::read_bytes(root / "run" / "eval.json");
  REQUIRE(evaluate_mode(evaluate) == 0);
  CHECK(nn::testing::read_bytes(root / "run" / "eval.json") == first);
  const nn::json::Value scores = nn::json::parse(first);
  const auto figure = [&](const char* part, const char* key) { return scores.find(part)->find(key)->as_number(); };
  CHECK(figure("generator", "frechet") == table.numbers("frechet").back());
  CHECK(figure("generator", "diversity_ratio") == table.numbers("diversity_ratio").back());
  CHECK(figure("autoencoder", "reconstruction_mae") == table.numbers("reconstruction_mae").back());
  CHECK(scores.find("generator")->find("control")->find("macro_mean")->as_number() == table.numbers("control").back());
}

TEST_CASE("scoring the faces' own renderer (--score-renderer) gives the same figures every time",
          "[acgan][evaluation]") {
  const fs::path root = scratch("renderer");
  nn::data::ensure_synthetic_celeba((root / "faces").string(), 300, 5);
  const char* argv[] = {"acgan_celeba", "--score-renderer", "--eval-faces", "40", "--eval-control", "8"};
  Config c;
  REQUIRE(parse_config(6, argv, c));
  REQUIRE(mode_of(c) == Mode::score_renderer);
  c.data = (root / "faces").string();
  c.out = (root / "scores").string();
  c.cache_dir = (root / "cache").string();
  REQUIRE(score_renderer_mode(c) == 0);
  const std::string first = nn::testing::read_bytes(root / "scores" / "renderer_eval.json");
  REQUIRE(score_renderer_mode(c) == 0);
  CHECK(nn::testing::read_bytes(root / "scores" / "renderer_eval.json") == first);
  const nn::json::Value scores = nn::json::parse(first);
  const nn::json::Value* renderer = scores.find("renderer");
  REQUIRE(renderer != nullptr);
  const double control = renderer->find("control")->find("macro_mean")->as_number();
  CHECK(control >= 0.0);
  CHECK(control <= 1.0);
  CHECK(renderer->find("sheet_control")->find("per_attribute")->find("Wearing_Hat") != nullptr);

  const char* training_option[] = {"acgan_celeba", "--score-renderer", "--lr", "1e-3"};
  Config refused;
  CHECK_THROWS_WITH(parse_config(4, training_option, refused),
                    Catch::Matchers::Contains("--lr does not apply to --score-renderer"));
}

TEST_CASE("bad options and a missing data folder fail with one clear line", "[acgan][errors]") {
  const fs::path root = scratch("errors");
  Config c = tiny_run(root / "run", root / "cache", 1);
  c.data = (root / "no_such_folder").string();
  CHECK_THROWS_WITH(train_mode(c), Catch::Matchers::Contains("no_such_folder"));
  const char* argv[] = {"acgan_celeba", "--batch", "many"};
  Config parsed;
  CHECK_THROWS_WITH(parse_config(3, argv, parsed), Catch::Matchers::Contains("--batch") &&
                                                       Catch::Matchers::Contains("many"));
}

TEST_CASE("presets set the run's defaults and flags override them", "[acgan][config]") {
  const char* none[] = {"acgan_celeba"};
  Config quick;
  REQUIRE(parse_config(1, none, quick));
  CHECK(quick.preset == "quick");
  CHECK(quick.batch == 32);
  CHECK(quick.lr == 1e-3);
  CHECK(quick.ae_lr_factor == 1.0);
  CHECK(quick.epochs == 6);
  CHECK(quick.ae_attr_weight == 1.0);
  CHECK(quick.ae_warmup == 150);
  CHECK(quick.z_dist == "codes");
  CHECK(quick.g_read_y_weight == 5.0);
  CHECK(quick.g_read_z_weight == 0.0);
  CHECK(quick.d_fake_y_weight == 1.0);
  CHECK(quick.eval_every == 3);
  CHECK(quick.d_batch == "separate");
  CHECK(quick.fake_labels == "train");
  CHECK(quick.g_fakes == "fresh");
  CHECK(quick.adam == "pytorch");
  CHECK(quick.halving == "area");

  const char* seed_args[] = {"acgan_celeba", "--lr", "1e-4", "--preset", "seed"};
  Config seed;
  REQUIRE(parse_config(5, seed_args, seed));
  CHECK(seed.preset == "seed");
  CHECK(seed.batch == 256);
  CHECK(seed.lr == 1e-4);
  CHECK(seed.ae_lr_factor == 0.25);
  CHECK(seed.epochs == 25);
  CHECK(seed.ae_attr_weight == 0);
  CHECK(seed.fraction == 1.0 / 3.0);
  // The original script's training choices.
  CHECK(seed.d_batch == "mixed");
  CHECK(seed.fake_labels == "ten-indices");
  CHECK(seed.g_fakes == "reuse");
  CHECK(seed.z_dist == "normal");
  CHECK(seed.adam == "keras");
  CHECK(seed.halving == "decimate");
  const char* seed_separate[] = {"acgan_celeba", "--preset", "seed", "--d-batch", "separate", "--g-fakes", "fresh"};
  Config separate;
  REQUIRE(parse_config(7, seed_separate, separate));
  CHECK(separate.d_batch == "separate");
  CHECK(separate.g_fakes == "fresh");
  CHECK(separate.adam == "keras");

  const char* attributes_args[] = {"acgan_celeba", "--preset", "attributes", "--epochs", "3"};
  Config attributes;
  REQUIRE(parse_config(5, attributes_args, attributes));
  CHECK(attributes.preset == "attributes");
  CHECK(attributes.lr == 2e-4);
  CHECK(attributes.ae_lr_factor == 1.0);
  CHECK(attributes.ae_attr_weight == 1.0);
  CHECK(attributes.epochs == 3);
  CHECK(attributes.d_batch == "separate");
  CHECK(attributes.g_fakes == "fresh");
  CHECK(attributes.adam == "pytorch");
}
