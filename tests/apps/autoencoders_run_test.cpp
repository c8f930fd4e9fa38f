// celeba_autoencoders' runs end to end on tiny data: every model's run
// folder, the pretrained encoders, resume, the other modes and bad input.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "celeba_autoencoders/config.hpp"
#include "celeba_autoencoders/modes.hpp"
#include "common/cli.hpp"
#include "celeba_autoencoders/latent_statistics.hpp"
#include "celeba_autoencoders/models.hpp"
#include "common/plot.hpp"
#include "nn/data/synthetic_faces.hpp"
#include "nn/nn.hpp"
#include "support/file_bytes.hpp"

using namespace autoencoders;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "libnn_autoencoders_run_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Config tiny_run(const std::string& model, const fs::path& out, const fs::path& cache, std::int64_t steps) {
  Config c;
  const char* argv[] = {"celeba_autoencoders", "--model", model.c_str(), "--encoder", "unused"};
  // model1 and model3 insist on --encoder; the tests set it themselves.
  const bool needs_encoder = model == "model1" || model == "model3";
  REQUIRE(parse_config(needs_encoder ? 5 : 3, argv, c));
  c.given.clear();
  c.encoder.clear();
  c.out = out.string();
  c.cache_dir = cache.string();
  c.synthetic_count = 40;  // 32 to train on, 4 to validate, 4 to test
  c.batch = 4;
  c.epochs = 1;
  c.steps = steps;
  c.eval_every = 0;  // the judge's cost is tested on its own below
  return c;
}

// Trains a tiny encoder run into root/<model> and returns its last checkpoint.
std::string tiny_encoder(const std::string& model, const fs::path& root) {
  REQUIRE(train_mode(tiny_run(model, root / model, root / "cache", 2)) == 0);
  return (root / model / "checkpoint_last.safetensors").string();
}

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

void check_same_tensors(const fs::path& a_path, const fs::path& b_path) {
  const nn::SafetensorsFile a = nn::load_safetensors(a_path.string());
  const nn::SafetensorsFile b = nn::load_safetensors(b_path.string());
  REQUIRE(a.tensors.size() == b.tensors.size());
  for (const auto& [name, t] : a.tensors) {
    INFO(name);
    CHECK(t.to_vector<double>() == b.tensors.at(name).to_vector<double>());
  }
}

}  // namespace

TEST_CASE("celeba_autoencoders: the encoders train and write their run folders", "[autoencoders][smoke]") {
  const std::string model = GENERATE(as<std::string>(), "encoder1", "encoder2");
  INFO(model);
  const fs::path root = scratch("smoke_" + model);
  tiny_encoder(model, root);
  for (const char* file : {"config.json", "losses.csv", "validation.csv", "losses.svg", "validation.svg",
                           "checkpoint_last.safetensors", "checkpoint_step_2.safetensors"})
    CHECK(fs::exists(root / model / file));
  CHECK(finite_rows(root / model / "losses.csv") == 2);
  const nn::apps::CsvTable validation = nn::apps::CsvTable::read((root / model / "validation.csv").string());
  REQUIRE(validation.rows() == 1);
  const double accuracy = validation.numbers("validation_accuracy").front();
  CHECK((accuracy >= 0 && accuracy <= 1));
  CHECK(!fs::exists(root / model / "samples_epoch_001.png"));
}

TEST_CASE("celeba_autoencoders: each autoencoder trains and writes its run folder and sheets",
          "[autoencoders][smoke]") {
  const std::string model = GENERATE(as<std::string>(), "model1", "model2", "model3", "model4");
  INFO(model);
  const fs::path root = scratch("smoke_" + model);
  Config c = tiny_run(model, root / "run", root / "cache", 3);
  if (model == "model1") c.encoder = tiny_encoder("encoder1", root);
  if (model == "model3") c.encoder = tiny_encoder("encoder2", root);
  REQUIRE(train_mode(c) == 0);
  for (const char* file : {"config.json", "losses.csv", "validation.csv", "losses.svg", "validation.svg",
                           "reconstructions_epoch_001.png", "samples_epoch_001.png", "checkpoint_last.safetensors",
                           "checkpoint_step_3.safetensors"})
    CHECK(fs::exists(root / "run" / file));
  const bool attribute_latent = model == "model1" || model == "model3";
  CHECK(fs::exists(root / "run" / "attribute_faces_epoch_001.png") == attribute_latent);
  CHECK(finite_rows(root / "run" / "losses.csv") == 3);
  CHECK(finite_rows(root / "run" / "validation.csv") == 1);
  const int side = model == "model1" || model == "model2" ? 64 : 128;
  const nn::Image samples = nn::read_image((root / "run" / "samples_epoch_001.png").string());
  CHECK(samples.width == 8 * side + 7 * 2);  // 64 faces, 2-pixel margins
  // The 4 validation faces above their 4 reconstructions.
  const nn::Image reconstructions = nn::read_image((root / "run" / "reconstructions_epoch_001.png").string());
  CHECK(reconstructions.width == 4 * side + 3 * 2);
  CHECK(reconstructions.height == 2 * side + 2);
  const nn::SafetensorsFile last = nn::load_safetensors((root / "run" / "checkpoint_last.safetensors").string());
  CHECK_NOTHROW(LatentStatistics::from_metadata(last.metadata.at("latent_statistics"), "last"));
}

TEST_CASE("celeba_autoencoders: model3 keeps its pretrained encoder2 bitwise, model1 fine-tunes encoder1",
          "[autoencoders][pretrained]") {
  const fs::path root = scratch("pretrained");
  const std::string encoder2 = tiny_encoder("encoder2", root);
  const std::string encoder1 = tiny_encoder("encoder1", root);
  const auto encoder_tensors = [](const std::string& path, const std::string& prefix) {
    std::map<std::string, std::vector<double>> out;
    for (const auto& [name, t] : nn::load_safetensors(path).tensors)
      if (name.rfind(prefix, 0) == 0) out[name.substr(prefix.size())] = t.to_vector<double>();
    return out;
  };
  Config three = tiny_run("model3", root / "three", root / "cache", 3);
  three.encoder = encoder2;
  REQUIRE(train_mode(three) == 0);
  const auto before = encoder_tensors(encoder2, "encoder.");
  REQUIRE(!before.empty());
  CHECK(encoder_tensors((root / "three" / "checkpoint_last.safetensors").string(), "autoencoder.encoder.") == before);

  Config one = tiny_run("model1", root / "one", root / "cache", 3);
  one.encoder = encoder1;
  REQUIRE(train_mode(one) == 0);
  const auto start = encoder_tensors(encoder1, "encoder.");
  const auto tuned = encoder_tensors((root / "one" / "checkpoint_last.safetensors").string(), "autoencoder.encoder.");
  REQUIRE(start.size() == tuned.size());
  CHECK(start != tuned);
}

TEST_CASE("celeba_autoencoders: model1 and model3 refuse a missing or mismatched pretrained encoder",
          "[autoencoders][pretrained]") {
  const fs::path root = scratch("pretrained_refusals");
  const char* argv[] = {"celeba_autoencoders", "--model", "model1"};
  Config c;
  CHECK_THROWS_WITH(parse_config(3, argv, c), Contains("--encoder"));
  const char* argv2[] = {"celeba_autoencoders", "--model", "model2", "--encoder", "e.safetensors"};
  CHECK_THROWS_WITH(parse_config(5, argv2, c), Contains("--encoder applies to model1 and model3"));
  Config one = tiny_run("model1", root / "one", root / "cache", 1);
  one.encoder = tiny_encoder("encoder2", root);
  CHECK_THROWS_WITH(train_mode(one), Contains(one.encoder) && Contains("encoder2") && Contains("encoder1"));
  CHECK(!fs::exists(root / "one" / "config.json"));
}

TEST_CASE("celeba_autoencoders: resuming equals training without a stop (bitwise on CPU)",
          "[autoencoders][resume]") {
  const std::string model = GENERATE(as<std::string>(), "encoder1", "model4");
  INFO(model);
  const fs::path root = scratch("resume_" + model);
  const auto run = [&](const fs::path& out, std::int64_t steps) {
    Config c = tiny_run(model, out, root / "cache", steps);
    c.epochs = 2;
    return c;
  };
  REQUIRE(train_mode(run(root / "straight", 0)) == 0);
  REQUIRE(train_mode(run(root / "stopped", 5)) == 0);
  Config resumed = run(root / "stopped", 0);
  resumed.resume = (root / "stopped" / "checkpoint_step_5.safetensors").string();
  resumed.given = {"--resume", "--steps"};
  REQUIRE(train_mode(resumed) == 0);
  check_same_tensors(root / "straight" / "checkpoint_last.safetensors",
                     root / "stopped" / "checkpoint_last.safetensors");
  CHECK(nn::testing::read_bytes(root / "straight" / "losses.csv") ==
        nn::testing::read_bytes(root / "stopped" / "losses.csv"));
  // The stopped run also validated where it stopped (step 5); every row of
  // the straight run is there too, the same to the last digit.
  std::istringstream straight(nn::testing::read_bytes(root / "straight" / "validation.csv"));
  const std::string stopped = nn::testing::read_bytes(root / "stopped" / "validation.csv");
  for (std::string line; std::getline(straight, line);) CHECK_THAT(stopped, Contains(line + "\n"));
  CHECK_THAT(stopped, Contains("\n5,1,"));
}

TEST_CASE("celeba_autoencoders: --generate samples faces and decodes attribute vectors, the same for the same seed",
          "[autoencoders][generate]") {
  const fs::path root = scratch("generate");
  Config c = tiny_run("model1", root / "run", root / "cache", 2);
  c.encoder = tiny_encoder("encoder1", root);
  REQUIRE(train_mode(c) == 0);
  Config generate;
  generate.generate = (root / "run" / "checkpoint_last.safetensors").string();
  generate.samples = 9;
  generate.attr_rows = {"Male,Smiling", "none", "all"};
  generate.out = (root / "a").string();
  REQUIRE(generate_mode(generate) == 0);
  generate.out = (root / "b").string();
  REQUIRE(generate_mode(generate) == 0);
  const nn::Image sampled = nn::read_image((root / "a" / "sampled.png").string());
  CHECK(sampled.width == 3 * 64 + 2 * 2);
  const nn::Image attributes = nn::read_image((root / "a" / "attribute_faces.png").string());
  CHECK(attributes.width == 3 * 64 + 2 * 2);
  CHECK(attributes.height == 64);
  CHECK(nn::testing::read_bytes(root / "a" / "sampled.png") == nn::testing::read_bytes(root / "b" / "sampled.png"));

  Config reconstruct;
  reconstruct.reconstruct = generate.generate;
  reconstruct.out = (root / "c").string();
  reconstruct.cache_dir = c.cache_dir;
  REQUIRE(reconstruct_mode(reconstruct) == 0);
  CHECK(fs::exists(root / "c" / "reconstructions.png"));

  Config two = tiny_run("model2", root / "two", root / "cache", 1);
  REQUIRE(train_mode(two) == 0);
  generate.generate = (root / "two" / "checkpoint_last.safetensors").string();
  CHECK_THROWS_WITH(generate_mode(generate), Contains("--attr needs model1 or model3"));
  generate.generate = c.encoder;
  generate.attr_rows.clear();
  CHECK_THROWS_WITH(generate_mode(generate), Contains("encoder1 run"));
  // A checkpoint without the run's settings is not one of this program's.
  Autoencoder bare(ModelKind::model2);
  const std::string foreign = (root / "foreign.safetensors").string();
  nn::save_checkpoint(foreign, {{{"autoencoder", &bare}}, {}});
  generate.generate = foreign;
  CHECK_THROWS_WITH(generate_mode(generate), Contains(foreign) && Contains("is it a checkpoint of celeba_autoencoders"));
}

TEST_CASE("celeba_autoencoders: training evaluates into eval.csv, and --evaluate gives the same figures every time",
          "[autoencoders][evaluation]") {
  const fs::path root = scratch("evaluation");
  nn::data::ensure_synthetic_celeba((root / "faces").string(), 300, 5);
  const auto run = [&](const std::string& model, const fs::path& out) {
    Config c = tiny_run(model, out, root / "cache", 0);
    c.data = (root / "faces").string();
    c.batch = 16;
    c.eval_every = 1;
    c.eval_images = 20;
    return c;
  };
  REQUIRE(train_mode(run("encoder1", root / "encoder1")) == 0);
  const nn::apps::CsvTable encoder_eval = nn::apps::CsvTable::read((root / "encoder1" / "eval.csv").string());
  REQUIRE(encoder_eval.rows() == 1);
  const double accuracy = encoder_eval.numbers("test_accuracy").front();
  CHECK((accuracy > 0.5 && accuracy <= 1));

  Config one = run("model1", root / "one");
  one.encoder = (root / "encoder1" / "checkpoint_last.safetensors").string();
  REQUIRE(train_mode(one) == 0);
  const nn::apps::CsvTable table = nn::apps::CsvTable::read((root / "one" / "eval.csv").string());
  REQUIRE(table.rows() == 1);
  for (const char* column : {"frechet", "frechet_floor", "diversity_ratio", "control", "sheet_control"})
    for (double v : table.numbers(column)) CHECK(std::isfinite(v));

  Config evaluate;
  evaluate.evaluate = (root / "one" / "checkpoint_last.safetensors").string();
  evaluate.cache_dir = one.cache_dir;
  evaluate.eval_images = 20;
  evaluate.given = {"--evaluate", "--cache", "--eval-images"};
  REQUIRE(evaluate_mode(evaluate) == 0);
  const std::string first = nn::testing::read_bytes(root / "one" / "eval.json");
  REQUIRE(evaluate_mode(evaluate) == 0);
  CHECK(nn::testing::read_bytes(root / "one" / "eval.json") == first);
  const nn::json::Value scores = nn::json::parse(first);
  CHECK(scores.find("sampled")->find("frechet")->as_number() == table.numbers("frechet").back());

  evaluate.evaluate = one.encoder;
  REQUIRE(evaluate_mode(evaluate) == 0);
  const nn::json::Value encoder_scores = nn::json::parse(nn::testing::read_bytes(root / "encoder1" / "eval.json"));
  CHECK(encoder_scores.find("mean_accuracy")->as_number() == Approx(accuracy));
}

TEST_CASE("celeba_autoencoders: the seed preset takes the report's rates, batch and epochs, quick its own",
          "[autoencoders][config]") {
  struct Expected {
    const char* model;
    double lr;
    int epochs;
    double quick_lr;
  };
  for (const Expected& e : {Expected{"encoder1", 5e-4, 30, 2e-3}, Expected{"encoder2", 3e-4, 17, 2e-3},
                            Expected{"model1", 1e-3, 100, 1e-3}, Expected{"model2", 6.5e-4, 100, 6.5e-4},
                            Expected{"model3", 5e-4, 10, 5e-4}, Expected{"model4", 1e-4, 100, 4.5e-4}}) {
    INFO(e.model);
    std::vector<const char*> seed = {"celeba_autoencoders", "--model", e.model, "--preset", "seed"};
    std::vector<const char*> quick = {"celeba_autoencoders", "--model", e.model};
    if (std::string(e.model) == "model1" || std::string(e.model) == "model3") {
      seed.insert(seed.end(), {"--encoder", "e.safetensors"});
      quick.insert(quick.end(), {"--encoder", "e.safetensors"});
    }
    Config c, q;
    REQUIRE(parse_config(static_cast<int>(seed.size()), seed.data(), c));
    CHECK(c.lr == e.lr);
    CHECK(c.epochs == e.epochs);
    CHECK(c.batch == 128);
    REQUIRE(parse_config(static_cast<int>(quick.size()), quick.data(), q));
    CHECK(q.lr == e.quick_lr);
    CHECK(q.preset == "quick");
    CHECK(q.batch == 32);
  }
  Config c;
  const char* argv[] = {"celeba_autoencoders", "--model", "model4", "--lr", "4.5e-4"};
  REQUIRE(parse_config(5, argv, c));
  CHECK(c.lr == 4.5e-4);
}

TEST_CASE("celeba_autoencoders: --summary prints the model's table", "[autoencoders][summary]") {
  Config c;
  const char* argv[] = {"celeba_autoencoders", "--summary", "--model", "model4"};
  REQUIRE(parse_config(4, argv, c));
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  const int status = summary_mode(c);
  std::cout.rdbuf(old);
  CHECK(status == 0);
  CHECK_THAT(captured.str(), Contains("BatchNorm") && Contains("ConvTranspose"));
}

TEST_CASE("celeba_autoencoders: bad command lines are refused with one line naming the option",
          "[autoencoders][config]") {
  Config c, d, e, f;
  const char* unknown[] = {"celeba_autoencoders", "--model", "model9"};
  CHECK_THROWS_WITH(parse_config(3, unknown, c), Contains("--model") && Contains("model9"));
  const char* attr[] = {"celeba_autoencoders", "--generate", "x.safetensors", "--attr", "Smilling"};
  CHECK_THROWS_WITH(parse_config(5, attr, d), Contains("--attr") && Contains("Smilling"));
  const char* mixed[] = {"celeba_autoencoders", "--generate", "x.safetensors", "--evaluate", "y.safetensors"};
  CHECK_THROWS_WITH(parse_config(5, mixed, e), Contains("separate modes"));
  const char* samples[] = {"celeba_autoencoders", "--model", "model2", "--samples", "4"};
  CHECK_THROWS_WITH(parse_config(5, samples, f), Contains("--samples does not apply to training"));
}

TEST_CASE("celeba_autoencoders: a run started with --init-from resumes twice and its checkpoints stay readable",
          "[autoencoders][resume]") {
  const fs::path root = scratch("init_from_resume");
  REQUIRE(train_mode(tiny_run("model2", root / "a", root / "cache", 2)) == 0);
  const auto run_b = [&](std::int64_t steps) {
    Config c = tiny_run("model2", root / "b", root / "cache", steps);
    c.epochs = 2;
    return c;
  };
  Config b = run_b(3);
  b.init_from = (root / "a" / "checkpoint_last.safetensors").string();
  REQUIRE(train_mode(b) == 0);
  // The weights it started from are not needed to continue.
  fs::remove_all(root / "a");
  for (const auto& [from, to] : {std::pair{3, 5}, std::pair{5, 0}}) {
    INFO("resumed at step " << from);
    Config resumed = run_b(to);
    resumed.resume = (root / "b" / ("checkpoint_step_" + std::to_string(from) + ".safetensors")).string();
    resumed.given = {"--resume", "--steps"};
    REQUIRE(train_mode(resumed) == 0);
  }
  Config generate;
  generate.generate = (root / "b" / "checkpoint_last.safetensors").string();
  generate.out = (root / "sheet").string();
  CHECK(generate_mode(generate) == 0);
  const std::string config = nn::testing::read_bytes(root / "b" / "config.json");
  CHECK_THAT(config, Contains("checkpoint_last.safetensors"));  // where it started, kept
}
