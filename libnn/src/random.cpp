#include "nn/random.hpp"

#include <mutex>

namespace nn {
namespace {
std::mutex g_mutex;
RandomState g_state{0x5eedULL, 0};
}  // namespace

void manual_seed(std::uint64_t seed) {
  std::lock_guard lock(g_mutex);
  g_state = {seed, 0};
}

RandomState random_state() {
  std::lock_guard lock(g_mutex);
  return g_state;
}

void set_random_state(RandomState state) {
  std::lock_guard lock(g_mutex);
  g_state = state;
}

RandomState reserve_random(std::uint64_t count) {
  std::lock_guard lock(g_mutex);
  const RandomState reserved = g_state;
  // Keep every reservation aligned to a whole Philox block of four draws.
  g_state.offset += (count + 3) / 4 * 4;
  return reserved;
}

}  // namespace nn
