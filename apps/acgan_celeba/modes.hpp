#pragma once
// The modes of acgan_celeba; each returns the process exit code and raises
// nn::Error (one line naming the file or option) on bad input.
#include "acgan_celeba/config.hpp"

namespace acgan {

// Trains into config.out: config.json, losses.csv, metrics.csv, eval.csv,
// their plots, per-epoch sample sheets and checkpoints; --resume continues a
// run exactly where its checkpoint stopped.
int train_mode(const Config& config);
// Prints the Keras-like tables of E, G and D.
int summary_mode(const Config& config);
// Writes <out>/generated.png: one row per --attr set, one column per z.
int generate_mode(const Config& config);
// Writes <out>/reconstructed.png: the --images above their reconstructions.
int reconstruct_mode(const Config& config);
// Scores a checkpoint with the attribute judge of its run's data set: prints
// a table and writes <out>/eval.json (--out defaults to the checkpoint's folder).
int evaluate_mode(const Config& config);
// Prints the judge's view of the synthetic faces' renderer drawing exactly
// the attributes asked for, the scores of a generator that follows y, and
// writes them to <out>/renderer_eval.json.
int score_renderer_mode(const Config& config);
// Prints the 40 attribute names, one a line.
int list_attributes_mode();
// The program: parses argv and runs its mode. Returns 0, or prints the error
// and returns nn::apps::kExitUsage for a command line that cannot run and
// nn::apps::kExitRunFailed for a run that failed.
int run_program(int argc, const char* const* argv);

}  // namespace acgan
