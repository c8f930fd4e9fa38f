#pragma once
// The row view of concat and narrow along `dim`: a tensor is outer_count rows
// of row_length contiguous elements, and concatenation interleaves rows.
#include <cstddef>
#include <cstdint>

#include "nn/tensor.hpp"

namespace nn::geometry {

// Product of the sizes before `dim`: how many rows a concatenation interleaves.
inline std::int64_t outer_count(const Shape& shape, std::int64_t dim) {
  std::int64_t n = 1;
  for (std::int64_t k = 0; k < dim; ++k) n *= shape[static_cast<std::size_t>(k)];
  return n;
}

// Elements of one row: the sizes from `dim` on (one element when dim is the rank).
inline std::int64_t row_length(const Shape& shape, std::int64_t dim) {
  std::int64_t n = 1;
  for (std::size_t k = static_cast<std::size_t>(dim); k < shape.size(); ++k) n *= shape[k];
  return n;
}

}  // namespace nn::geometry
