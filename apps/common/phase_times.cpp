#include "common/phase_times.hpp"

#include <cstdio>

namespace nn::apps {

void PhaseTimes::add(const std::string& phase, double seconds) {
  const std::size_t i = index_of(phase);
  if (i == phases_.size()) {
    phases_.emplace_back(phase, seconds);
  } else {
    phases_[i].second += seconds;
  }
}

double PhaseTimes::seconds(const std::string& phase) const {
  const std::size_t i = index_of(phase);
  return i == phases_.size() ? 0.0 : phases_[i].second;
}

std::size_t PhaseTimes::index_of(const std::string& phase) const {
  std::size_t i = 0;
  while (i < phases_.size() && phases_[i].first != phase) ++i;
  return i;
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

PhaseTimes::Stopwatch::Stopwatch(PhaseTimes& times, std::string phase)
    : times_(times), phase_(std::move(phase)), start_(std::chrono::steady_clock::now()) {
  times_.add(phase_, 0.0);  // listed from its start
  times_.nested_.push_back(0.0);
}

PhaseTimes::Stopwatch::~Stopwatch() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double inner = times_.nested_.back();
  times_.nested_.pop_back();
  times_.add(phase_, elapsed - inner);
  if (!times_.nested_.empty()) times_.nested_.back() += elapsed;
}

}  // namespace nn::apps
