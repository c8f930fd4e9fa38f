#pragma once
// What a dcgan run leaves in its folder besides checkpoints: the per-batch
// CSV logs, their plots, and the per-epoch sample sheets.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/training_log.hpp"
#include "dcgan/models.hpp"
#include "dcgan/trainer.hpp"

namespace dcgan {

// The files a run writes into its folder; a new run refuses a folder holding
// any of them unless --overwrite.
const std::vector<std::string>& run_file_patterns();

class RunLog {
 public:
  // Reads back losses.csv and metrics.csv in `dir` when resuming at
  // `resume_step`; writes nothing.
  RunLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes);
  void open();
  void append(std::int64_t step, int epoch, const StepMetrics& m);
  // Renders losses.svg and metrics.svg from the CSVs written so far.
  void plot() const;

 private:
  nn::apps::TrainingLog losses_, metrics_;
};

// G's images for the rows of `z`, in a square-ish grid, in eval mode.
void write_sample_sheet(const std::string& path, Generator& generator, const nn::Tensor& z);

}  // namespace dcgan
