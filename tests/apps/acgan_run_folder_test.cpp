// acgan_celeba as a user runs it: the program itself, launched on tiny runs,
// checked for its exit status, its messages and what it leaves in the run folder.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <thread>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>

#include <nn/nn.hpp>

#include "support/file_bytes.hpp"
#include "support/scratch_dir.hpp"

namespace fs = std::filesystem;
using nn::testing::read_bytes;
using nn::testing::write_bytes;

namespace {

struct AppResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

AppResult run_app(const nn::testing::ScratchDir& dir, const std::string& args) {
  const std::string log = dir.file("app.log");
  const std::string command = std::string(ACGAN_CELEBA_EXE) + " " + args + " > " + log + " 2>&1";
  const int raw = std::system(command.c_str());
  AppResult result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  result.output = read_bytes(log);
  UNSCOPED_INFO("acgan_celeba " << args << "\n" << result.output);
  return result;
}

// 20 synthetic faces make two batches of 8 per epoch.
std::string tiny(const nn::testing::ScratchDir& dir, const std::string& out = "run") {
  return "--synthetic-count 20 --batch 8 --eval-every 0 --cache " + dir.file("cache") + " --out " + dir.file(out);
}

// Starts the program in the background; returns its process id.
pid_t launch_app(const nn::testing::ScratchDir& dir, const std::string& args) {
  const std::string command = "exec " + std::string(ACGAN_CELEBA_EXE) + " " + args + " > " + dir.file("bg.log") + " 2>&1";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Whole checkpoints are too big for Catch to print when a comparison fails.
bool same_bytes(const fs::path& path, const std::string& bytes) { return read_bytes(path) == bytes; }

int csv_rows(const fs::path& path) {
  std::istringstream lines(read_bytes(path));
  std::string line;
  int rows = -1;  // the header
  while (std::getline(lines, line)) ++rows;
  return rows;
}

// A copy of a checkpoint with one value of the tensor `name` set to `value`.
void poison_checkpoint(const fs::path& from, const fs::path& to, const std::string& name, float value) {
  nn::SafetensorsFile file = nn::load_safetensors(from.string());
  std::vector<float> values = file.tensors.at(name).to_vector<float>();
  values[0] = value;
  file.tensors.at(name) = nn::from_vector(values, file.tensors.at(name).shape());
  nn::save_safetensors(to.string(), file.tensors, file.metadata);
}

}  // namespace

TEST_CASE("a new run refuses a folder that holds another run's files unless --overwrite", "[acgan][run_folder]") {
  nn::testing::ScratchDir dir("acgan_folder_owned");
  REQUIRE(run_app(dir, tiny(dir) + " --epochs 1").status == 0);
  const fs::path run = dir.path / "run";
  const std::string config = read_bytes(run / "config.json"), losses = read_bytes(run / "losses.csv"),
                    checkpoint = read_bytes(run / "checkpoint_last.safetensors");

  const AppResult refused = run_app(dir, tiny(dir) + " --epochs 1 --lr 0.01");
  CHECK(refused.status == 1);
  CHECK_THAT(refused.output, Catch::Matchers::Contains("--overwrite") && Catch::Matchers::Contains("--resume"));
  CHECK(read_bytes(run / "config.json") == config);
  CHECK(read_bytes(run / "losses.csv") == losses);
  CHECK(same_bytes(run / "checkpoint_last.safetensors", checkpoint));

  const AppResult overwritten = run_app(dir, tiny(dir) + " --epochs 1 --steps 1 --lr 0.01 --overwrite");
  CHECK(overwritten.status == 0);
  CHECK(csv_rows(run / "losses.csv") == 1);
}

TEST_CASE("a run on a folder locked by another process stops and names the holder", "[acgan][run_folder]") {
  nn::testing::ScratchDir dir("acgan_folder_locked");
  const fs::path run = dir.path / "run";
  fs::create_directories(run);
  // This test process plays the other run: it holds the folder's lock.
  const int fd = ::open((run / ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  const std::string holder = "pid " + std::to_string(::getpid()) + ", started 2026-01-02T03:04:05Z\n";
  REQUIRE(::write(fd, holder.data(), holder.size()) == static_cast<ssize_t>(holder.size()));

  const AppResult second = run_app(dir, tiny(dir) + " --steps 1");
  ::close(fd);
  CHECK(second.status == 1);
  CHECK_THAT(second.output, Catch::Matchers::Contains("pid " + std::to_string(::getpid())) &&
                                Catch::Matchers::Contains("2026-01-02T03:04:05Z"));
  CHECK_FALSE(fs::exists(run / "losses.csv"));
}

TEST_CASE("stale temporary files of atomic writes are swept at start, other files kept", "[acgan][run_folder]") {
  nn::testing::ScratchDir dir("acgan_folder_sweep");
  REQUIRE(run_app(dir, tiny(dir) + " --steps 1").status == 0);
  const fs::path run = dir.path / "run";
  write_bytes(run / "checkpoint_last.safetensors.tmp-4242", "half a checkpoint");
  write_bytes(run / "config.json.tmp-17", "{\"trunc");
  write_bytes(run / "notes.txt", "mine");
  const AppResult resumed = run_app(dir, "--resume " + (run / "checkpoint_last.safetensors").string() + " --steps 2");
  CHECK(resumed.status == 0);
  CHECK_FALSE(fs::exists(run / "checkpoint_last.safetensors.tmp-4242"));
  CHECK_FALSE(fs::exists(run / "config.json.tmp-17"));
  CHECK(read_bytes(run / "notes.txt") == "mine");
}

TEST_CASE("resume continues the run: more epochs train on, the logs keep their rows, the change is recorded",
          "[acgan][resume]") {
  nn::testing::ScratchDir dir("acgan_resume_more");
  REQUIRE(run_app(dir, tiny(dir) + " --epochs 1").status == 0);
  const fs::path run = dir.path / "run";
  const std::string old_losses = read_bytes(run / "losses.csv");
  REQUIRE(csv_rows(run / "losses.csv") == 2);

  // --out defaults to the checkpoint's folder.
  const AppResult resumed = run_app(dir, "--resume " + (run / "checkpoint_last.safetensors").string() + " --epochs 2");
  REQUIRE(resumed.status == 0);
  CHECK_THAT(resumed.output, Catch::Matchers::Contains("--epochs"));
  CHECK(csv_rows(run / "losses.csv") == 4);
  CHECK(read_bytes(run / "losses.csv").substr(0, old_losses.size()) == old_losses);
  const nn::Metadata meta = nn::load_safetensors((run / "checkpoint_last.safetensors").string()).metadata;
  CHECK(meta.at("step") == "4");
  const nn::json::Value config = nn::json::parse(read_bytes(run / "config.json"));
  CHECK(config.find("epochs")->as_integer() == 2);
  CHECK(config.find("batch")->as_integer() == 8);
  const nn::json::Value* changes = config.find("changes");
  REQUIRE(changes != nullptr);
  REQUIRE(changes->items().size() == 1);
  CHECK(changes->items()[0].find("step")->as_integer() == 2);
  CHECK(changes->items()[0].find("flag")->as_string() == "--epochs");
}

TEST_CASE("resume refuses a change that would mix two runs' settings, before writing anything", "[acgan][resume]") {
  nn::testing::ScratchDir dir("acgan_resume_refused");
  REQUIRE(run_app(dir, tiny(dir) + " --steps 1").status == 0);
  const fs::path run = dir.path / "run";
  const std::string config = read_bytes(run / "config.json"), losses = read_bytes(run / "losses.csv");
  const std::string checkpoint = (run / "checkpoint_last.safetensors").string();
  for (const char* flag : {"--batch 4", "--lr 0.1", "--preset seed", "--dropout 0.2"}) {
    const AppResult refused = run_app(dir, "--resume " + checkpoint + " --epochs 3 " + flag);
    CHECK(refused.status == 2);
    CHECK_THAT(refused.output, Catch::Matchers::Contains(std::string(flag).substr(0, std::string(flag).find(' '))) &&
                                   Catch::Matchers::Contains("--out"));
  }
  const AppResult typo = run_app(dir, "--resume " + checkpoint + "x --epochs 3");
  CHECK(typo.status == 1);
  CHECK(read_bytes(run / "config.json") == config);
  CHECK(read_bytes(run / "losses.csv") == losses);
}

// The largest difference between the generator weights of two checkpoints.
// The largest difference between G's weights in checkpoint a and those under `b_prefix` in b.
double generator_distance(const fs::path& a, const fs::path& b, const std::string& b_prefix = "G") {
  const nn::SafetensorsFile fa = nn::load_safetensors(a.string()), fb = nn::load_safetensors(b.string());
  double most = 0;
  for (const auto& [name, tensor] : fa.tensors) {
    if (name.rfind("G.", 0) != 0) continue;
    const std::vector<double> x = tensor.to_vector<double>(),
                              y = fb.tensors.at(b_prefix + name.substr(1)).to_vector<double>();
    for (std::size_t i = 0; i < x.size(); ++i) most = std::max(most, std::abs(x[i] - y[i]));
  }
  return most;
}

TEST_CASE("a new run given --init-from starts from another run's weights with its own settings", "[acgan][resume]") {
  nn::testing::ScratchDir dir("acgan_init_from");
  REQUIRE(run_app(dir, tiny(dir, "a") + " --steps 1").status == 0);
  const fs::path a = dir.path / "a" / "checkpoint_last.safetensors";
  // At a vanishing learning rate one step leaves the weights where they started.
  const std::string still = " --steps 1 --lr 1e-12";
  REQUIRE(run_app(dir, tiny(dir, "b") + still + " --init-from " + a.string()).status == 0);
  REQUIRE(run_app(dir, tiny(dir, "c") + still).status == 0);
  CHECK(generator_distance(a, dir.path / "b" / "checkpoint_last.safetensors") < 1e-6);
  CHECK(generator_distance(a, dir.path / "c" / "checkpoint_last.safetensors") > 1e-4);
  CHECK_THAT(read_bytes(dir.path / "b" / "config.json"), Catch::Matchers::Contains("\"init_from\": \"" + a.string()));
  CHECK(csv_rows(dir.path / "b" / "losses.csv") == 1);
  // The running average of G starts from the weights taken in too.
  REQUIRE(run_app(dir, tiny(dir, "d") + still + " --g-average 0.9 --init-from " + a.string()).status == 0);
  CHECK(generator_distance(a, dir.path / "d" / "checkpoint_last.safetensors", "G_average") < 1e-6);

  const AppResult both = run_app(dir, "--resume " + a.string() + " --init-from " + a.string() + " --epochs 3");
  CHECK(both.status == 2);
  const AppResult refused = run_app(dir, "--resume " + a.string() + " --epochs 3 --lr 0.1");
  CHECK_THAT(refused.output, Catch::Matchers::Contains("--init-from " + a.string()));
}

TEST_CASE("resuming a finished run with nothing left to train is an error that says how to extend it",
          "[acgan][resume]") {
  nn::testing::ScratchDir dir("acgan_resume_nothing");
  REQUIRE(run_app(dir, tiny(dir) + " --epochs 1").status == 0);
  const std::string checkpoint = dir.file("run/checkpoint_last.safetensors");
  for (const std::string& more : {std::string(""), std::string("--steps 2"), std::string("--steps 3")}) {
    const AppResult nothing = run_app(dir, "--resume " + checkpoint + " " + more);
    CHECK(nothing.status == 2);
    CHECK_THAT(nothing.output, Catch::Matchers::Contains("--epochs"));
  }
}

TEST_CASE("a torn last line of the logs is dropped on resume, any other bad row names the file and line",
          "[acgan][resume]") {
  nn::testing::ScratchDir dir("acgan_resume_torn");
  REQUIRE(run_app(dir, tiny(dir) + " --steps 1").status == 0);
  const fs::path run = dir.path / "run";
  const std::string checkpoint = (run / "checkpoint_last.safetensors").string();
  const std::string losses = read_bytes(run / "losses.csv");
  write_bytes(run / "losses.csv", losses + "2,1,1.38");  // a crash in the middle of the next row

  const AppResult torn = run_app(dir, "--resume " + checkpoint + " --steps 2");
  REQUIRE(torn.status == 0);
  CHECK_THAT(torn.output, Catch::Matchers::Contains("losses.csv") && Catch::Matchers::Contains("torn"));
  CHECK(csv_rows(run / "losses.csv") == 2);
  CHECK(read_bytes(run / "losses.csv").substr(0, losses.size()) == losses);

  const std::string metrics = read_bytes(run / "metrics.csv");
  write_bytes(run / "metrics.csv", metrics.substr(0, metrics.find('\n') + 1) + "1,1,zero,0,0\n" +
                                       metrics.substr(metrics.find('\n') + 1));
  const AppResult bad = run_app(dir, "--resume " + checkpoint + " --steps 3");
  CHECK(bad.status == 1);
  CHECK_THAT(bad.output, Catch::Matchers::Contains("metrics.csv:2"));
}

TEST_CASE("checkpoint metadata is validated and errors name the file", "[acgan][resume]") {
  nn::testing::ScratchDir dir("acgan_resume_metadata");
  REQUIRE(run_app(dir, tiny(dir) + " --steps 1").status == 0);
  const fs::path run = dir.path / "run";
  nn::SafetensorsFile file = nn::load_safetensors((run / "checkpoint_last.safetensors").string());
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"step", "1x"}, {"step", "-3"}, {"batch_in_epoch", "9"}, {"epoch", ""}, {"attribute_majority", "1,0,2"}}) {
    nn::Metadata meta = file.metadata;
    meta[key] = value;
    nn::save_safetensors((run / "bad.safetensors").string(), file.tensors, meta);
    const AppResult bad = run_app(dir, "--resume " + (run / "bad.safetensors").string() + " --steps 2");
    CHECK(bad.status == 1);
    CHECK_THAT(bad.output, Catch::Matchers::Contains("bad.safetensors") && Catch::Matchers::Contains(key));
  }
}

TEST_CASE("non-finite weights are refused, naming the tensor, in every mode that loads a checkpoint",
          "[acgan][checkpoint]") {
  nn::testing::ScratchDir dir("acgan_nan_weights");
  REQUIRE(run_app(dir, tiny(dir) + " --steps 1").status == 0);
  const fs::path run = dir.path / "run";
  const nn::SafetensorsFile file = nn::load_safetensors((run / "checkpoint_last.safetensors").string());
  std::string g_tensor, e_tensor;
  for (const auto& [name, t] : file.tensors) {
    if (g_tensor.empty() && name.rfind("G.", 0) == 0) g_tensor = name;
    if (e_tensor.empty() && name.rfind("E.", 0) == 0) e_tensor = name;
  }
  poison_checkpoint(run / "checkpoint_last.safetensors", dir.path / "nan_g.safetensors", g_tensor,
                    std::numeric_limits<float>::quiet_NaN());
  poison_checkpoint(run / "checkpoint_last.safetensors", dir.path / "inf_e.safetensors", e_tensor,
                    std::numeric_limits<float>::infinity());
  const AppResult generate =
      run_app(dir, "--generate " + dir.file("nan_g.safetensors") + " --attr Male --out " + dir.file("gen"));
  CHECK(generate.status == 1);
  CHECK_THAT(generate.output, Catch::Matchers::Contains(g_tensor));
  CHECK_FALSE(fs::exists(dir.path / "gen" / "generated.png"));

  const AppResult reconstruct = run_app(dir, "--reconstruct " + dir.file("inf_e.safetensors") + " --images " +
                                                 (run / "reconstructions_epoch_001.png").string() + " --out " +
                                                 dir.file("rec"));
  CHECK(reconstruct.status == 1);
  CHECK_THAT(reconstruct.output, Catch::Matchers::Contains(e_tensor));

  const AppResult resume =
      run_app(dir, "--resume " + dir.file("nan_g.safetensors") + " --out " + run.string() + " --steps 2");
  CHECK(resume.status == 1);
  CHECK_THAT(resume.output, Catch::Matchers::Contains(g_tensor));
}

TEST_CASE("generating honours --device", "[acgan][checkpoint]") {
  // Without a GPU, --device cuda must fail rather than quietly run on the CPU.
  nn::testing::ScratchDir dir("acgan_generate_device");
  REQUIRE(run_app(dir, tiny(dir) + " --steps 1").status == 0);
  const AppResult generate = run_app(dir, "--generate " + dir.file("run/checkpoint_last.safetensors") +
                                              " --attr Male --device cuda --out " + dir.file("gen"));
  CHECK(generate.status == (nn::cuda_available() ? 0 : 1));
  CHECK(fs::exists(dir.path / "gen" / "generated.png") == nn::cuda_available());
}

TEST_CASE("usage errors exit 2, and --version and --list-attributes answer and exit 0", "[acgan][cli]") {
  nn::testing::ScratchDir dir("acgan_usage");
  for (const std::string& args :
       {std::string("--batch many"), std::string("--no-such-flag"), std::string("--epochs"),
        std::string("--generate x.safetensors --attr ''"), std::string("--generate x.safetensors --attr ,"),
        std::string("--generate x.safetensors --attr Male --epochs 3"),
        std::string("--reconstruct x.safetensors --images a.png --lr 0.1"), std::string("--summary --batch 4")}) {
    const AppResult usage = run_app(dir, args + " --out " + dir.file("never"));
    CHECK(usage.status == 2);
    CHECK_FALSE(fs::exists(dir.path / "never"));
  }
  const AppResult version = run_app(dir, "--version");
  CHECK(version.status == 0);
  CHECK_THAT(version.output, Catch::Matchers::Contains(LIBNN_PROJECT_VERSION));
  const AppResult names = run_app(dir, "--list-attributes");
  CHECK(names.status == 0);
  CHECK_THAT(names.output, Catch::Matchers::Contains("Male") && Catch::Matchers::Contains("Wearing_Necktie"));
}

TEST_CASE("kill -9 at any moment leaves only loadable checkpoints and a run that resumes", "[acgan][kill]") {
  nn::testing::ScratchDir dir("acgan_kill");
  const fs::path run = dir.path / "run", last = run / "checkpoint_last.safetensors";
  const auto rows = [&] { return fs::exists(run / "losses.csv") ? csv_rows(run / "losses.csv") : 0; };
  // Polls every 20 ms for at most a minute.
  const auto wait_until = [](const std::function<bool()>& ready) {
    for (int i = 0; i < 3000 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  // Two steps an epoch, each epoch ending in a checkpoint: 40 epochs outlast
  // every round. The kills land soon after training starts, just after the
  // first checkpoint appears, and a second into training.
  struct Round {
    bool after_checkpoint;
    int milliseconds;
  };
  for (const Round round : {Round{false, 300}, Round{true, 100}, Round{false, 1000}}) {
    const int rows_before = rows();
    const std::string args =
        fs::exists(last) ? "--resume " + last.string() : tiny(dir) + " --epochs 40 --overwrite";
    const pid_t pid = launch_app(dir, args);
    REQUIRE(pid > 0);
    if (round.after_checkpoint) wait_until([&] { return fs::exists(last); });
    else wait_until([&] { return rows() > rows_before; });
    std::this_thread::sleep_for(std::chrono::milliseconds(round.milliseconds));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    INFO("killed " << round.milliseconds << " ms into the round: " << read_bytes(dir.path / "bg.log"));
    for (const fs::directory_entry& entry : fs::directory_iterator(run))
      if (entry.path().extension() == ".safetensors") {
        INFO(entry.path());
        CHECK_NOTHROW(nn::load_safetensors(entry.path().string()));
      }
  }
  REQUIRE(fs::exists(last));
  const std::int64_t step = std::stoll(nn::load_safetensors(last.string()).metadata.at("step"));
  const AppResult finished = run_app(dir, "--resume " + last.string() + " --steps " + std::to_string(step + 1));
  CHECK(finished.status == 0);
  CHECK(csv_rows(run / "losses.csv") == step + 1);
  std::istringstream lines(read_bytes(run / "losses.csv"));
  std::string line;
  std::getline(lines, line);
  for (std::int64_t expected = 1; std::getline(lines, line); ++expected)
    CHECK(line.substr(0, line.find(',')) == std::to_string(expected));
}

TEST_CASE("checkpoints kept: the newest --keep-checkpoints N, and generator.safetensors alone drives --generate",
          "[acgan][checkpoint]") {
  nn::testing::ScratchDir dir("acgan_keep");
  REQUIRE(run_app(dir, tiny(dir) + " --epochs 3 --keep-checkpoints 1").status == 0);
  const fs::path run = dir.path / "run";
  CHECK_FALSE(fs::exists(run / "checkpoint_epoch_001.safetensors"));
  CHECK_FALSE(fs::exists(run / "checkpoint_epoch_002.safetensors"));
  CHECK(fs::exists(run / "checkpoint_epoch_003.safetensors"));
  CHECK(fs::exists(run / "checkpoint_last.safetensors"));
  REQUIRE(fs::exists(run / "generator.safetensors"));
  CHECK(fs::file_size(run / "generator.safetensors") * 4 < fs::file_size(run / "checkpoint_last.safetensors"));
  const AppResult generate = run_app(dir, "--generate " + (run / "generator.safetensors").string() +
                                              " --attr Male,Smiling --samples 2 --out " + dir.file("gen"));
  CHECK(generate.status == 0);
  CHECK(fs::exists(dir.path / "gen" / "generated.png"));
}

TEST_CASE("with --g-average the exported generator and every mode use the average of G's weights",
          "[acgan][checkpoint][average]") {
  nn::testing::ScratchDir dir("acgan_average");
  REQUIRE(run_app(dir, tiny(dir) + " --epochs 2 --g-average 0.9").status == 0);
  const fs::path run = dir.path / "run";
  const nn::SafetensorsFile full = nn::load_safetensors((run / "checkpoint_last.safetensors").string());
  const nn::SafetensorsFile exported = nn::load_safetensors((run / "generator.safetensors").string());
  const nn::StateDict average = nn::select_prefixed(full.tensors, "G_average");
  const nn::StateDict live = nn::select_prefixed(full.tensors, "G");
  const nn::StateDict exported_g = nn::select_prefixed(exported.tensors, "G");
  REQUIRE_FALSE(average.empty());
  REQUIRE(average.size() == exported_g.size());
  bool differs_from_live = false;
  for (const auto& [name, t] : average) {
    INFO(name);
    CHECK(t.to_vector<float>() == exported_g.at(name).to_vector<float>());
    differs_from_live = differs_from_live || t.to_vector<float>() != live.at(name).to_vector<float>();
  }
  CHECK(differs_from_live);
  // --generate on the full checkpoint draws the same faces as on the exported generator.
  for (const char* file : {"checkpoint_last", "generator"})
    REQUIRE(run_app(dir, "--generate " + (run / (std::string(file) + ".safetensors")).string() +
                             " --attr Male --samples 2 --seed 3 --out " + dir.file(file))
                .status == 0);
  CHECK(read_bytes(dir.path / "checkpoint_last" / "generated.png") == read_bytes(dir.path / "generator" / "generated.png"));
}
