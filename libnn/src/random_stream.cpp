#include "nn/random_stream.hpp"

#include "philox.hpp"

namespace nn {

RandomBlock random_block(std::uint64_t key, std::uint64_t counter) {
  const kernels::Philox4 block = kernels::philox4x32_10(counter, key);
  return {block.v[0], block.v[1], block.v[2], block.v[3]};
}

}  // namespace nn
