#pragma once
// Attribute vectors people write on the command line (--attr), and the
// training faces' majority vector a checkpoint keeps to build them on.
// A row is a comma-separated list of CelebA attribute names: each named one
// is switched on and, written "-Name", off; the others keep the majority
// value of the training faces. "all" and "none" are the vectors with every
// attribute on or off.
#include <string>
#include <vector>

#include "nn/safetensors.hpp"

namespace nn::apps {

// Raises nn::Error naming the row and the first word that is not an
// attribute name (or that is empty).
void check_attribute_row(const std::string& row);
// The 40 values of `row` built on `majority` (40 values of 0 or 1).
std::vector<float> attribute_row(const std::string& row, const std::vector<float>& majority);

// The majority vector as the checkpoint entry "attribute_majority" holds it: "1,0,...".
std::string majority_metadata(const std::vector<float>& majority);
// The "attribute_majority" entry of a checkpoint read from `path`: 40 values,
// each 0 or 1; anything else raises nn::Error naming the file.
std::vector<float> attribute_majority(const Metadata& metadata, const std::string& path);

}  // namespace nn::apps
