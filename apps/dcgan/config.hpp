#pragma once
// The run configuration of dcgan: the architecture, its presets, the data
// set, command-line flags and the config.json written into the run folder.
#include <cstdint>
#include <string>
#include <vector>

#include "common/run_settings.hpp"

namespace dcgan {

struct Config : nn::apps::RunSettings {
  Config() { out = "out/dcgan"; }
  std::string arch = "radford64";  // radford64 | wlu128 | tutorial28
  std::string preset = "quick";    // quick | seed
  std::string dataset = "faces";   // faces (synthetic or --data) | fashion-mnist
  double lr = 2e-4;
  double beta1 = 0.5;
  double real_target = 1.0;         // D's target on real images
  double g_target = 1.0;            // G's target through D
  std::int64_t eval_images = 2000;  // generated images for the Frechet distance
  bool summary = false;
  std::string generate;  // a checkpoint: write a sheet of its faces
  int samples = 64;      // images on a generated sheet
  std::string evaluate;  // a checkpoint: score it
};

enum class Mode { train, summary, generate, evaluate };
Mode mode_of(const Config& config);
bool was_given(const Config& config, const std::string& option);
using nn::apps::ConfigChange;

// The options a resumed run may change.
const std::vector<std::string>& changeable_options();

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
// The side of the architecture's square images.
std::int64_t image_size_of(const Config& config);

}  // namespace dcgan
