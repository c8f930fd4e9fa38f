#pragma once
// --resume continues the run its checkpoint came from: the configuration
// stored in the checkpoint is the run's, and only settings that cannot change
// what was already trained (--epochs, --steps, --device, --tf32) may be given
// on the command line. The checkpoint's position in its run is checked
// against the data before anything is written.
#include <cstdint>
#include <string>
#include <vector>

#include "acgan_celeba/config.hpp"
#include "nn/safetensors.hpp"

namespace acgan {

// The run's configuration for `command_line.resume`, whose metadata is given.
// --out defaults to the checkpoint's folder. Each safe setting that changes is
// appended to `changes` (step 0: the caller knows the step). Any other option
// given raises nn::apps::UsageError saying how to start a new run instead.
Config resumed_config(const Config& command_line, const nn::Metadata& metadata, std::vector<ConfigChange>& changes);

struct ResumePoint {
  int epoch = 0;                    // epochs completed
  std::int64_t batch_in_epoch = 0;  // batches of epoch `epoch` already trained
  std::int64_t step = 0;            // batches trained in all
};

// The checkpoint's place in its run, each entry checked (and against the
// others); raises nn::Error naming the file and the entry.
ResumePoint resume_point(const nn::Metadata& metadata, const std::string& path, std::int64_t batches_per_epoch);
// Raises nn::apps::UsageError, saying how to extend the run, when `config`
// leaves nothing to train after `at`.
void require_steps_left(const Config& config, const ResumePoint& at, std::int64_t batches_per_epoch);
// The "attribute_majority" entry: 40 values, each 0 or 1.
std::vector<float> attribute_majority(const nn::Metadata& metadata, const std::string& path);

}  // namespace acgan
