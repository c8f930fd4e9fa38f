// The run-folder pieces the apps share: the lock, the sweep of temporary
// files, the CSV logs read back on resume.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

#include "common/csv_log.hpp"
#include "common/plot.hpp"
#include "common/run_folder.hpp"
#include "support/file_bytes.hpp"
#include "support/scratch_dir.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nn::testing::read_bytes;
using nn::testing::write_bytes;

TEST_CASE("run_folder: one lock holder at a time, named to the next, released when the holder ends",
          "[run_folder]") {
  nn::testing::ScratchDir dir("run_folder_lock");
  const std::string run = dir.file("run");
  {
    const nn::apps::RunFolderLock first(run, "app");
    CHECK(fs::is_directory(run));
    CHECK_THAT(read_bytes(fs::path(run) / ".lock"), Contains("pid " + std::to_string(::getpid())));
    // A second open file description conflicts as a second process's would.
    CHECK_THROWS_WITH(nn::apps::RunFolderLock(run, "app"),
                      Contains("in use by another run") && Contains("pid " + std::to_string(::getpid())) &&
                          Contains("started 20"));
  }
  CHECK_NOTHROW(nn::apps::RunFolderLock(run, "app"));
}

TEST_CASE("run_folder: the sweep removes only temporary files of atomic writes", "[run_folder]") {
  nn::testing::ScratchDir dir("run_folder_sweep");
  for (const char* name : {"a.safetensors.tmp-123", "config.json.tmp-9", "keep.tmp-", "keep.tmp-12x", ".tmp-5",
                           "keep.csv", "keep.tmp"})
    write_bytes(dir.path / name, "x");
  CHECK(nn::apps::sweep_temporary_files(dir.path.string()) ==
        std::vector<std::string>{"a.safetensors.tmp-123", "config.json.tmp-9"});
  CHECK(nn::apps::matching_files(dir.path.string(), {"keep*"}) ==
        std::vector<std::string>{"keep.csv", "keep.tmp", "keep.tmp-", "keep.tmp-12x"});
  CHECK(fs::exists(dir.path / ".tmp-5"));
  CHECK(nn::apps::matching_files(dir.file("missing"), {"*"}).empty());
}

TEST_CASE("run_folder: a CSV log keeps its rows up to the resumed step and drops a torn last line",
          "[run_folder]") {
  nn::testing::ScratchDir dir("run_folder_csv");
  const std::string path = dir.file("log.csv");
  write_bytes(path, "step,loss\n1,0.5\n2,0.25\n3,0.125\n4,0.0");
  std::ostringstream notes;
  nn::apps::CsvLog log(path, {"step", "loss"}, 2, notes);
  CHECK(read_bytes(path) == "step,loss\n1,0.5\n2,0.25\n3,0.125\n4,0.0");  // reading writes nothing
  CHECK_THAT(notes.str(), Contains("log.csv:5") && Contains("torn"));
  log.open();
  log.append({3, 1e-9});
  log.append({1234567, 2.5});
  CHECK(read_bytes(path) == "step,loss\n1,0.5\n2,0.25\n3,1e-09\n1234567,2.5\n");

  std::ostringstream quiet;
  nn::apps::CsvLog whole(path, {"step", "loss"}, 1234567, quiet);
  CHECK(whole.kept_rows().size() == 4);
  CHECK(quiet.str().empty());
}

TEST_CASE("run_folder: a CSV log writes each value so that it reads back exactly, NaN as an empty cell",
          "[run_folder]") {
  nn::testing::ScratchDir dir("run_folder_csv_exact");
  const std::string path = dir.file("log.csv");
  std::ostringstream notes;
  nn::apps::CsvLog log(path, {"step", "a", "b"}, 0, notes);
  log.open();
  log.append({1, 0.1 + 0.2, std::nan("")});
  log.append({2, 1.0 / 3.0, 2.5});
  CHECK(read_bytes(path) == "step,a,b\n1,0.30000000000000004,\n2,0.3333333333333333,2.5\n");
  const nn::apps::CsvTable table = nn::apps::CsvTable::read(path);
  CHECK(table.numbers("a") == std::vector<double>{0.1 + 0.2, 1.0 / 3.0});
  CHECK(std::isnan(table.numbers("b")[0]));
  nn::apps::CsvLog resumed(path, {"step", "a", "b"}, 2, notes);
  CHECK(resumed.kept_rows().size() == 2);
}

TEST_CASE("run_folder: a CSV log from an older version without the last columns resumes with them empty",
          "[run_folder]") {
  nn::testing::ScratchDir dir("run_folder_csv_older");
  const std::string path = dir.file("log.csv");
  write_bytes(path, "step,loss\n1,0.5\n2,0.25\n");
  std::ostringstream notes;
  nn::apps::CsvLog log(path, {"step", "loss", "accuracy"}, 2, notes);
  CHECK_THAT(notes.str(), Contains("log.csv:1") && Contains("after 'loss'"));
  log.open();
  log.append({3, 0.125, 0.75});
  CHECK(read_bytes(path) == "step,loss,accuracy\n1,0.5,\n2,0.25,\n3,0.125,0.75\n");
  write_bytes(path, "step,accuracy\n1,0.5\n");
  CHECK_THROWS_WITH(nn::apps::CsvLog(path, {"step", "loss", "accuracy"}, 2, notes),
                    Contains("log.csv:1") && Contains("header"));
}

TEST_CASE("run_folder: a malformed CSV row names the file and line", "[run_folder]") {
  nn::testing::ScratchDir dir("run_folder_csv_bad");
  const std::string path = dir.file("log.csv");
  std::ostringstream notes;
  const auto reads = [&](const std::string& text) {
    write_bytes(path, text);
    nn::apps::CsvLog log(path, {"step", "loss"}, 10, notes);
  };
  CHECK_THROWS_WITH(reads("step,loss\n1,0.5\n2\n"), Contains("log.csv:3") && Contains("1 cells"));
  CHECK_THROWS_WITH(reads("step,loss\n1,nan\n"), Contains("log.csv:2") && Contains("nan"));
  CHECK_THROWS_WITH(reads("step,loss\n,0.5\n"), Contains("log.csv:2") && Contains("step"));
  CHECK_THROWS_WITH(reads("step,loss\n2,0.5\n2,0.5\n"), Contains("log.csv:3") && Contains("step"));
  CHECK_THROWS_WITH(reads("step,loss\n1.5,0.5\n"), Contains("log.csv:2"));
  CHECK_THROWS_WITH(reads("step,cost\n1,0.5\n"), Contains("log.csv:1") && Contains("header"));
  CHECK_THROWS_WITH(reads(""), Contains("log.csv:1"));
  CHECK_THROWS_WITH(reads("step,loss\n1,0.5x\n"), Contains("log.csv:2") && Contains("0.5x"));
}
