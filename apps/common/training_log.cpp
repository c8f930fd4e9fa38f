#include "common/training_log.hpp"

#include "common/plot.hpp"

namespace nn::apps {
namespace {

std::vector<std::string> with_step_and_epoch(std::vector<std::string> columns) {
  columns.insert(columns.begin(), {"step", "epoch"});
  return columns;
}

}  // namespace

TrainingLog::TrainingLog(const std::string& dir, const std::string& name, std::vector<std::string> columns,
                         std::vector<LogChart> charts, std::int64_t resume_step, std::ostream& notes)
    : dir_(dir),
      charts_(std::move(charts)),
      log_(dir + "/" + name, with_step_and_epoch(std::move(columns)), resume_step, notes) {}

void TrainingLog::open() { log_.open(); }

void TrainingLog::append(std::int64_t step, int epoch, const std::vector<double>& values) {
  std::vector<double> row = {static_cast<double>(step), static_cast<double>(epoch)};
  row.insert(row.end(), values.begin(), values.end());
  log_.append(row);
}

void TrainingLog::plot() const {
  for (const LogChart& chart : charts_)
    plot_csv(log_.path(), dir_ + "/" + chart.file,
             LinePlotOptions()
                 .title(chart.title)
                 .x_column("step")
                 .x_label("step")
                 .y_label(chart.y_label)
                 .y_columns(chart.columns));
}

}  // namespace nn::apps
