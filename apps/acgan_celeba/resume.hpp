#pragma once
// --resume continues the run its checkpoint came from (see common/resume.hpp):
// the configuration stored in the checkpoint is the run's, and only settings
// that cannot change what was already trained (--epochs, --steps, --device,
// --tf32, --keep-checkpoints, the --eval-* options) may be given again.
#include <string>
#include <vector>

#include "acgan_celeba/config.hpp"
#include "common/resume.hpp"
#include "nn/safetensors.hpp"

namespace acgan {

// The run's configuration for `command_line.resume`, whose metadata is given.
// --out defaults to the checkpoint's folder. Each safe setting that changes is
// appended to `changes` (step 0: the caller knows the step). Any other option
// given raises nn::apps::UsageError saying how to start a new run instead.
Config resumed_config(const Config& command_line, const nn::Metadata& metadata, std::vector<ConfigChange>& changes);

// The checkpoint's place in its run (nn::apps::resume_point) and its
// attribute majority, each entry checked.
nn::apps::ResumePoint resume_point(const nn::Metadata& metadata, const std::string& path,
                                   std::int64_t batches_per_epoch);

}  // namespace acgan
