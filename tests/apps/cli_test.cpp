// The apps' shared command-line parser.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/cli.hpp"

using Catch::Matchers::Contains;

namespace {

struct Parsed {
  std::int64_t steps = 5;
  double lr = 0.1;
  bool tf32 = false;
  std::vector<std::string> rows;
  std::vector<std::string> given;
};

Parsed parse(std::vector<const char*> args) {
  Parsed p;
  nn::apps::CommandLine cli("prog", "A test program.");
  cli.group("Training");
  cli.bind("--steps", p.steps, "steps");
  cli.bind("--lr", p.lr, "rate");
  cli.group("Other");
  cli.bind("--tf32", p.tf32, "tf32");
  cli.option("--row", "NAMES", "one row", [&p](const std::string& v) { p.rows.push_back(v); });
  args.insert(args.begin(), "prog");
  const bool run = cli.parse(static_cast<int>(args.size()), args.data());
  REQUIRE(run);
  p.given = cli.given();
  return p;
}

}  // namespace

TEST_CASE("cli: --opt value and --opt=value, repeated options, the options given", "[cli]") {
  const Parsed p = parse({"--lr=0.5", "--steps", "-3", "--row", "a,b", "--row=", "--tf32", "--row", "c"});
  CHECK(p.lr == 0.5);
  CHECK(p.steps == -3);
  CHECK(p.tf32);
  CHECK(p.rows == std::vector<std::string>{"a,b", "", "c"});
  CHECK(p.given == std::vector<std::string>{"--steps", "--lr", "--tf32", "--row"});
  const Parsed defaults = parse({});
  CHECK(defaults.steps == 5);
  CHECK(defaults.given.empty());
}

TEST_CASE("cli: usage errors are UsageError and name the option", "[cli]") {
  for (const std::vector<const char*>& bad : std::vector<std::vector<const char*>>{
           {"--steps", "many"}, {"--steps"}, {"--nope"}, {"--lr", "1", "2"}, {"--steps=1.5"}}) {
    INFO(bad.front());
    CHECK_THROWS_AS(parse(bad), nn::apps::UsageError);
  }
  CHECK_THROWS_WITH(parse({"--steps", "many"}), Contains("--steps") && Contains("many"));
  CHECK_THROWS_WITH(parse({"--nope"}), Contains("--nope"));
}

TEST_CASE("cli: --help groups the options, and --help and --version stop the program", "[cli]") {
  std::int64_t steps = 1;
  nn::apps::CommandLine cli("prog", "A test program.");
  cli.group("Training");
  cli.bind("--steps", steps, "steps to train");
  const std::string help = cli.help();
  CHECK_THAT(help, Contains("Training") && Contains("--steps") && Contains("steps to train (default 1)") &&
                       Contains("--version"));
  const char* version[] = {"prog", "--version"};
  CHECK_FALSE(cli.parse(2, version));
  const char* help_args[] = {"prog", "--help"};
  nn::apps::CommandLine other("prog", "A test program.");
  CHECK_FALSE(other.parse(2, help_args));
  CHECK(std::string(nn::apps::project_version()) == LIBNN_PROJECT_VERSION);
}
