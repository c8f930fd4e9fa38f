#pragma once
// The run configuration of celeba_autoencoders: the model, its presets,
// command-line flags and the config.json written into the run folder.
#include <cstdint>
#include <string>
#include <vector>

#include "common/run_settings.hpp"

namespace autoencoders {

struct Config : nn::apps::RunSettings {
  Config() { out = "out/celeba_autoencoders"; }
  std::string model = "model1";  // encoder1 | encoder2 | model1 | model2 | model3 | model4
  std::string preset = "quick";  // quick | seed
  double lr = 1e-3;
  std::string encoder;              // model1 and model3: the checkpoint of a pretrained encoder run
  std::int64_t eval_images = 2000;  // sampled faces for the Frechet distance
  bool summary = false;
  std::string generate;                // a checkpoint: sheets of sampled faces (and attribute faces)
  std::vector<std::string> attr_rows;  // one attribute face per entry ("Male,Smiling"; "all"; "none")
  int samples = 64;                    // sampled faces on a sheet
  std::string reconstruct;             // a checkpoint: a sheet of test faces and their reconstructions
  std::string evaluate;                // a checkpoint: score it
};

enum class Mode { train, summary, generate, reconstruct, evaluate };
Mode mode_of(const Config& config);
using nn::apps::ConfigChange;

// The options a resumed run may change.
const std::vector<std::string>& changeable_options();

// Parses argv over the chosen model's and preset's defaults; returns false
// after --help or --version. Raises nn::apps::UsageError for a command line
// that cannot run.
bool parse_config(int argc, const char* const* argv, Config& config);
void validate(const Config& config);
// The text of config.json, with the changes made on resume in "changes".
std::string to_json(const Config& config, const std::vector<ConfigChange>& changes = {});
// The settings read back from to_json's text; `source` names it in errors.
Config config_from_json(const std::string& text, const std::string& source);

}  // namespace autoencoders
