#pragma once
// The modes of celeba_autoencoders; each returns the process exit code and
// raises nn::Error (one line naming the file or option) on bad input.
#include "celeba_autoencoders/config.hpp"

namespace autoencoders {

// Trains into config.out: config.json, losses.csv, validation.csv, eval.csv,
// their plots, an autoencoder's per-epoch sheets and checkpoints; --resume
// continues a run exactly where its checkpoint stopped.
int train_mode(const Config& config);
// Prints the Keras-like table of the model.
int summary_mode(const Config& config);
// Writes <out>/sampled.png (faces from the latent statistics a checkpoint
// keeps) and, given --attr, <out>/attribute_faces.png.
int generate_mode(const Config& config);
// Writes <out>/reconstructions.png: 32 test faces of the checkpoint's run,
// each row of originals above its row of reconstructions.
int reconstruct_mode(const Config& config);
// Scores a checkpoint: prints a table and writes <out>/eval.json (--out
// defaults to the checkpoint's folder).
int evaluate_mode(const Config& config);
// The program: parses argv and runs its mode.
int run_program(int argc, const char* const* argv);

}  // namespace autoencoders
