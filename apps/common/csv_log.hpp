#pragma once
// A training log in CSV: a header of column names, then one row of numbers
// per step, the step (a positive integer, increasing) in the first column.
// A resumed run reads its log back before writing anything: a torn last line
// (no newline: the process died mid-write) is dropped with a note, rows after
// the resumed step are dropped, and any other malformed row raises nn::Error
// naming "<file>:<line>". A log written by an older version whose header
// lacks the last columns is read with those cells empty.
#include <cstdint>
#include <fstream>
#include <iosfwd>
#include <string>
#include <vector>

namespace nn::apps {

class CsvLog {
 public:
  // Reads `path` back when `resume_step` > 0 (a new run, 0, starts empty);
  // notes go to `notes`. Writes nothing.
  CsvLog(std::string path, std::vector<std::string> columns, std::int64_t resume_step, std::ostream& notes);
  // Replaces the file by the header and the rows kept, atomically, and opens
  // it for appending.
  void open();
  // One row, as many values as columns, each written so that it reads back
  // exactly (integral values as integers); NaN, a value the step did not
  // measure, is an empty cell.
  void append(const std::vector<double>& values);
  // The rows read back and kept, as written.
  const std::vector<std::string>& kept_rows() const { return kept_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> columns_;
  std::vector<std::string> kept_;
  std::ofstream out_;
};

}  // namespace nn::apps
