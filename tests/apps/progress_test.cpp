#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "common/progress.hpp"

using namespace nn::apps;
using Catch::Matchers::Contains;

TEST_CASE("progress: off a terminal only one summary line is printed", "[progress]") {
  std::ostringstream out;
  {
    ProgressBar bar("faces", 10, ProgressOptions().unit("img").stream(out).interactive(false));
    for (int i = 0; i < 10; ++i) bar.advance(1, "loss 0.5");
    CHECK(out.str().empty());
  }
  const std::string text = out.str();
  CHECK_THAT(text, Contains("faces: 10/10 img in ") && Contains("img/s)") && Contains("| loss 0.5"));
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\n') == text.size() - 1);

  std::ostringstream quiet;
  ProgressBar silent("faces", 3, ProgressOptions().stream(quiet).interactive(false).final_line(false));
  silent.update(3);
  silent.finish();
  CHECK(quiet.str().empty());
}

TEST_CASE("progress: on a terminal the bar is redrawn in place", "[progress]") {
  std::ostringstream out;
  ProgressBar bar("epoch 1", 200, ProgressOptions().unit("batch").stream(out).interactive(true));
  bar.update(50, "d 0.69 g 0.71");
  const std::string line = bar.render(100);
  CHECK(line.size() <= 100);
  CHECK_THAT(line, Contains("epoch 1 25% [") && Contains("50/200") && Contains("batch/s ETA ") &&
                       Contains("| d 0.69 g 0.71"));
  CHECK(bar.render(20).size() == 20);
  bar.finish();
  const std::string text = out.str();
  CHECK(text.rfind('\r') != std::string::npos);
  CHECK_THAT(text, Contains("50/200"));
  CHECK(text.back() == '\n');
  bar.finish();  // a second finish prints nothing more
  CHECK(out.str() == text);
}

TEST_CASE("progress: rates and durations read well", "[progress]") {
  CHECK(format_duration(65) == "1:05");
  CHECK(format_duration(3725) == "1:02:05");
  CHECK(format_duration(-1) == "--:--");
  CHECK(format_rate(1234) == "1.2k");
  CHECK(format_rate(2.5e6) == "2.5M");
  CHECK(format_rate(12.34) == "12.3");
  CHECK(format_rate(0.5) == "0.50");
}

TEST_CASE("progress: a progress report draws a bar that finishes at the total", "[progress]") {
  std::ostringstream out;
  const auto report = progress_bar_report("caching", ProgressOptions().unit("img").stream(out).interactive(false));
  for (std::int64_t done = 1; done <= 4; ++done) {
    CHECK(out.str().empty());
    report(done, 4);
  }
  CHECK_THAT(out.str(), Contains("caching: 4/4 img in "));
  CHECK(out.str().find('\n') == out.str().size() - 1);
}
