#include "common/cli.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "nn/error.hpp"
#include "nn/version.hpp"

namespace nn::apps {
namespace {

template <class T>
T parse_number(const std::string& option, const std::string& text) {
  std::istringstream in(text);
  T value{};
  in >> value;
  if (in.fail() || !in.eof() || text.empty())
    throw UsageError("option " + option + ": '" + text + "' is not a valid number");
  if constexpr (std::is_unsigned_v<T>)
    if (text.find('-') != std::string::npos)
      throw UsageError("option " + option + ": '" + text + "' must not be negative");
  return value;
}

template <class T>
std::string shown(const T& value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

}  // namespace

const char* project_version() { return nn::version(); }

int exit_status_of(const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    std::cerr << e.what() << "\n(see --help)\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return kExitRunFailed;
  }
}

CommandLine::CommandLine(std::string program, std::string summary)
    : program_(std::move(program)), app_(std::make_unique<CLI::App>(std::move(summary), program_)) {
  app_->set_version_flag("--version", std::string(project_version()));
}

CommandLine::~CommandLine() = default;

void CommandLine::group(std::string title) { group_ = std::move(title); }

void CommandLine::option(std::string name, std::string value_name, std::string help,
                         std::function<void(const std::string&)> apply) {
  Entry& entry = entries_.emplace_back();
  entry.name = name;
  entry.apply_value = std::move(apply);
  // One value per occurrence, every occurrence kept.
  entry.declared = app_->add_option(name, entry.values, help)
                       ->type_name(value_name)
                       ->expected(1)
                       ->allow_extra_args(false)
                       ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                       ->group(group_);
}

void CommandLine::flag(std::string name, std::string help, std::function<void()> apply) {
  Entry& entry = entries_.emplace_back();
  entry.name = name;
  entry.apply_flag = std::move(apply);
  entry.declared = app_->add_flag(name)->description(help)->group(group_);
}

void CommandLine::bind(const std::string& name, std::string& target, const std::string& help) {
  option(name, "TEXT", help + (target.empty() ? "" : " (default " + target + ")"),
         [&target](const std::string& v) { target = v; });
}

void CommandLine::bind(const std::string& name, int& target, const std::string& help) {
  option(name, "N", help + " (default " + shown(target) + ")",
         [&target, name](const std::string& v) { target = parse_number<int>(name, v); });
}

void CommandLine::bind(const std::string& name, std::int64_t& target, const std::string& help) {
  option(name, "N", help + " (default " + shown(target) + ")",
         [&target, name](const std::string& v) { target = parse_number<std::int64_t>(name, v); });
}

void CommandLine::bind(const std::string& name, std::uint64_t& target, const std::string& help) {
  option(name, "N", help + " (default " + shown(target) + ")",
         [&target, name](const std::string& v) { target = parse_number<std::uint64_t>(name, v); });
}

void CommandLine::bind(const std::string& name, double& target, const std::string& help) {
  option(name, "X", help + " (default " + shown(target) + ")",
         [&target, name](const std::string& v) { target = parse_number<double>(name, v); });
}

void CommandLine::bind(const std::string& name, bool& target, const std::string& help) {
  flag(name, help, [&target] { target = true; });
}

bool CommandLine::parse(int argc, const char* const* argv) {
  // CLI11 reads "--name=" as "--name" waiting for the next argument; it means
  // an empty value.
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) {
    const std::string arg = argv[i];
    const bool empty_value = arg.size() > 3 && arg.rfind("--", 0) == 0 && arg.back() == '=' &&
                             arg.find('=') == arg.size() - 1;
    if (empty_value) args.push_back("");
    args.push_back(empty_value ? arg.substr(0, arg.size() - 1) : arg);
  }
  try {
    app_->parse(args);
  } catch (const CLI::CallForHelp&) {
    std::cout << help();
    return false;
  } catch (const CLI::CallForVersion&) {
    std::cout << program_ << " " << project_version() << '\n';
    return false;
  } catch (const CLI::ParseError& e) {
    throw UsageError(program_ + ": " + e.what());
  }
  for (const Entry& entry : entries_) {
    if (entry.declared->count() == 0) continue;
    given_.push_back(entry.name);
    if (entry.apply_flag) entry.apply_flag();
    else
      for (const std::string& value : entry.values) entry.apply_value(value);
  }
  return true;
}

bool CommandLine::was_given(const std::string& name) const {
  return std::find(given_.begin(), given_.end(), name) != given_.end();
}

std::string CommandLine::help() const { return app_->help(); }

std::vector<std::string> split_list(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == separator) {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

}  // namespace nn::apps
