#pragma once
// Counts the items a parallel loop has finished and hands each new count to a
// ProgressReport, one call at a time.
#include <cstdint>
#include <mutex>

#include "nn/data/progress.hpp"

namespace nn::data {

class ProgressCounter {
 public:
  ProgressCounter(const ProgressReport& report, std::int64_t total) : report_(report), total_(total) {}

  // Safe to call from any thread.
  void advance() {
    if (!report_) return;
    std::lock_guard lock(mutex_);
    report_(++done_, total_);
  }

 private:
  const ProgressReport& report_;
  std::int64_t total_, done_ = 0;
  std::mutex mutex_;
};

}  // namespace nn::data
