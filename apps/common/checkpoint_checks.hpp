#pragma once
// Checks on what an app reads back from a checkpoint, each raising nn::Error
// that names the file and the tensor or metadata entry at fault.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nn/nn/module.hpp"
#include "nn/safetensors.hpp"

namespace nn::apps {

// Refuses a tensor holding NaN or an infinity; only the tensors whose names
// start with one of `prefixes` are checked, or all of them when it is empty.
void require_finite_tensors(const SafetensorsFile& file, const std::string& path,
                            const std::vector<std::string>& prefixes = {});

// The metadata entry `key` as a decimal integer in [min, max].
std::int64_t metadata_integer(const Metadata& metadata, const std::string& key, const std::string& path,
                              std::int64_t min, std::int64_t max);

// The metadata entry `key`, which must be present.
const std::string& metadata_text(const Metadata& metadata, const std::string& key, const std::string& path);
// The run settings a checkpoint of `program` keeps in its "config" entry;
// nn::Error asking whether the file is one of `program`'s when it is missing.
const std::string& run_config_text(const Metadata& metadata, const std::string& path, const std::string& program);

// A checkpoint read whole, refused by require_finite_tensors (with `prefixes`).
SafetensorsFile load_checked_checkpoint(const std::string& path, const std::vector<std::string>& prefixes);

// Loads each module from the tensors under its name ("G" takes "G.*") of
// the checkpoint read from `path` and moves it to `device`; a tensor that
// is missing or of the wrong shape raises nn::Error naming the file.
void load_modules(const SafetensorsFile& file, const std::string& path, const std::map<std::string, Module*>& modules,
                  Device device);

}  // namespace nn::apps
