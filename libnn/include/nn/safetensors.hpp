#pragma once
// Checkpoints in the safetensors format: an 8-byte little-endian header
// length, a JSON header mapping each name to {dtype, shape, data_offsets} plus
// an optional "__metadata__" object of strings, then the raw little-endian
// data. Writes are atomic (a temporary file renamed over the target).
#include <map>
#include <string>

#include "nn/state_dict.hpp"

namespace nn {

using Metadata = std::map<std::string, std::string>;

struct SafetensorsFile {
  StateDict tensors;  // on the CPU
  Metadata metadata;
};

// Raises nn::Error naming the path on any I/O failure; the previous file at
// `path`, if any, survives a failed write.
void save_safetensors(const std::string& path, const StateDict& tensors, const Metadata& metadata = {});
// Raises nn::Error naming the path and the tensor or byte range at fault for a
// truncated, corrupt or unsupported file.
SafetensorsFile load_safetensors(const std::string& path);

}  // namespace nn
