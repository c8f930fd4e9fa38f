#pragma once
// Line charts of training logs: columns of a CSV file (losses.csv,
// metrics.csv) drawn against a step or epoch column into an SVG file any
// browser opens. Axes with round-number ticks, a legend, gaps where cells
// are empty or not finite.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nn::apps {

// A CSV file with a header line; cells kept as text until asked for.
class CsvTable {
 public:
  static CsvTable read(const std::string& path);
  const std::string& path() const { return path_; }
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t rows() const { return cells_.size(); }
  // Index of a column; nn::Error naming the file and the column if absent.
  std::size_t column(const std::string& name) const;
  // A column as numbers: empty cells are NaN; any other text that is not a
  // number is an nn::Error naming the file, line and column.
  std::vector<double> numbers(const std::string& name) const;

 private:
  std::string path_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> cells_;
  std::vector<std::int64_t> lines_;  // line number of each row in the file
};

struct LinePlotOptions {
  std::string title_, x_column_, x_label_, y_label_;
  std::vector<std::string> y_columns_;
  int width_ = 800, height_ = 480;

  LinePlotOptions& title(std::string v) { title_ = std::move(v); return *this; }
  // The x values; empty (the default) plots against the row number.
  LinePlotOptions& x_column(std::string v) { x_column_ = std::move(v); return *this; }
  LinePlotOptions& y_columns(std::vector<std::string> v) { y_columns_ = std::move(v); return *this; }
  LinePlotOptions& x_label(std::string v) { x_label_ = std::move(v); return *this; }
  LinePlotOptions& y_label(std::string v) { y_label_ = std::move(v); return *this; }
  LinePlotOptions& size(int width, int height) { width_ = width; height_ = height; return *this; }
};

// The SVG text of the chart: one <polyline> per run of finite points of
// each series, in the order of y_columns.
std::string line_chart_svg(const CsvTable& table, const LinePlotOptions& options);
// Reads `csv_path` and writes the chart to `svg_path`.
void plot_csv(const std::string& csv_path, const std::string& svg_path, const LinePlotOptions& options);

}  // namespace nn::apps
