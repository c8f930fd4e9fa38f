#pragma once
// The modes of dcgan; each returns the process exit code and raises
// nn::Error (one line naming the file or option) on bad input.
#include "dcgan/config.hpp"

namespace dcgan {

// Trains into config.out: config.json, losses.csv, metrics.csv, eval.csv,
// their plots, per-epoch sample sheets and checkpoints; --resume continues a
// run exactly where its checkpoint stopped.
int train_mode(const Config& config);
// Prints the Keras-like tables of G and D.
int summary_mode(const Config& config);
// Writes <out>/generated.png: --samples images from a checkpoint's G.
int generate_mode(const Config& config);
// Scores a checkpoint with the judge of its run's data set: prints a table
// and writes <out>/eval.json (--out defaults to the checkpoint's folder).
int evaluate_mode(const Config& config);
// The program: parses argv and runs its mode.
int run_program(int argc, const char* const* argv);

}  // namespace dcgan
