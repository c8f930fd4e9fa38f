#include "common/phase_times.hpp"

#include <algorithm>
#include <cstdio>

namespace nn::apps {

void PhaseTimes::add(const std::string& phase, double seconds) {
  const auto found = std::find_if(phases_.begin(), phases_.end(), [&](const auto& p) { return p.first == phase; });
  if (found == phases_.end()) {
    phases_.emplace_back(phase, seconds);
  } else {
    found->second += seconds;
  }
}

double PhaseTimes::seconds(const std::string& phase) const {
  const auto found = std::find_if(phases_.begin(), phases_.end(), [&](const auto& p) { return p.first == phase; });
  return found == phases_.end() ? 0.0 : found->second;
}

std::string PhaseTimes::summary() const {
  std::string text;
  for (const auto& [phase, seconds] : phases_) {
    char figure[32];
    std::snprintf(figure, sizeof figure, " %.1f s", seconds);
    text += (text.empty() ? "" : ", ") + phase + figure;
  }
  return text;
}

}  // namespace nn::apps
