#pragma once
// The run configuration of dcgan: the architecture, its presets, the data
// set, command-line flags and the config.json written into the run folder.
#include <cstdint>
#include <string>
#include <vector>

#include "common/resume.hpp"

namespace dcgan {

struct Config {
  std::string arch = "radford64";  // radford64 | wlu128 | tutorial28
  std::string preset = "quick";    // quick | seed
  std::string dataset = "faces";   // faces (synthetic or --data) | fashion-mnist
  std::string data;                // a CelebA folder; empty: the synthetic faces
  std::int64_t synthetic_count = 3000;
  std::string out = "out/dcgan";
  std::string device = "auto";
  std::uint64_t seed = 1;
  int epochs = 1;
  std::int64_t steps = 0;  // stop after this many steps in all (0: every epoch)
  std::int64_t batch = 64;
  double fraction = 1.0;   // of CelebA's training partition
  double lr = 2e-4;
  double beta1 = 0.5;
  double real_target = 1.0;  // D's target on real images
  double g_target = 1.0;     // G's target through D
  bool tf32 = false;
  int keep_checkpoints = 3;
  std::string resume;
  std::string init_from;     // a checkpoint whose G and D weights start a new run
  bool overwrite = false;
  std::string cache_dir;     // default: <out>/../cache
  int eval_every = 1;        // evaluate after every this many epochs (0: never)
  std::int64_t eval_images = 2000;  // generated images for the Frechet distance
  bool summary = false;
  std::string generate;      // a checkpoint: write a sheet of its faces
  int samples = 64;          // images on a generated sheet
  std::string evaluate;      // a checkpoint: score it
  std::vector<std::string> given;  // the options given on the command line
};

enum class Mode { train, summary, generate, evaluate };
Mode mode_of(const Config& config);
bool was_given(const Config& config, const std::string& option);
using nn::apps::ConfigChange;

// Parses argv over the chosen architecture's and preset's defaults; returns
// false after --help or --version. Raises nn::apps::UsageError for a command
// line that cannot run.
bool parse_config(int argc, const char* const* argv, Config& config);
void validate(const Config& config);
// The text of config.json, with the changes made on resume in "changes".
std::string to_json(const Config& config, const std::vector<ConfigChange>& changes = {});
// The settings read back from to_json's text; `source` names it in errors.
Config config_from_json(const std::string& text, const std::string& source);
// The image channels of the data set: 3 for faces, 1 for Fashion-MNIST.
std::int64_t channels_of(const Config& config);

}  // namespace dcgan
