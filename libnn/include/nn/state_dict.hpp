#pragma once
// A state dict: every tensor of a module or optimiser under a dotted name
// ("encoder.conv1.weight", "adam.group0.param3.exp_avg"). Checkpoints store
// and restore state dicts.
#include <map>
#include <string>

#include "nn/tensor.hpp"

namespace nn {

using StateDict = std::map<std::string, Tensor>;

// Copies every entry of `source` into the tensor of the same name in
// `target`, in place. Raises nn::Error naming `who` and the entry when a name
// is missing or unexpected, or a shape or dtype differs.
void load_state_into(const StateDict& target, const StateDict& source, const std::string& who);

// Adds `prefix` + "." before every name of `part` and merges it into `into`.
void merge_prefixed(StateDict& into, const std::string& prefix, const StateDict& part);
// The entries of `whole` under `prefix` + ".", with the prefix removed.
StateDict select_prefixed(const StateDict& whole, const std::string& prefix);

}  // namespace nn
