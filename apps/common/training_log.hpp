#pragma once
// One CSV log of a training run (losses.csv, metrics.csv, eval.csv): a row
// per step or evaluation, "step" and "epoch" first, then the app's values,
// read back on resume (see CsvLog); and the charts drawn from it against the
// step, each into an SVG file of the run folder.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/csv_log.hpp"

namespace nn::apps {

struct LogChart {
  std::string file;  // "losses.svg"
  std::string title, y_label;
  std::vector<std::string> columns;
};

class TrainingLog {
 public:
  // `dir`/`name` is the CSV file; `columns` are the values after step and
  // epoch. Reads the file back when resuming at `resume_step` > 0.
  TrainingLog(const std::string& dir, const std::string& name, std::vector<std::string> columns,
              std::vector<LogChart> charts, std::int64_t resume_step, std::ostream& notes);
  // Rewrites the file with the rows kept and opens it for appending.
  void open();
  // One row: the step, the epoch and as many values as columns (NaN: an
  // empty cell).
  void append(std::int64_t step, int epoch, const std::vector<double>& values);
  // Draws every chart from the rows written so far.
  void plot() const;

 private:
  std::string dir_;
  std::vector<LogChart> charts_;
  CsvLog log_;
};

}  // namespace nn::apps
