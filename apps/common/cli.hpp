#pragma once
// The apps' command lines, on CLI11: `--name value` or `--name=value`
// options and `--flag` switches declared up front, grouped --help and
// --version generated from the declarations. Unknown options and bad values
// raise UsageError naming them.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/error.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace nn::apps {

// A command line that cannot be run as given: the apps exit with status 2 for
// it and with 1 for a run that fails.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& what) : Error(what) {}
};

inline constexpr int kExitRunFailed = 1, kExitUsage = 2;

// Runs a program's body and returns its exit status: what the body returns,
// kExitUsage after printing a UsageError, kExitRunFailed after printing any
// other exception.
int exit_status_of(const std::function<int()>& body);

// The project's version, "MAJOR.MINOR.PATCH" (nn::version()).
const char* project_version();

class CommandLine {
 public:
  CommandLine(std::string program, std::string summary);
  ~CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Options declared from here on are listed under `title` in --help.
  void group(std::string title);

  // Declares an option taking a value; `apply` parses and stores it, once for
  // each time the option is given.
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
    std::string name;
    std::function<void(const std::string&)> apply_value;
    std::function<void()> apply_flag;
    std::vector<std::string> values;  // CLI11 stores each occurrence's value here
    CLI::Option* declared = nullptr;
  };
  std::string program_;
  std::unique_ptr<CLI::App> app_;
  std::string group_ = "Options";
  std::deque<Entry> entries_;  // a deque: CLI11 keeps pointers to `values`
  std::vector<std::string> given_;
};

// Splits "a,b,c" into its non-empty parts.
std::vector<std::string> split_list(const std::string& text, char separator = ',');

}  // namespace nn::apps
