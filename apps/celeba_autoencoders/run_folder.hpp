#pragma once
// What a celeba_autoencoders run leaves in its folder besides checkpoints:
// the training loss per batch (losses.csv), the validation figures per epoch
// (validation.csv), their plots, and the per-epoch sheets of an autoencoder:
// reconstructions of validation faces, faces sampled from the latent
// statistics and, for model1 and model3, faces of attribute vectors.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "celeba_autoencoders/latent_statistics.hpp"
#include "celeba_autoencoders/models.hpp"
#include "celeba_autoencoders/validation.hpp"
#include "common/training_log.hpp"

namespace autoencoders {

// The files a run writes into its folder; a new run refuses a folder holding
// any of them unless --overwrite.
const std::vector<std::string>& run_file_patterns();

class RunLog {
 public:
  // Reads back losses.csv and validation.csv in `dir` when resuming at
  // `resume_step`; writes nothing.
  RunLog(const std::string& dir, bool encoder, std::int64_t resume_step, std::ostream& notes);
  void open();
  void append_step(std::int64_t step, int epoch, double loss);
  void append_validation(std::int64_t step, int epoch, const ValidationFigures& figures);
  // Renders losses.svg and validation.svg from the CSVs written so far.
  void plot() const;

 private:
  bool encoder_;
  nn::apps::TrainingLog losses_, validation_;
};

// The attributes the attribute-face sheets show, one face each, and that
// the evaluation also measures on their own.
const std::vector<std::string>& sheet_attributes();
// The sheets' attribute vectors in --attr's syntax: each sheet attribute,
// "-Male" after "Male", then "all" and "none".
const std::vector<std::string>& sheet_attribute_rows();

// Sheets of an autoencoder, drawn in eval mode without autograd:
// `faces` [N, 3, S, S] in [0, 1] in rows of 8 (of N when fewer; the faces
// that do not fill a row are left out), each row of originals followed by
// the row of their reconstructions;
void write_reconstruction_sheet(const std::string& path, Autoencoder& model, const nn::Tensor& faces);
// the decoded latents `statistics.latent_from_noise(noise)`, in a square-ish grid;
void write_sampled_sheet(const std::string& path, Autoencoder& model, const LatentStatistics& statistics,
                         const nn::Tensor& noise);
// one face per attribute vector (rows of 40 values), in one row.
void write_attribute_sheet(const std::string& path, Autoencoder& model, const std::vector<std::vector<float>>& rows);

}  // namespace autoencoders
