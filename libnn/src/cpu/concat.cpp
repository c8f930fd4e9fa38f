#include "cpu/concat.hpp"

#include <cstring>

#include "cpu/parallel.hpp"
#include "geometry/concat_rows.hpp"

namespace nn::cpu {
namespace {

using geometry::outer_count;

// Bytes of one row (geometry/concat_rows.hpp).
std::size_t block_bytes(const Tensor& t, std::int64_t dim) {
  return dtype_size(t.dtype()) * static_cast<std::size_t>(geometry::row_length(t.shape(), dim));
}

}  // namespace

void concat(const std::vector<Tensor>& xs, std::int64_t dim, const Tensor& out) {
  const std::int64_t outer = outer_count(out.shape(), dim);
  const std::size_t out_block = block_bytes(out, dim);
  char* dst = static_cast<char*>(out.raw_data());
  std::size_t offset = 0;
  for (const Tensor& x : xs) {
    const std::size_t block = block_bytes(x, dim);
    const char* src = static_cast<const char*>(x.raw_data());
#pragma omp parallel for schedule(static) if (out.numel() >= kParallelGrain)
    for (std::int64_t o = 0; o < outer; ++o) {
      const auto row = static_cast<std::size_t>(o);
      if (block) std::memcpy(dst + row * out_block + offset, src + row * block, block);
    }
    offset += block;
  }
}

void narrow(const Tensor& x, std::int64_t dim, std::int64_t start, const Tensor& out) {
  const std::int64_t outer = outer_count(x.shape(), dim);
  const std::size_t x_block = block_bytes(x, dim);
  const std::size_t out_block = block_bytes(out, dim);
  // One step along `dim` is a block of the dimensions after it.
  const std::size_t skip = static_cast<std::size_t>(start) * block_bytes(x, dim + 1);
  const char* src = static_cast<const char*>(x.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
#pragma omp parallel for schedule(static) if (out.numel() >= kParallelGrain)
  for (std::int64_t o = 0; o < outer; ++o) {
    const auto row = static_cast<std::size_t>(o);
    if (out_block) std::memcpy(dst + row * out_block, src + row * x_block + skip, out_block);
  }
}

}  // namespace nn::cpu
