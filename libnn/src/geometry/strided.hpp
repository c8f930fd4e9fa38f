#pragma once
// Builds the kernels' StridedIndex geometries (kernels/strided_index.hpp) from
// tensor shapes. Host code, independent of CUDA, so that it is tested anywhere.
#include <cstdint>
#include <vector>

#include "nn/tensor.hpp"
#include "strided_index.hpp"

namespace nn::geometry {

using Strides = std::vector<std::int64_t>;

// Row-major strides of a contiguous tensor of `shape`.
Strides contiguous_strides(const Shape& shape);
// Per dimension of `output`, the stride with which a contiguous `input`
// broadcast to `output` (trailing dimensions aligned) is read: 0 where the
// input has size 1 or lacks the dimension.
Strides broadcast_strides(const Shape& input, const Shape& output);
// One StridedIndex per entry of `strides`, all over the same `sizes`.
// Dimensions of size 1 are dropped and neighbours merged where every operand
// allows it. nn::Error naming `op` if more than kernels::kMaxDims remain.
std::vector<kernels::StridedIndex> strided_indices(const char* op, const Shape& sizes,
                                                   const std::vector<Strides>& strides);

// How a sum of x down to `out` (a shape that broadcasts to x's) walks x:
// output element o adds x[kept(o) + summed(r)] for r in [0, reduced).
struct SumToGeometry {
  kernels::StridedIndex kept, summed;
  std::int64_t reduced = 1;
};
SumToGeometry sum_to_geometry(const char* op, const Shape& x, const Shape& out);

}  // namespace nn::geometry
