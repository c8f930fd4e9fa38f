#pragma once
// Where a run's wall time went, for the line an app prints when it ends:
// named phases (data, judge, training, evaluation, ...) in the order they
// were first started, each the sum of every interval timed under its name.
// A phase timed inside another is not counted again in the outer one, so
// the phases add up to the wall time.
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace nn::apps {

class PhaseTimes {
 public:
  // Adds `seconds` to `phase`, which is listed from its first addition on.
  void add(const std::string& phase, double seconds);
  // Runs fn and adds its wall time, less that of phases timed inside it, to
  // `phase`; returns what fn returns.
  template <class Fn>
  decltype(auto) time(const std::string& phase, Fn&& fn) {
    const Stopwatch watch(*this, phase);
    return std::forward<Fn>(fn)();
  }
  double seconds(const std::string& phase) const;
  // "data 2.1 s, judge 45.0 s, training 226.3 s": one decimal per phase.
  std::string summary() const;

 private:
  // Times one call, also one that throws.
  class Stopwatch {
   public:
    Stopwatch(PhaseTimes& times, std::string phase);
    ~Stopwatch();
    Stopwatch(const Stopwatch&) = delete;
    Stopwatch& operator=(const Stopwatch&) = delete;

   private:
    PhaseTimes& times_;
    std::string phase_;
    std::chrono::steady_clock::time_point start_;
  };

  // The position of `phase` in phases_, or phases_.size() if it is not there.
  std::size_t index_of(const std::string& phase) const;

  std::vector<std::pair<std::string, double>> phases_;
  // For each phase being timed, outermost first: the seconds of the phases
  // timed inside it so far.
  std::vector<double> nested_;
};

}  // namespace nn::apps
