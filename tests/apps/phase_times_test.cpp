#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "common/phase_times.hpp"

using nn::apps::PhaseTimes;

namespace {

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

TEST_CASE("phase times sum per phase and list phases in first-seen order", "[apps][phase_times]") {
  PhaseTimes times;
  times.add("data", 2.04);
  times.add("training", 100.0);
  times.add("data", 1.0);
  times.add("evaluation", 0.34);
  CHECK(times.seconds("data") == Approx(3.04));
  CHECK(times.seconds("judge") == 0.0);
  CHECK(times.summary() == "data 3.0 s, training 100.0 s, evaluation 0.3 s");
  CHECK(PhaseTimes().summary().empty());
}

TEST_CASE("phase times time a call, also one that throws", "[apps][phase_times]") {
  PhaseTimes times;
  const int value = times.time("work", [] {
    sleep_ms(20);
    return 7;
  });
  CHECK(value == 7);
  CHECK(times.seconds("work") >= 0.02);
  CHECK_THROWS_AS(times.time("failing", [] { throw std::runtime_error("no"); }), std::runtime_error);
  CHECK(times.summary().find("failing") != std::string::npos);
}

TEST_CASE("a phase timed inside another is counted once, and listed after it", "[apps][phase_times]") {
  PhaseTimes times;
  const auto wall_start = std::chrono::steady_clock::now();
  times.time("training", [&] {
    sleep_ms(30);
    times.time("evaluation", [] { sleep_ms(60); });
    sleep_ms(30);
  });
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  CHECK(times.seconds("evaluation") >= 0.06);
  CHECK(times.seconds("training") >= 0.06);
  CHECK(times.seconds("training") + times.seconds("evaluation") == Approx(wall).margin(0.005));
  CHECK(times.summary().find("training") < times.summary().find("evaluation"));
}
