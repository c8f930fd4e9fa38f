#include "common/cli.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "nn/error.hpp"

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

const char* project_version() { return LIBNN_PROJECT_VERSION; }

CommandLine::CommandLine(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void CommandLine::option(std::string name, std::string value_name, std::string help,
                         std::function<void(const std::string&)> apply) {
  entries_.push_back({std::move(name), std::move(value_name), std::move(help), std::move(apply), nullptr});
}

void CommandLine::flag(std::string name, std::string help, std::function<void()> apply) {
  entries_.push_back({std::move(name), "", std::move(help), nullptr, std::move(apply)});
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
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << help();
      return false;
    }
    if (arg == "--version") {
      std::cout << program_ << " " << project_version() << '\n';
      return false;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const Entry* entry = nullptr;
    for (const Entry& e : entries_)
      if (e.name == name) entry = &e;
    if (!entry) throw UsageError(program_ + ": unknown option '" + name + "' (see --help)");
    if (!was_given(name)) given_.push_back(name);
    if (entry->apply_flag) {
      if (equals != std::string::npos) throw UsageError(program_ + ": option " + name + " takes no value");
      entry->apply_flag();
      continue;
    }
    if (equals != std::string::npos) {
      entry->apply_value(arg.substr(equals + 1));
      continue;
    }
    if (i + 1 >= argc) throw UsageError(program_ + ": option " + arg + " needs a value " + entry->value_name);
    entry->apply_value(argv[++i]);
  }
  return true;
}

bool CommandLine::was_given(const std::string& name) const {
  return std::find(given_.begin(), given_.end(), name) != given_.end();
}

std::string CommandLine::help() const {
  std::ostringstream os;
  os << "usage: " << program_ << " [options]\n" << summary_ << "\n\noptions:\n";
  for (const Entry& e : entries_) {
    std::string left = "  " + e.name + (e.value_name.empty() ? "" : " " + e.value_name);
    if (left.size() < 26) left.resize(26, ' ');
    else left += "\n" + std::string(26, ' ');
    os << left << e.help << '\n';
  }
  os << "  --version               the version, then exit\n"
     << "  --help                  this text\n";
  return os.str();
}

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
