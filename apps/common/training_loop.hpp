#pragma once
// The epoch loop every app's training shares: skips the batches a resumed
// run already trained, draws a progress bar per epoch, stops at --steps,
// saves a checkpoint at the end of each epoch (or where --steps stopped it)
// and then runs the app's end-of-epoch work (sheets, plots, evaluation). An
// nn::Error on the way is raised again naming the last good checkpoint.
#include <cstdint>
#include <functional>
#include <string>

#include "common/resume.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/safetensors.hpp"

namespace nn {
struct CheckpointParts;
}

namespace nn::apps {

struct TrainingLoop {
  int epochs = 1;
  std::int64_t steps = 0;    // stop after this many steps in all (0: every epoch)
  ResumePoint start;         // where a resumed run stands
  std::string resumed_from;  // its checkpoint; empty for a new run
  // One training step on a batch, now step `step` of epoch `epoch` (both
  // counted from 1); returns the text shown beside the progress bar.
  std::function<std::string(const data::Batch& batch, std::int64_t step, int epoch)> train;
  // Saves the run at `at` into the file named `name` in the run folder;
  // returns the path written.
  std::function<std::string(const ResumePoint& at, const std::string& name)> save;
  // After each epoch's checkpoint; `epoch` counts from 1, `last` is true for
  // the run's final epoch (or where --steps stopped it).
  std::function<void(int epoch, bool last)> end_of_epoch;
};

// Runs the loop over `loader`; returns the step reached.
std::int64_t run_training_loop(data::DataLoader& loader, const TrainingLoop& loop);

// Writes the checkpoint `name` and checkpoint_last.safetensors into `dir`,
// then keeps only the newest `keep` numbered checkpoints (0: all).
void save_run_checkpoint(const std::string& dir, const std::string& name, const CheckpointParts& parts,
                         const Metadata& metadata, int keep);

}  // namespace nn::apps
