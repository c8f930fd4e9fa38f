#pragma once
// The run configuration of acgan_celeba: presets, command-line flags and the
// config.json written into the run folder.
#include <cstdint>
#include <string>
#include <vector>

#include "common/run_settings.hpp"
#include "nn/json.hpp"

namespace acgan {

struct Config : nn::apps::RunSettings {
  Config() { out = "out/acgan_celeba"; }
  std::string preset = "quick";  // quick | attributes | seed
  std::string halving = "area";  // area | decimate
  double lr = 2e-4;              // D and G
  double ae_lr_factor = 0.25;    // the autoencoder's rate is lr times this
  double ae_attr_weight = 0.0;   // BCE of E's y head on the real labels in the AE sub-step
  std::int64_t ae_warmup = 0;    // the first steps train only the autoencoder
  double ae_z_noise = 0.0;       // stddev of the noise added to E's z before G in the AE sub-step
  std::string ae_y = "code";     // y that G decodes in the AE sub-step: code (E's y head) | labels (the face's own)
  // In G's sub-step the frozen E reads G's images back: BCE of its y against
  // the requested y' and MAE of its z against z, with these weights.
  double g_read_y_weight = 0.0, g_read_z_weight = 0.0;
  // Decay of the running average of G's weights that the sheets, the
  // evaluation and the exported generator use (0: G itself).
  double g_average = 0.0;
  double d_fake_y_weight = 1.0;  // weight of D's attribute loss on fakes (0: D's y head learns from real faces only)
  double beta1 = 0.5, beta2 = 0.999;
  double real_target = 0.9;      // D's w target for real images (one-sided smoothing)
  double g_target = 0.9;         // G's w target when training through D
  std::string fake_labels = "train";  // train (drawn from the labels) | random (multi-hot) | ten-indices
  std::string z_dist = "uniform";     // uniform U[0,1] | normal N(0,1) | encoder
  std::string d_batch = "separate";   // separate (real and fake batches, summed losses) | mixed (N of the 2N)
  std::string g_fakes = "fresh";      // fresh (G draws its own y' and z) | reuse (those of D's fakes)
  std::string adam = "pytorch";       // pytorch (eps 1e-8) | keras (eps 1e-7 in Keras' update)
  double input_noise = 0.0;      // GaussianNoise on D's input
  double dropout = 0.0;          // Dropout after D's hidden activations
  bool summary = false;          // print the model tables and exit
  std::string generate;          // a checkpoint: generate faces for --attr
  std::vector<std::string> attr_rows;  // one row per entry ("Male,Smiling")
  int samples = 8;               // faces per generated row
  std::string reconstruct;       // a checkpoint: reconstruct --images
  std::vector<std::string> images;
  std::string evaluate;          // a checkpoint: score it with the attribute judge
  std::int64_t eval_faces = 2000;   // generated faces for the Frechet distance
  std::int64_t eval_control = 100;  // faces per side and attribute for attribute control
  bool list_attributes = false;  // print the attribute names and exit
  bool score_renderer = false;   // score the synthetic faces' renderer as if it were G
};

enum class Mode { train, summary, generate, reconstruct, evaluate, score_renderer, list_attributes };
Mode mode_of(const Config& config);
bool was_given(const Config& config, const std::string& option);
// The options a resumed run may change.
const std::vector<std::string>& changeable_options();

using nn::apps::ConfigChange;

// Parses argv over the chosen preset's defaults; returns false after --help
// or --version. Raises nn::apps::UsageError for a command line that cannot run.
bool parse_config(int argc, const char* const* argv, Config& config);
// Checks ranges and choices; raises nn::apps::UsageError naming the option.
void validate(const Config& config);
// Options given that the chosen mode does not use raise nn::apps::UsageError.
void check_mode_options(const Config& config);
// The text of config.json: the run's settings as one JSON object, written
// through nn::json (strings escaped, numbers exact), with the changes made
// on resume in "changes".
std::string to_json(const Config& config, const std::vector<ConfigChange>& changes = {});
// The settings of a run read back from to_json's text; `source` names the
// file in errors. Paths (--out, --cache) and command-line state stay default.
Config config_from_json(const std::string& text, const std::string& source);

}  // namespace acgan
