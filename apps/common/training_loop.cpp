#include "common/training_loop.hpp"

#include <cstdio>

#include "common/progress.hpp"
#include "common/run_folder.hpp"
#include "nn/checkpoint.hpp"
#include "nn/error.hpp"

namespace nn::apps {

std::int64_t run_training_loop(data::DataLoader& loader, const TrainingLoop& loop) {
  std::int64_t step = loop.start.step, skip_batches = loop.start.batch_in_epoch;
  std::string last_checkpoint = loop.resumed_from.empty() ? "none" : loop.resumed_from;
  try {
    for (int epoch = loop.start.epoch; epoch < loop.epochs; ++epoch) {
      loader.start_epoch(epoch);
      std::int64_t batch_in_epoch = 0;
      for (; batch_in_epoch < skip_batches; ++batch_in_epoch) loader.next();
      skip_batches = 0;
      ProgressBar bar("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(loop.epochs),
                      loader.batches_per_epoch(), ProgressOptions().unit("batch"));
      bar.update(batch_in_epoch);
      bool stop = false;
      while (std::optional<data::Batch> batch = loader.next()) {
        ++step;
        ++batch_in_epoch;
        bar.update(batch_in_epoch, loop.train(*batch, step, epoch + 1));
        if (loop.steps > 0 && step >= loop.steps) {
          stop = true;
          break;
        }
      }
      bar.finish();
      const bool epoch_done = batch_in_epoch >= loader.batches_per_epoch();
      char name[48];
      std::snprintf(name, sizeof name, "checkpoint_epoch_%03d.safetensors", epoch + 1);
      const ResumePoint at = epoch_done ? ResumePoint{epoch + 1, 0, step} : ResumePoint{epoch, batch_in_epoch, step};
      last_checkpoint = loop.save(at, epoch_done ? name : "checkpoint_step_" + std::to_string(step) + ".safetensors");
      loop.end_of_epoch(epoch + 1, stop || epoch + 1 == loop.epochs);
      if (stop) break;
    }
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + "; stopped, last good checkpoint: " + last_checkpoint);
  }
  return step;
}

void save_run_checkpoint(const std::string& dir, const std::string& name, const CheckpointParts& parts,
                         const Metadata& metadata, int keep) {
  save_checkpoint(dir + "/" + name, parts, metadata);
  save_checkpoint(dir + "/checkpoint_last.safetensors", parts, metadata);
  if (keep > 0)
    remove_all_but_newest(dir, {"checkpoint_epoch_*.safetensors", "checkpoint_step_*.safetensors"},
                          static_cast<std::size_t>(keep));
}

}  // namespace nn::apps
