#include "nn/checkpoint.hpp"

#include <optional>

#include "nn/error.hpp"
#include "nn/random.hpp"

namespace nn {
namespace {

const std::string kSeedKey = "random_state.seed";
const std::string kOffsetKey = "random_state.offset";

std::uint64_t parse_u64(const std::string& path, const Metadata& metadata, const std::string& key) {
  const std::string& text = metadata.at(key);
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw Error("load_checkpoint: '" + path + "' metadata '" + key + "' is not a number: '" + text + "'");
  return value;
}

StateDict gather(const CheckpointParts& parts) {
  StateDict all;
  for (const auto& [name, module] : parts.modules) merge_prefixed(all, name, module->state_dict());
  for (const auto& [name, optimizer] : parts.optimizers) merge_prefixed(all, name, optimizer->state_dict());
  return all;
}

}  // namespace

void save_checkpoint(const std::string& path, const CheckpointParts& parts, const Metadata& metadata) {
  Metadata with_random = metadata;
  const RandomState rs = random_state();
  with_random[kSeedKey] = std::to_string(rs.seed);
  with_random[kOffsetKey] = std::to_string(rs.offset);
  save_safetensors(path, gather(parts), with_random);
}

Metadata load_checkpoint(const std::string& path, const CheckpointParts& parts) {
  const SafetensorsFile file = load_safetensors(path);
  // Check the whole file against every part before changing any of them.
  const StateDict expected = gather(parts);
  for (const auto& [name, t] : expected) {
    const auto found = file.tensors.find(name);
    if (found == file.tensors.end())
      throw Error("load_checkpoint: '" + path + "' has no tensor '" + name + "' " + shape_str(t.shape()));
    if (found->second.shape() != t.shape() || found->second.dtype() != t.dtype())
      throw Error("load_checkpoint: '" + path + "' tensor '" + name + "' is " + shape_str(found->second.shape()) +
                  " " + dtype_name(found->second.dtype()) + ", expected " + shape_str(t.shape()) + " " +
                  dtype_name(t.dtype()));
  }
  for (const auto& [name, t] : file.tensors)
    if (!expected.count(name))
      throw Error("load_checkpoint: '" + path + "' has unexpected tensor '" + name + "' " + shape_str(t.shape()));
  std::optional<RandomState> saved_random;
  if (file.metadata.count(kSeedKey) && file.metadata.count(kOffsetKey))
    saved_random = RandomState{parse_u64(path, file.metadata, kSeedKey), parse_u64(path, file.metadata, kOffsetKey)};
  for (const auto& [name, module] : parts.modules) module->load_state_dict(select_prefixed(file.tensors, name));
  for (const auto& [name, optimizer] : parts.optimizers)
    optimizer->load_state_dict(select_prefixed(file.tensors, name));
  if (saved_random) set_random_state(*saved_random);
  return file.metadata;
}

}  // namespace nn
