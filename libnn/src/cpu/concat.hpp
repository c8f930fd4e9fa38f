#pragma once
// CPU concatenation along one dimension and its adjoint, the slice.
#include <cstdint>
#include <vector>

#include "nn/tensor.hpp"

namespace nn::cpu {

// out = xs joined along `dim` (non-negative); the xs match out elsewhere.
void concat(const std::vector<Tensor>& xs, std::int64_t dim, const Tensor& out);

// out = x[..., start : start + out.size(dim), ...] along `dim`.
void narrow(const Tensor& x, std::int64_t dim, std::int64_t start, const Tensor& out);

}  // namespace nn::cpu
