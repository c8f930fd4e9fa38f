#pragma once
// What a training run leaves in its folder besides checkpoints: the per-batch
// CSV logs, their plots, and the per-epoch sample sheets.
#include <iosfwd>
#include <string>

#include "acgan_celeba/trainer.hpp"
#include "common/training_log.hpp"

namespace acgan {

// The files a run writes into its folder; a new run refuses a folder holding
// any of them unless --overwrite.
const std::vector<std::string>& run_file_patterns();

class RunLog {
 public:
  // Reads back losses.csv and metrics.csv in `dir` when resuming at
  // `resume_step` (see nn::apps::TrainingLog); writes nothing.
  RunLog(const std::string& dir, std::int64_t resume_step, std::ostream& notes);
  // Rewrites both files with the rows kept and opens them for appending.
  void open();
  void append(std::int64_t step, int epoch, const StepMetrics& m);
  // Renders losses.svg and metrics.svg from the CSVs written so far.
  void plot() const;

 private:
  nn::apps::TrainingLog losses_, metrics_;
};

// Real images (top row of each pair) above their reconstructions G(E(x)).
void write_reconstruction_sheet(const std::string& path, Encoder& encoder, Generator& generator,
                                const nn::Tensor& images);
// One row per z; the first column uses the row's attributes from `bases`
// (rows x 40), each further column flips one attribute of `flips` (CelebA
// names): a value over 0.5 becomes 0, any other 1.
void write_attribute_sheet(const std::string& path, Generator& generator, const std::vector<float>& bases,
                           const nn::Tensor& z, const std::vector<std::string>& flips);
// The same for real faces: each row holds E's code of one image, so the first
// column is its reconstruction and the others edit one attribute of it.
void write_edit_sheet(const std::string& path, Encoder& encoder, Generator& generator, const nn::Tensor& images,
                      const std::vector<std::string>& flips);
// One row per attribute set (each a base vector with its named attributes
// set to 1), one column per z: the same z down each column.
void write_generation_sheet(const std::string& path, Generator& generator,
                            const std::vector<std::vector<float>>& attribute_rows, const nn::Tensor& z);

}  // namespace acgan
