#include "common/checkpoint_checks.hpp"

#include <charconv>
#include <cmath>

#include "nn/error.hpp"
#include "nn/state_dict.hpp"

namespace nn::apps {

void require_finite_tensors(const SafetensorsFile& file, const std::string& path,
                            const std::vector<std::string>& prefixes) {
  for (const auto& [name, tensor] : file.tensors) {
    bool wanted = prefixes.empty();
    for (const std::string& prefix : prefixes) wanted = wanted || name.rfind(prefix, 0) == 0;
    if (!wanted) continue;
    const std::vector<double> values = tensor.to_vector<double>();
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(values[i]))
        throw Error("checkpoint '" + path + "': tensor '" + name + "' holds " + std::to_string(values[i]) +
                    " at element " + std::to_string(i) + "; refusing non-finite weights");
  }
}

const std::string& metadata_text(const Metadata& metadata, const std::string& key, const std::string& path) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) throw Error("checkpoint '" + path + "': no metadata entry '" + key + "'");
  return found->second;
}

const std::string& run_config_text(const Metadata& metadata, const std::string& path, const std::string& program) {
  const auto found = metadata.find("config");
  if (found == metadata.end())
    throw Error(program + ": " + path + ": no 'config' metadata; is it a checkpoint of " + program + "?");
  return found->second;
}

std::int64_t metadata_integer(const Metadata& metadata, const std::string& key, const std::string& path,
                              std::int64_t min, std::int64_t max) {
  const std::string& text = metadata_text(metadata, key, path);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    throw Error("checkpoint '" + path + "': metadata entry '" + key + "' is '" + text + "', not an integer");
  if (value < min || value > max)
    throw Error("checkpoint '" + path + "': metadata entry '" + key + "' is " + text + ", outside [" +
                std::to_string(min) + ", " + std::to_string(max) + "]");
  return value;
}

SafetensorsFile load_checked_checkpoint(const std::string& path, const std::vector<std::string>& prefixes) {
  SafetensorsFile file = load_safetensors(path);
  require_finite_tensors(file, path, prefixes);
  return file;
}

void load_modules(const SafetensorsFile& file, const std::string& path, const std::map<std::string, Module*>& modules,
                  Device device) {
  for (const auto& [name, module] : modules) {
    try {
      module->load_state_dict(select_prefixed(file.tensors, name));
    } catch (const Error& e) {
      throw Error("checkpoint '" + path + "': " + e.what());
    }
    module->to(device);
  }
}

}  // namespace nn::apps
