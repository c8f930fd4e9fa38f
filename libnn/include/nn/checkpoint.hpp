#pragma once
// Checkpoints of a training run: every parameter and buffer of a set of named
// modules and the state of a set of named optimisers, in one safetensors file
// ("<module>.<parameter>", "<optimiser>.<entry>") with the run's metadata.
// The global random generator's state travels in the metadata
// ("random_state.seed", "random_state.offset") and is restored on load, so a
// resumed run draws the same dropout masks and noise as an uninterrupted one.
#include <map>
#include <string>

#include "nn/safetensors.hpp"
#include "nn/nn/module.hpp"
#include "nn/optim.hpp"

namespace nn {

struct CheckpointParts {
  std::map<std::string, Module*> modules;
  std::map<std::string, Optimizer*> optimizers;
};

// Atomic: a crash never leaves a half-written file at `path`.
void save_checkpoint(const std::string& path, const CheckpointParts& parts, const Metadata& metadata = {});
// Restores every part in place and returns the metadata. Names, shapes and
// dtypes must match exactly; nothing is changed when the file is refused.
Metadata load_checkpoint(const std::string& path, const CheckpointParts& parts);

}  // namespace nn
