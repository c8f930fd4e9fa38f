#include "common/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace nn::apps {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

int terminal_columns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 100;
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

}  // namespace

std::function<void(std::int64_t, std::int64_t)> progress_bar_report(std::string label, ProgressOptions options) {
  auto bar = std::make_shared<std::optional<ProgressBar>>();
  return [bar, label = std::move(label), options = std::move(options)](std::int64_t done, std::int64_t total) {
    if (!*bar) bar->emplace(label, total, options);
    (*bar)->update(done);
    if (done == total) (*bar)->finish();
  };
}

std::string format_rate(double value) {
  if (!std::isfinite(value) || value < 0) return "?";
  if (value >= 1e6) return fixed(value / 1e6, 1) + "M";
  if (value >= 1e3) return fixed(value / 1e3, 1) + "k";
  if (value >= 10) return fixed(value, 1);
  return fixed(value, 2);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto total = static_cast<long long>(seconds + 0.5);
  const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
  char text[48];
  if (h > 0) {
    std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld", h, m, s);
  } else {
    std::snprintf(text, sizeof(text), "%lld:%02lld", m, s);
  }
  return text;
}

ProgressBar::ProgressBar(std::string label, std::int64_t total, ProgressOptions options)
    : label_(std::move(label)),
      total_(total),
      options_(std::move(options)),
      out_(options_.stream_ ? options_.stream_ : &std::cout),
      interactive_(options_.interactive_.value_or(isatty(STDOUT_FILENO) == 1)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  try {
    finish();
  } catch (...) {
    // A failing stream must not escape a destructor.
  }
}

void ProgressBar::update(std::int64_t done, const std::string& extra) {
  std::lock_guard lock(mutex_);
  done_ = done;
  if (!extra.empty()) extra_ = extra;
  redraw_locked(false);
}

void ProgressBar::advance(std::int64_t count, const std::string& extra) {
  std::lock_guard lock(mutex_);
  done_ += count;
  if (!extra.empty()) extra_ = extra;
  redraw_locked(false);
}

void ProgressBar::finish(const std::string& extra) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (!extra.empty()) extra_ = extra;
  const auto now = std::chrono::steady_clock::now();
  if (interactive_) {
    redraw_locked(true);
    *out_ << '\n' << std::flush;
    return;
  }
  if (!options_.final_line_) return;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  *out_ << label_ << ": " << done_;
  if (total_ > 0) *out_ << '/' << total_;
  *out_ << ' ' << options_.unit_ << " in " << fixed(seconds, 1) << " s ("
        << format_rate(seconds > 0 ? done_ / seconds : 0.0) << ' ' << options_.unit_ << "/s)";
  if (!extra_.empty()) *out_ << " | " << extra_;
  *out_ << '\n' << std::flush;
}

std::string ProgressBar::render(int width) const {
  std::lock_guard lock(mutex_);
  return render_locked(width, std::chrono::steady_clock::now());
}

std::string ProgressBar::render_locked(int width, std::chrono::steady_clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? done_ / seconds : 0.0;
  std::string tail;
  tail.append(" ").append(std::to_string(done_));
  if (total_ > 0) tail.append("/").append(std::to_string(total_));
  tail.append(" ").append(format_rate(rate)).append(" ").append(options_.unit_).append("/s ");
  if (total_ > 0) {
    const double left = done_ >= total_ ? 0.0 : (rate > 0 ? (total_ - done_) / rate : -1.0);
    tail.append("ETA ").append(format_duration(left));
  } else {
    tail.append(format_duration(seconds));
  }
  if (!extra_.empty()) tail.append(" | ").append(extra_);

  std::string line = label_;
  if (total_ > 0) {
    const double fraction = std::clamp(static_cast<double>(done_) / total_, 0.0, 1.0);
    line.append(" ").append(std::to_string(static_cast<int>(fraction * 100))).append("%");
    const int bar = std::min(30, width - static_cast<int>(line.size() + tail.size()) - 3);
    if (bar >= 10) {
      const auto filled = static_cast<std::size_t>(fraction * bar);
      line.append(" [").append(filled, '#').append(static_cast<std::size_t>(bar) - filled, '.').append("]");
    }
  }
  line.append(tail);
  if (width > 0 && line.size() > static_cast<std::size_t>(width)) line.resize(static_cast<std::size_t>(width));
  return line;
}

void ProgressBar::redraw_locked(bool force) {
  if (!interactive_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  // Leave the last column free so the terminal never wraps the line.
  *out_ << '\r' << render_locked(terminal_columns() - 1, now) << "\x1b[K" << std::flush;
}

}  // namespace nn::apps
