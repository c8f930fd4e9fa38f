// The training-run pieces every app shares: the epoch loop, run checkpoints,
// the claim on a run folder and what --resume may change.
#include "common/training_loop.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/resume.hpp"
#include "common/run_folder.hpp"
#include "nn/data/dataset.hpp"
#include "nn/error.hpp"
#include "nn/nn.hpp"
#include "support/file_bytes.hpp"
#include "support/scratch_dir.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

// Sample i is a 1x1x1 image holding the value i.
class IndexDataset : public nn::data::Dataset {
 public:
  explicit IndexDataset(std::int64_t n) : n_(n) {}
  std::int64_t size() const override { return n_; }
  nn::Shape image_shape() const override { return {1, 1, 1}; }
  std::int64_t label_count() const override { return 1; }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override {
    image[0] = static_cast<std::uint8_t>(i);
    labels[0] = 0;
  }

 private:
  std::int64_t n_;
};

struct LoopRecord {
  std::vector<std::int64_t> steps;
  std::vector<std::vector<std::int64_t>> batches;
  std::vector<std::string> saved;
  std::vector<nn::apps::ResumePoint> saved_at;
  std::vector<std::pair<int, bool>> epochs_ended;
};

// A loop over 10 samples in batches of 3 (3 batches an epoch) that records
// what it was asked to do.
nn::apps::TrainingLoop recording_loop(LoopRecord& record, int epochs, std::int64_t steps) {
  nn::apps::TrainingLoop loop;
  loop.epochs = epochs;
  loop.steps = steps;
  loop.train = [&record](const nn::data::Batch& batch, std::int64_t step, int) {
    record.steps.push_back(step);
    record.batches.push_back(batch.indices);
    return std::string();
  };
  loop.save = [&record](const nn::apps::ResumePoint& at, const std::string& name) {
    record.saved.push_back(name);
    record.saved_at.push_back(at);
    return "dir/" + name;
  };
  loop.end_of_epoch = [&record](int epoch, bool last) { record.epochs_ended.emplace_back(epoch, last); };
  return loop;
}

nn::data::DataLoader loader_of(std::int64_t n) {
  return nn::data::DataLoader(std::make_shared<IndexDataset>(n),
                              nn::data::DataLoaderOptions().batch_size(3).drop_last(true).seed(5));
}

}  // namespace

TEST_CASE("training loop: every epoch's batches, a checkpoint per epoch, the last epoch marked", "[training_loop]") {
  LoopRecord record;
  nn::data::DataLoader loader = loader_of(10);
  CHECK(nn::apps::run_training_loop(loader, recording_loop(record, 2, 0)) == 6);
  CHECK(record.steps == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
  CHECK(record.saved ==
        std::vector<std::string>{"checkpoint_epoch_001.safetensors", "checkpoint_epoch_002.safetensors"});
  REQUIRE(record.saved_at.size() == 2);
  CHECK(record.saved_at[1].epoch == 2);
  CHECK(record.saved_at[1].batch_in_epoch == 0);
  CHECK(record.saved_at[1].step == 6);
  CHECK(record.epochs_ended == std::vector<std::pair<int, bool>>{{1, false}, {2, true}});
}

TEST_CASE("training loop: --steps stops mid-epoch with a step checkpoint, and resuming there trains the rest",
          "[training_loop]") {
  LoopRecord whole;
  nn::data::DataLoader whole_loader = loader_of(10);
  nn::apps::run_training_loop(whole_loader, recording_loop(whole, 2, 0));

  LoopRecord first;
  nn::data::DataLoader first_loader = loader_of(10);
  CHECK(nn::apps::run_training_loop(first_loader, recording_loop(first, 2, 4)) == 4);
  CHECK(first.saved.back() == "checkpoint_step_4.safetensors");
  const nn::apps::ResumePoint at = first.saved_at.back();
  CHECK(at.epoch == 1);
  CHECK(at.batch_in_epoch == 1);
  CHECK(first.epochs_ended.back() == std::pair<int, bool>{2, true});

  LoopRecord rest;
  nn::data::DataLoader rest_loader = loader_of(10);
  nn::apps::TrainingLoop loop = recording_loop(rest, 2, 0);
  loop.start = at;
  CHECK(nn::apps::run_training_loop(rest_loader, loop) == 6);
  CHECK(rest.steps == std::vector<std::int64_t>{5, 6});
  // The batches a resumed run trains are those the whole run trained there.
  CHECK(rest.batches == std::vector<std::vector<std::int64_t>>(whole.batches.begin() + 4, whole.batches.end()));
}

TEST_CASE("training loop: an error names the last good checkpoint", "[training_loop]") {
  LoopRecord record;
  nn::data::DataLoader loader = loader_of(10);
  nn::apps::TrainingLoop loop = recording_loop(record, 3, 0);
  loop.resumed_from = "old/checkpoint_last.safetensors";
  loop.train = [&record](const nn::data::Batch&, std::int64_t step, int) {
    if (step == 5) throw nn::Error("the loss is NaN");
    record.steps.push_back(step);
    return std::string();
  };
  CHECK_THROWS_WITH(nn::apps::run_training_loop(loader, loop),
                    Contains("the loss is NaN") && Contains("last good checkpoint: dir/checkpoint_epoch_001"));
  nn::data::DataLoader first_epoch = loader_of(10);
  loop.train = [](const nn::data::Batch&, std::int64_t, int) -> std::string { throw nn::Error("bad batch"); };
  CHECK_THROWS_WITH(nn::apps::run_training_loop(first_epoch, loop),
                    Contains("last good checkpoint: old/checkpoint_last.safetensors"));
}

TEST_CASE("run checkpoints: the named file and checkpoint_last, the newest `keep` numbered ones kept",
          "[training_loop]") {
  nn::testing::ScratchDir dir("run_checkpoints");
  nn::Dense layer(nn::DenseOptions(2, 1));
  const nn::CheckpointParts parts{{{"L", &layer}}, {}};
  for (int epoch = 1; epoch <= 3; ++epoch) {
    const std::string name = "checkpoint_epoch_00" + std::to_string(epoch) + ".safetensors";
    nn::apps::save_run_checkpoint(dir.path.string(), name, parts, {{"epoch", std::to_string(epoch)}}, 2);
  }
  CHECK(nn::apps::matching_files(dir.path.string(), {"*.safetensors"}) ==
        std::vector<std::string>{"checkpoint_epoch_002.safetensors", "checkpoint_epoch_003.safetensors",
                                 "checkpoint_last.safetensors"});
  CHECK(nn::load_safetensors(dir.file("checkpoint_last.safetensors")).metadata.at("epoch") == "3");
}

TEST_CASE("run folder claim: another run's files are refused, replaced with overwrite, kept when continuing",
          "[training_loop]") {
  nn::testing::ScratchDir dir("run_claim");
  const std::string run = dir.file("run");
  fs::create_directories(run);
  nn::testing::write_bytes(fs::path(run) / "losses.csv", "step\n1\n");
  nn::testing::write_bytes(fs::path(run) / "notes.txt", "mine\n");
  nn::apps::RunFolderClaim claim{run, "app", {"losses.csv", "checkpoint_*.safetensors"}, false, false};
  CHECK_THROWS_WITH(nn::apps::refuse_taken_folder(claim),
                    Contains("app: the run folder") && Contains("losses.csv") && Contains("--overwrite"));
  std::ostringstream out;
  claim.continues_folder = true;
  nn::apps::take_run_folder(claim, out);
  CHECK(fs::exists(fs::path(run) / "losses.csv"));
  claim.continues_folder = false;
  claim.overwrite = true;
  nn::testing::write_bytes(fs::path(run) / "losses.csv.tmp-12345", "torn");
  nn::apps::take_run_folder(claim, out);
  CHECK_FALSE(fs::exists(fs::path(run) / "losses.csv"));
  CHECK_FALSE(fs::exists(fs::path(run) / "losses.csv.tmp-12345"));
  CHECK(fs::exists(fs::path(run) / "notes.txt"));
  CHECK_THAT(out.str(), Contains("removed the stale temporary file"));
}

TEST_CASE("resume: only the changeable options may be given, and a change is recorded once", "[training_loop]") {
  CHECK_NOTHROW(nn::apps::refuse_fixed_options({"--resume", "--out", "--epochs"}, {"--epochs", "--steps"}, "app",
                                               "r/c.safetensors"));
  CHECK_THROWS_AS(nn::apps::refuse_fixed_options({"--resume", "--lr"}, {"--epochs", "--steps"}, "app", "r/c"),
                  nn::apps::UsageError);
  CHECK_THROWS_WITH(nn::apps::refuse_fixed_options({"--resume", "--lr"}, {"--epochs", "--steps"}, "app", "r/c"),
                    Contains("app: --lr cannot be given with --resume") && Contains("--epochs and --steps") &&
                        Contains("--init-from r/c"));
  std::vector<nn::apps::ConfigChange> changes;
  int epochs = 2;
  using nn::json::Value;
  nn::apps::record_change<int>({"--epochs"}, "--epochs", 5, epochs, Value::integer(2), Value::integer(5), changes);
  nn::apps::record_change<int>({"--epochs"}, "--epochs", 5, epochs, Value::integer(5), Value::integer(5), changes);
  int steps = 0;
  nn::apps::record_change<int>({"--epochs"}, "--steps", 9, steps, Value::integer(0), Value::integer(9), changes);
  CHECK(epochs == 5);
  CHECK(steps == 0);
  REQUIRE(changes.size() == 1);
  changes[0].step = 12;
  Value config = Value::object();
  config.add("changes", nn::apps::changes_to_json(changes));
  const std::vector<nn::apps::ConfigChange> back =
      nn::apps::changes_from_json(nn::json::dump(config), "config.json", "app");
  REQUIRE(back.size() == 1);
  CHECK(back[0].step == 12);
  CHECK(back[0].flag == "--epochs");
  CHECK(nn::json::dump(back[0].to) == "5");
  CHECK_THROWS_WITH(nn::apps::changes_from_json("{\"changes\": [{\"step\": 1}]}", "config.json", "app"),
                    Contains("app: config.json") && Contains("lacks"));
}

TEST_CASE("resume: the checkpoint's place is checked against the data, and a finished run says how to extend it",
          "[training_loop]") {
  nn::Metadata meta = nn::apps::position_metadata({1, 2, 5});
  meta["random_state.seed"] = "1";
  meta["random_state.offset"] = "0";
  const nn::apps::ResumePoint at = nn::apps::resume_point(meta, "c.safetensors", 3);
  CHECK(at.epoch == 1);
  CHECK(at.batch_in_epoch == 2);
  CHECK(at.step == 5);
  CHECK_THROWS_WITH(nn::apps::resume_point(meta, "c.safetensors", 4), Contains("'step' 5 does not match"));
  CHECK_THROWS_WITH(nn::apps::resume_point(meta, "c.safetensors", 2), Contains("batch_in_epoch"));
  CHECK_NOTHROW(nn::apps::require_steps_left("app", 2, 0, at, 3));
  CHECK_THROWS_WITH(nn::apps::require_steps_left("app", 2, 5, at, 3),
                    Contains("nothing is left to train") && Contains("--epochs 3"));
  CHECK(nn::apps::resumed_out("runs/a/c.safetensors", false, "elsewhere") == "runs/a");
  CHECK(nn::apps::resumed_out("c.safetensors", false, "x") == ".");
  CHECK(nn::apps::resumed_out("runs/a/c.safetensors", true, "elsewhere") == "elsewhere");
}

TEST_CASE("resume: a config.json that is not a JSON object is refused, not taken for an empty history",
          "[training_loop]") {
  CHECK_THROWS_WITH(nn::apps::changes_from_json("[]", "run/config.json", "app"),
                    Contains("app: run/config.json: not a JSON object"));
  CHECK_THROWS_WITH(nn::apps::changes_from_json("{", "run/config.json", "app"), Contains("not valid JSON"));
  CHECK(nn::apps::changes_from_json("{}", "run/config.json", "app").empty());
}
