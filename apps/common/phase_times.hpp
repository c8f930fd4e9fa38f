#pragma once
// Where a run's wall time went, for the line an app prints when it ends:
// named phases (data, judge, training, evaluation, ...) in the order they
// were first timed, each the sum of every interval recorded under its name.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace nn::apps {

class PhaseTimes {
 public:
  // Adds `seconds` to `phase`, which is listed from its first addition on.
  void add(const std::string& phase, double seconds);
  // Runs fn and adds its wall time to `phase`; returns what fn returns.
  template <class Fn>
  decltype(auto) time(const std::string& phase, Fn&& fn) {
    const Stopwatch watch(*this, phase);
    return std::forward<Fn>(fn)();
  }
  double seconds(const std::string& phase) const;
  // "data 2.1 s, judge 45.0 s, training 226.3 s": one decimal per phase.
  std::string summary() const;

 private:
  // Adds the time from its construction to its destruction, also when fn throws.
  class Stopwatch {
   public:
    Stopwatch(PhaseTimes& times, const std::string& phase)
        : times_(times), phase_(phase), start_(std::chrono::steady_clock::now()) {}
    ~Stopwatch() {
      times_.add(phase_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
    Stopwatch(const Stopwatch&) = delete;
    Stopwatch& operator=(const Stopwatch&) = delete;

   private:
    PhaseTimes& times_;
    std::string phase_;
    std::chrono::steady_clock::time_point start_;
  };

  std::vector<std::pair<std::string, double>> phases_;
};

}  // namespace nn::apps
