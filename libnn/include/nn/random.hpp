#pragma once
// The global random generator: Philox 4x32-10, counter-based, so a draw is a
// pure function of (seed, offset) and the CPU and CUDA backends produce the
// same numbers. Each random op reserves a range of counters and advances the
// offset past it.
#include <cstdint>

namespace nn {

struct RandomState {
  std::uint64_t seed = 0;
  std::uint64_t offset = 0;
};

void manual_seed(std::uint64_t seed);
RandomState random_state();
void set_random_state(RandomState state);
// Reserves `count` consecutive 32-bit draws; returns the state to draw them from.
RandomState reserve_random(std::uint64_t count);

}  // namespace nn
