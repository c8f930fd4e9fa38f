#include "geometry/strided.hpp"

#include <string>

#include "nn/error.hpp"

namespace nn::geometry {

Strides contiguous_strides(const Shape& shape) {
  Strides strides(shape.size(), 1);
  for (std::size_t k = shape.size(); k-- > 1;) strides[k - 1] = strides[k] * shape[k];
  return strides;
}

Strides broadcast_strides(const Shape& input, const Shape& output) {
  const Strides own = contiguous_strides(input);
  Strides strides(output.size(), 0);
  const std::size_t lead = output.size() - input.size();
  for (std::size_t k = 0; k < input.size(); ++k) strides[lead + k] = input[k] == 1 ? 0 : own[k];
  return strides;
}

std::vector<kernels::StridedIndex> strided_indices(const char* op, const Shape& sizes,
                                                   const std::vector<Strides>& strides) {
  Shape merged_sizes;
  std::vector<Strides> merged(strides.size());
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    if (sizes[k] == 1) continue;
    // Dimension k continues the previous kept one when, for every operand,
    // stepping the previous coordinate equals stepping k through its size.
    bool mergeable = !merged_sizes.empty();
    for (std::size_t j = 0; j < strides.size() && mergeable; ++j)
      mergeable = merged[j].back() == strides[j][k] * sizes[k];
    if (mergeable) {
      merged_sizes.back() *= sizes[k];
      for (std::size_t j = 0; j < strides.size(); ++j) merged[j].back() = strides[j][k];
    } else {
      merged_sizes.push_back(sizes[k]);
      for (std::size_t j = 0; j < strides.size(); ++j) merged[j].push_back(strides[j][k]);
    }
  }
  if (merged_sizes.size() > static_cast<std::size_t>(kernels::kMaxDims))
    throw Error(std::string(op) + ": shape " + shape_str(sizes) + " needs more than " +
                std::to_string(kernels::kMaxDims) + " dimensions on CUDA");
  std::vector<kernels::StridedIndex> indices(strides.size());
  for (std::size_t j = 0; j < strides.size(); ++j) {
    indices[j].dims = static_cast<int>(merged_sizes.size());
    for (std::size_t k = 0; k < merged_sizes.size(); ++k) {
      indices[j].sizes[k] = merged_sizes[k];
      indices[j].strides[k] = merged[j][k];
    }
  }
  return indices;
}

SumToGeometry sum_to_geometry(const char* op, const Shape& x, const Shape& out) {
  // out, aligned on x's trailing dimensions, splits x's dimensions into kept
  // ones (same size) and summed ones (size 1 in out).
  Shape out_sizes(x.size(), 1), summed_sizes(x.size(), 1);
  const std::size_t lead = x.size() - out.size();
  for (std::size_t k = 0; k < out.size(); ++k) out_sizes[lead + k] = out[k];
  for (std::size_t k = 0; k < x.size(); ++k)
    if (out_sizes[k] != x[k]) summed_sizes[k] = x[k];
  const Strides strides = contiguous_strides(x);
  SumToGeometry g;
  g.kept = strided_indices(op, out_sizes, {strides})[0];
  g.summed = strided_indices(op, summed_sizes, {strides})[0];
  g.reduced = shape_numel(summed_sizes);
  return g;
}

}  // namespace nn::geometry
