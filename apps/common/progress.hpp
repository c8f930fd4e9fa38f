#pragma once
// A progress bar for long loops: count/total, rate in items per second, ETA
// and optional extra text (losses, say). On a terminal it redraws one line
// in place with '\r' (at most ten times a second); otherwise it stays silent
// except for one summary line at the end (unless turned off), so logs and
// pipes get no control characters.
#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace nn::apps {

struct ProgressOptions {
  std::string unit_ = "it";          // what is counted: "img", "batch", ...
  bool final_line_ = true;           // off a terminal: one summary line when done
  std::ostream* stream_ = nullptr;   // defaults to std::cout
  std::optional<bool> interactive_;  // defaults to isatty(stdout)

  ProgressOptions& unit(std::string v) { unit_ = std::move(v); return *this; }
  ProgressOptions& final_line(bool v) { final_line_ = v; return *this; }
  ProgressOptions& stream(std::ostream& v) { stream_ = &v; return *this; }
  ProgressOptions& interactive(bool v) { interactive_ = v; return *this; }
};

class ProgressBar {
 public:
  ProgressBar(std::string label, std::int64_t total, ProgressOptions options = {});
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Sets the count done so far (thread-safe); `extra` replaces the extra text
  // unless empty.
  void update(std::int64_t done, const std::string& extra = "");
  // Adds `count` to the count done (thread-safe).
  void advance(std::int64_t count = 1, const std::string& extra = "");
  // Ends the bar: the final redraw and newline on a terminal, the summary
  // line if enabled. Called by the destructor if not before.
  void finish(const std::string& extra = "");

  bool interactive() const { return interactive_; }
  // The text of the bar as it would be drawn now, `width` columns at most.
  std::string render(int width) const;

 private:
  std::string render_locked(int width, std::chrono::steady_clock::time_point now) const;
  void redraw_locked(bool force);

  std::string label_;
  std::int64_t total_, done_ = 0;
  ProgressOptions options_;
  std::ostream* out_;
  bool interactive_, finished_ = false;
  std::string extra_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  mutable std::mutex mutex_;
};

// A progress report of the form libnn::data's long jobs take (count done,
// total) drawn as a bar: the bar appears at the first report and finishes when
// the count reaches the total or the last copy of the function is gone.
std::function<void(std::int64_t done, std::int64_t total)> progress_bar_report(std::string label,
                                                                                ProgressOptions options = {});

// "1.2k", "35.0", "0.50": a rate or count in a few characters.
std::string format_rate(double per_second);
// "m:ss" or "h:mm:ss"; "--:--" when unknown.
std::string format_duration(double seconds);

}  // namespace nn::apps
