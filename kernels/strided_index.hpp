#pragma once
// Where element i of an output reads a broadcast or reduced input:
// offset(i) = sum over dimensions k of coordinate_k(i) * strides[k], with the
// coordinates taken in `sizes` (row-major). A stride of 0 repeats the input
// along that dimension; dims == 0 reads element 0 (a scalar operand).
#include <cstdint>

#include "common.hpp"

namespace nn::kernels {

constexpr int kMaxDims = 8;

struct StridedIndex {
  int dims = 0;
  std::int64_t sizes[kMaxDims] = {};
  std::int64_t strides[kMaxDims] = {};
};

NN_HD std::int64_t strided_offset(const StridedIndex& index, std::int64_t i) {
  std::int64_t offset = 0;
  for (int k = index.dims - 1; k >= 0; --k) {
    const std::int64_t size = index.sizes[k];
    offset += (i % size) * index.strides[k];
    i /= size;
  }
  return offset;
}

}  // namespace nn::kernels
