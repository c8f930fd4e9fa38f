#include "common/csv_log.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string_view>

#include "common/cli.hpp"
#include "common/run_folder.hpp"
#include "nn/error.hpp"

namespace nn::apps {
namespace {

std::string joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ",") + c;
  return out;
}

// The cells of one data row as numbers; raises naming the place at fault.
std::vector<double> parse_row(const std::string& line, std::size_t columns, const std::string& where) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (cells.size() != columns)
    throw Error(where + ": " + std::to_string(cells.size()) + " cells where the header names " +
                std::to_string(columns));
  std::vector<double> values;
  for (const std::string& cell : cells) {
    char* end = nullptr;
    if (cell.empty()) {  // a value the step did not measure
      values.push_back(std::nan(""));
      continue;
    }
    const double v = std::strtod(cell.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v)) throw Error(where + ": '" + cell + "' is not a finite number");
    values.push_back(v);
  }
  return values;
}

}  // namespace

CsvLog::CsvLog(std::string path, std::vector<std::string> columns, std::int64_t resume_step, std::ostream& notes)
    : path_(std::move(path)), columns_(std::move(columns)) {
  if (resume_step <= 0) return;
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    notes << "note: " << path_ << " is missing; it starts again at step " << resume_step + 1 << "\n";
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::size_t line_start = 0;
  std::int64_t line_number = 0, previous_step = 0;
  std::size_t file_columns = columns_.size();
  while (line_start < text.size()) {
    ++line_number;
    const std::size_t newline = text.find('\n', line_start);
    const std::string line = text.substr(line_start, newline - line_start);
    const std::string where = path_ + ":" + std::to_string(line_number);
    if (newline == std::string::npos) {
      notes << "note: " << where << " is a torn last line (the run stopped while writing it); dropped\n";
      break;
    }
    line_start = newline + 1;
    if (line_number == 1) {
      if (line == joined(columns_)) continue;
      // A log from an older version that lacked the last columns: its rows
      // are kept, with those cells empty (not measured).
      std::size_t count = 0;
      while (count < columns_.size() && joined({columns_.begin(), columns_.begin() + count + 1}) != line) ++count;
      if (count + 1 >= columns_.size())
        throw Error(where + ": the header is '" + line + "', expected '" + joined(columns_) + "'");
      file_columns = count + 1;
      notes << "note: " << where << " lacks the newer columns after '" << columns_[count]
            << "'; its rows keep them empty\n";
      continue;
    }
    const std::vector<double> values = parse_row(line, file_columns, where);
    const double step = values.front();
    if (step != std::floor(step) || step <= static_cast<double>(previous_step))
      throw Error(where + ": the step " + line.substr(0, line.find(',')) + " does not follow step " +
                  std::to_string(previous_step));
    previous_step = static_cast<std::int64_t>(step);
    if (previous_step <= resume_step) kept_.push_back(line + std::string(columns_.size() - file_columns, ','));
  }
  if (line_number == 0) throw Error(path_ + ":1: the file is empty, expected the header '" + joined(columns_) + "'");
}

void CsvLog::open() {
  std::string text = joined(columns_) + "\n";
  for (const std::string& row : kept_) text += row + "\n";
  write_file_atomically(path_, text);
  out_.open(path_, std::ios::app);
  if (!out_) throw Error("cannot append to '" + path_ + "'");
}

void CsvLog::append(const std::vector<double>& values) {
  if (values.size() != columns_.size())
    throw Error(path_ + ": a row of " + std::to_string(values.size()) + " values for " +
                std::to_string(columns_.size()) + " columns");
  std::ostringstream row;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) row << ',';
    const double v = values[i];
    if (std::isnan(v)) continue;  // not measured: an empty cell
    if (v == std::floor(v) && std::fabs(v) < 9e15) {
      row << static_cast<std::int64_t>(v);
    } else {
      char text[32];  // the shortest text that reads back as exactly v
      row << std::string_view(text, static_cast<std::size_t>(std::to_chars(text, text + sizeof text, v).ptr - text));
    }
  }
  out_ << row.str() << '\n';
  out_.flush();
}

}  // namespace nn::apps
