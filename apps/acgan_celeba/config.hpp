#pragma once
// The run configuration of acgan_celeba: presets, command-line flags and the
// config.json written into the run folder.
#include <cstdint>
#include <string>
#include <vector>

namespace acgan {

struct Config {
  std::string preset = "quick";  // quick | seed
  std::string data;              // a CelebA folder; empty: the synthetic faces
  std::int64_t synthetic_count = 3000;
  std::string out = "out/acgan_celeba";
  std::string device = "auto";   // auto | cpu | cuda | cuda:N
  std::uint64_t seed = 1;
  int epochs = 1;
  std::int64_t steps = 0;        // stop after this many steps in total (0: all epochs)
  std::int64_t batch = 32;
  double fraction = 1.0;         // of the training partition
  std::string halving = "area";  // area | decimate
  double lr = 2e-4;              // D and G
  double ae_lr_factor = 0.25;    // the autoencoder's rate is lr times this
  double ae_attr_weight = 0.0;   // BCE of E's y head on the real labels in the AE sub-step
  double beta1 = 0.5, beta2 = 0.999;
  double real_target = 0.9;      // D's w target for real images (one-sided smoothing)
  double g_target = 0.9;         // G's w target when training through D
  std::string fake_labels = "train";  // train (drawn from the labels) | random (multi-hot)
  std::string z_dist = "uniform";     // uniform U[0,1] | normal N(0,1)
  double input_noise = 0.0;      // GaussianNoise on D's input
  double dropout = 0.0;          // Dropout after D's hidden activations
  bool tf32 = false;
  std::string resume;            // a checkpoint to continue from
  bool summary = false;          // print the model tables and exit
  std::string generate;          // a checkpoint: generate faces for --attr
  std::vector<std::string> attr_rows;  // one row per entry ("Male,Smiling")
  int samples = 8;               // faces per generated row
  std::string reconstruct;       // a checkpoint: reconstruct --images
  std::vector<std::string> images;
  std::string cache_dir;         // where caches and synthetic data go (default: <out>/../cache)
};

// Parses argv over the chosen preset's defaults; returns false after --help.
bool parse_config(int argc, const char* const* argv, Config& config);
// Checks ranges and choices; raises nn::Error naming the option.
void validate(const Config& config);
// The text of config.json: the run's settings as one JSON object, written
// through nn::json (strings escaped, numbers exact).
std::string to_json(const Config& config);

}  // namespace acgan
