#pragma once
// Naive references for the typed tests, written from the definitions of
// broadcasting and reduction rather than from libnn's kernels: walk every
// output coordinate and look the input element up by its coordinates.
#include <cstdint>
#include <vector>

#include <nn/tensor.hpp>

namespace nn::testing {

// The coordinates of element i of `shape` (row-major).
inline std::vector<std::int64_t> coordinates(std::int64_t i, const Shape& shape) {
  std::vector<std::int64_t> c(shape.size());
  for (std::size_t k = shape.size(); k-- > 0;) {
    c[k] = i % shape[k];
    i /= shape[k];
  }
  return c;
}

// The element of `input` (trailing-aligned with `coords`' shape) that a
// broadcast reads at `coords`.
inline std::int64_t broadcast_source(const std::vector<std::int64_t>& coords, const Shape& input) {
  const std::size_t lead = coords.size() - input.size();
  std::int64_t index = 0;
  for (std::size_t k = 0; k < input.size(); ++k) index = index * input[k] + (input[k] == 1 ? 0 : coords[lead + k]);
  return index;
}

inline std::vector<double> naive_broadcast(const std::vector<double>& x, const Shape& xs, const Shape& out) {
  std::vector<double> y(static_cast<std::size_t>(shape_numel(out)));
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = x[static_cast<std::size_t>(broadcast_source(coordinates(static_cast<std::int64_t>(i), out), xs))];
  return y;
}

// x summed down to `out`, a shape that broadcasts to xs.
inline std::vector<double> naive_sum_to(const std::vector<double>& x, const Shape& xs, const Shape& out) {
  std::vector<double> y(static_cast<std::size_t>(shape_numel(out)), 0.0);
  for (std::size_t i = 0; i < x.size(); ++i)
    y[static_cast<std::size_t>(broadcast_source(coordinates(static_cast<std::int64_t>(i), xs), out))] += x[i];
  return y;
}

}  // namespace nn::testing
