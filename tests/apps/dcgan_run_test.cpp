// dcgan's training runs end to end on tiny data: the run folder, resume,
// the other modes and bad input.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "common/cli.hpp"
#include "common/plot.hpp"
#include "dcgan/config.hpp"
#include "dcgan/modes.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "nn/nn.hpp"
#include "support/file_bytes.hpp"

using namespace dcgan;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "libnn_dcgan_run_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Config tiny_run(const std::string& arch, const fs::path& out, const fs::path& cache, std::int64_t steps) {
  Config c;
  const char* argv[] = {"dcgan", "--arch", arch.c_str()};
  REQUIRE(parse_config(3, argv, c));
  c.given.clear();
  c.out = out.string();
  c.cache_dir = cache.string();
  c.synthetic_count = 40;
  c.batch = 4;
  c.epochs = 1;
  c.steps = steps;
  c.eval_every = 0;  // the judge's cost is tested on its own below
  return c;
}

// Every cell of a CSV file below its header, as numbers; counts the rows.
int finite_rows(const fs::path& csv) {
  std::istringstream lines(nn::testing::read_bytes(csv));
  std::string line;
  std::getline(lines, line);
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) CHECK(std::isfinite(std::stod(cell)));
  }
  return rows;
}

}  // namespace

TEST_CASE("dcgan: a few steps of each architecture on tiny synthetic faces write the whole run folder",
          "[dcgan][smoke]") {
  const std::string arch = GENERATE(as<std::string>(), "radford64", "wlu128", "tutorial28");
  INFO(arch);
  const fs::path root = scratch("smoke_" + arch);
  REQUIRE(train_mode(tiny_run(arch, root / "run", root / "cache", 3)) == 0);
  for (const char* file :
       {"config.json", "losses.csv", "metrics.csv", "losses.svg", "metrics.svg", "samples_epoch_001.png",
        "checkpoint_last.safetensors", "checkpoint_step_3.safetensors", "generator.safetensors"})
    CHECK(fs::exists(root / "run" / file));
  CHECK(finite_rows(root / "run" / "losses.csv") == 3);
  CHECK(finite_rows(root / "run" / "metrics.csv") == 3);
  const int side = arch == "radford64" ? 64 : arch == "wlu128" ? 128 : 28;
  const nn::Image sheet = nn::read_image((root / "run" / "samples_epoch_001.png").string());
  CHECK(sheet.width == 8 * side + 7 * 2);  // 2-pixel margins between images
  CHECK(sheet.channels == 3);
}

TEST_CASE("dcgan: resuming from a checkpoint equals training without a stop (bitwise on CPU)", "[dcgan][resume]") {
  const std::string arch = GENERATE(as<std::string>(), "radford64", "tutorial28");
  INFO(arch);
  const fs::path root = scratch("resume_" + arch);
  REQUIRE(train_mode(tiny_run(arch, root / "straight", root / "cache", 4)) == 0);
  REQUIRE(train_mode(tiny_run(arch, root / "stopped", root / "cache", 2)) == 0);
  Config resumed = tiny_run(arch, root / "stopped", root / "cache", 4);
  resumed.resume = (root / "stopped" / "checkpoint_step_2.safetensors").string();
  resumed.given = {"--resume", "--steps"};
  REQUIRE(train_mode(resumed) == 0);

  const nn::SafetensorsFile a = nn::load_safetensors((root / "straight" / "checkpoint_step_4.safetensors").string());
  const nn::SafetensorsFile b = nn::load_safetensors((root / "stopped" / "checkpoint_step_4.safetensors").string());
  REQUIRE(a.tensors.size() == b.tensors.size());
  for (const auto& [name, t] : a.tensors) {
    INFO(name);
    CHECK(t.to_vector<double>() == b.tensors.at(name).to_vector<double>());
  }
  for (const char* csv : {"losses.csv", "metrics.csv"}) {
    INFO(csv);
    CHECK(nn::testing::read_bytes(root / "straight" / csv) == nn::testing::read_bytes(root / "stopped" / csv));
  }
  const std::string config = nn::testing::read_bytes(root / "stopped" / "config.json");
  CHECK_THAT(config, Contains("\"--steps\""));
}

TEST_CASE("dcgan: a resumed run refuses settings that change training, and a finished run says how to extend it",
          "[dcgan][resume]") {
  const fs::path root = scratch("resume_refusals");
  REQUIRE(train_mode(tiny_run("tutorial28", root / "run", root / "cache", 2)) == 0);
  Config resumed = tiny_run("tutorial28", root / "run", root / "cache", 2);
  resumed.resume = (root / "run" / "checkpoint_last.safetensors").string();
  resumed.given = {"--resume", "--lr"};
  CHECK_THROWS_AS(train_mode(resumed), nn::apps::UsageError);
  resumed.given = {"--resume", "--steps"};
  CHECK_THROWS_WITH(train_mode(resumed), Contains("nothing is left to train"));
  Config again = tiny_run("tutorial28", root / "run", root / "cache", 2);
  CHECK_THROWS_WITH(train_mode(again), Contains("holds another run"));
}

TEST_CASE("dcgan: --generate draws a sheet from a checkpoint, the same for the same seed", "[dcgan][generate]") {
  const fs::path root = scratch("generate");
  REQUIRE(train_mode(tiny_run("tutorial28", root / "run", root / "cache", 1)) == 0);
  Config generate;
  generate.generate = (root / "run" / "generator.safetensors").string();
  generate.samples = 9;
  generate.out = (root / "a").string();
  REQUIRE(generate_mode(generate) == 0);
  generate.out = (root / "b").string();
  REQUIRE(generate_mode(generate) == 0);
  const nn::Image sheet = nn::read_image((root / "a" / "generated.png").string());
  CHECK(sheet.width == 3 * 28 + 2 * 2);
  CHECK(nn::testing::read_bytes(root / "a" / "generated.png") == nn::testing::read_bytes(root / "b" / "generated.png"));
}

TEST_CASE("dcgan: --summary prints both models' tables", "[dcgan][summary]") {
  Config c;
  const char* argv[] = {"dcgan", "--summary", "--arch", "tutorial28", "--dataset", "fashion-mnist"};
  REQUIRE(parse_config(6, argv, c));
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  const int status = summary_mode(c);
  std::cout.rdbuf(old);
  CHECK(status == 0);
  CHECK_THAT(captured.str(), Contains("Total params"));
}

TEST_CASE("dcgan: bad command lines are refused with one line naming the option", "[dcgan][config]") {
  const auto refused = [](std::vector<const char*> args) {
    Config c;
    args.insert(args.begin(), "dcgan");
    try {
      parse_config(static_cast<int>(args.size()), args.data(), c);
    } catch (const nn::apps::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(refused({"--arch", "vgg"}), Contains("--arch must be"));
  CHECK_THAT(refused({"--dataset", "mnist"}), Contains("--dataset must be"));
  CHECK_THAT(refused({"--preset", "slow"}), Contains("unknown preset"));
  CHECK_THAT(refused({"--batch", "1"}), Contains("--batch"));
  CHECK_THAT(refused({"--summary", "--generate", "x"}), Contains("separate modes"));
  CHECK_THAT(refused({"--generate", "x", "--lr", "1"}), Contains("--lr does not apply"));
  CHECK_THAT(refused({"--dataset", "fashion-mnist", "--data", "celeba"}), Contains("--data"));
}

TEST_CASE("dcgan: the presets follow the architecture's recipe", "[dcgan][config]") {
  const auto parsed = [](std::vector<const char*> args) {
    Config c;
    args.insert(args.begin(), "dcgan");
    REQUIRE(parse_config(static_cast<int>(args.size()), args.data(), c));
    return c;
  };
  const Config radford = parsed({"--arch", "radford64", "--preset", "seed"});
  CHECK(radford.batch == 128);
  CHECK(radford.lr == 2e-4);
  CHECK(radford.beta1 == 0.5);
  const Config wlu = parsed({"--arch", "wlu128", "--preset", "seed"});
  CHECK(wlu.batch == 64);
  CHECK(wlu.epochs == 3);
  CHECK(wlu.lr == 1e-4);
  CHECK(wlu.beta1 == 0.9);
  // The quick preset trains wlu128 at Radford's rate and beta1: at its
  // source's, 300 steps show no faces.
  const Config wlu_quick = parsed({"--arch", "wlu128"});
  CHECK(wlu_quick.batch == 16);
  CHECK(wlu_quick.epochs == 2);
  CHECK(wlu_quick.lr == 2e-4);
  CHECK(wlu_quick.beta1 == 0.5);
  const Config wlu_quick_lr = parsed({"--arch", "wlu128", "--lr", "3e-4"});
  CHECK(wlu_quick_lr.lr == 3e-4);
  CHECK(wlu_quick_lr.beta1 == 0.5);
  const Config radford_quick = parsed({"--arch", "radford64"});
  CHECK(radford_quick.lr == 2e-4);
  CHECK(radford_quick.batch == 32);
  const Config tutorial = parsed({"--arch", "tutorial28", "--preset", "seed", "--lr", "1e-3"});
  CHECK(tutorial.batch == 16);
  CHECK(tutorial.epochs == 2);
  CHECK(tutorial.real_target == 0.9);
  CHECK(tutorial.g_target == 0.9);
  CHECK(tutorial.lr == 1e-3);
}

TEST_CASE("dcgan: tutorial28 and radford64 train on Fashion-MNIST with one channel", "[dcgan][fashion_mnist]") {
  if (!nn::data::fashion_mnist_available()) {
    WARN("Fashion-MNIST is not installed in " << nn::data::kFashionMnistDir
                                              << " (Debian package dataset-fashion-mnist); skipping");
    return;
  }
  const std::string arch = GENERATE(as<std::string>(), "tutorial28", "radford64");
  INFO(arch);
  const fs::path root = scratch("fashion_" + arch);
  Config c = tiny_run(arch, root / "run", root / "cache", 2);
  c.dataset = "fashion-mnist";
  c.fraction = 0.001;
  REQUIRE(train_mode(c) == 0);
  CHECK(finite_rows(root / "run" / "losses.csv") == 2);
  const nn::SafetensorsFile g = nn::load_safetensors((root / "run" / "generator.safetensors").string());
  CHECK_THAT(g.metadata.at("config"), Contains("fashion-mnist"));
}

TEST_CASE("dcgan: training evaluates into eval.csv, and --evaluate gives the same figures every time",
          "[dcgan][evaluation]") {
  const fs::path root = scratch("evaluation");
  nn::data::ensure_synthetic_celeba((root / "faces").string(), 300, 5);
  Config c = tiny_run("tutorial28", root / "run", root / "cache", 0);
  c.data = (root / "faces").string();
  c.batch = 16;
  c.epochs = 2;
  c.eval_every = 1;
  c.eval_images = 40;
  REQUIRE(train_mode(c) == 0);
  for (const char* file : {"eval.csv", "eval.svg"}) CHECK(fs::exists(root / "run" / file));
  const nn::apps::CsvTable table = nn::apps::CsvTable::read((root / "run" / "eval.csv").string());
  REQUIRE(table.rows() == 2);
  for (const char* column : {"frechet", "frechet_floor", "diversity_ratio"})
    for (double v : table.numbers(column)) CHECK(std::isfinite(v));
  // Faces have no classes: those cells stay empty.
  for (double v : table.numbers("covered_classes")) CHECK(std::isnan(v));

  Config evaluate;
  evaluate.evaluate = (root / "run" / "checkpoint_last.safetensors").string();
  evaluate.cache_dir = c.cache_dir;
  evaluate.eval_images = 40;
  REQUIRE(evaluate_mode(evaluate) == 0);
  const std::string first = nn::testing::read_bytes(root / "run" / "eval.json");
  REQUIRE(evaluate_mode(evaluate) == 0);
  CHECK(nn::testing::read_bytes(root / "run" / "eval.json") == first);
  const nn::json::Value scores = nn::json::parse(first);
  CHECK(scores.find("scores")->find("frechet")->as_number() == table.numbers("frechet").back());
}

TEST_CASE("dcgan: a run that evaluates every epoch resumes bitwise too", "[dcgan][resume][evaluation]") {
  const fs::path root = scratch("resume_evaluated");
  nn::data::ensure_synthetic_celeba((root / "faces").string(), 300, 5);
  const auto run = [&](const fs::path& out, std::int64_t steps) {
    Config c = tiny_run("tutorial28", out, root / "cache", steps);
    c.data = (root / "faces").string();
    c.batch = 16;
    c.epochs = 2;
    c.eval_every = 1;
    c.eval_images = 20;
    return c;
  };
  REQUIRE(train_mode(run(root / "straight", 0)) == 0);
  REQUIRE(train_mode(run(root / "stopped", 20)) == 0);
  Config resumed = run(root / "stopped", 0);
  resumed.resume = (root / "stopped" / "checkpoint_step_20.safetensors").string();
  resumed.given = {"--resume", "--steps"};
  REQUIRE(train_mode(resumed) == 0);
  const nn::SafetensorsFile a = nn::load_safetensors((root / "straight" / "checkpoint_last.safetensors").string());
  const nn::SafetensorsFile b = nn::load_safetensors((root / "stopped" / "checkpoint_last.safetensors").string());
  for (const auto& [name, t] : a.tensors) {
    INFO(name);
    CHECK(t.to_vector<double>() == b.tensors.at(name).to_vector<double>());
  }
  CHECK(nn::testing::read_bytes(root / "straight" / "losses.csv") ==
        nn::testing::read_bytes(root / "stopped" / "losses.csv"));
}
