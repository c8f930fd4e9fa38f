// nn/cpu.hpp: the user-facing CPU switches.
#include "nn/cpu.hpp"

#include <atomic>

namespace nn {
namespace {
std::atomic<bool> g_winograd{true};
}  // namespace

void set_cpu_winograd(bool enabled) { g_winograd = enabled; }
bool cpu_winograd_enabled() { return g_winograd; }

}  // namespace nn
