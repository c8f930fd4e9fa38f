#pragma once
// A small command-line parser for the apps: `--name value` (or
// `--name=value`) options and `--flag` switches declared up front, with --help
// and --version text generated from the declarations. Unknown options and bad
// values raise UsageError naming them.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nn/error.hpp"

namespace nn::apps {

// A command line that cannot be run as given: the apps exit with status 2 for
// it and with 1 for a run that fails.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& what) : Error(what) {}
};

inline constexpr int kExitRunFailed = 1, kExitUsage = 2;

// The project's version, "MAJOR.MINOR.PATCH".
const char* project_version();

class CommandLine {
 public:
  CommandLine(std::string program, std::string summary);

  // Declares an option taking a value; `apply` parses and stores it.
  void option(std::string name, std::string value_name, std::string help,
              std::function<void(const std::string&)> apply);
  void flag(std::string name, std::string help, std::function<void()> apply);

  // Typed helpers that bind an option to a variable (the current value is the
  // documented default).
  void bind(const std::string& name, std::string& target, const std::string& help);
  void bind(const std::string& name, int& target, const std::string& help);
  void bind(const std::string& name, std::int64_t& target, const std::string& help);
  void bind(const std::string& name, std::uint64_t& target, const std::string& help);
  void bind(const std::string& name, double& target, const std::string& help);
  void bind(const std::string& name, bool& target, const std::string& help);

  // Parses argv; returns false when --help or --version was printed (the
  // caller exits 0).
  bool parse(int argc, const char* const* argv);
  std::string help() const;
  // The options given on the command line, in order, each once.
  const std::vector<std::string>& given() const { return given_; }
  bool was_given(const std::string& name) const;

 private:
  struct Entry {
    std::string name, value_name, help;
    std::function<void(const std::string&)> apply_value;
    std::function<void()> apply_flag;
  };
  std::string program_, summary_;
  std::vector<Entry> entries_;
  std::vector<std::string> given_;
};

// Splits "a,b,c" into its non-empty parts.
std::vector<std::string> split_list(const std::string& text, char separator = ',');

}  // namespace nn::apps
