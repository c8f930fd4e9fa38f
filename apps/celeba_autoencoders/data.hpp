#pragma once
// The faces of a celeba_autoencoders run: a CelebA folder given with --data,
// or the embedded synthetic faces; the whole image resized to the model's
// 64x64 or 128x128 (no crop); the training partition (its first --fraction)
// to learn from, the validation partition for the per-epoch losses and the
// test partition for accuracies and the latent statistics. Each is packed
// into a cache file.
#include <memory>
#include <string>
#include <vector>

#include "celeba_autoencoders/config.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/preprocess.hpp"

namespace autoencoders {

struct FaceSplits {
  std::shared_ptr<const nn::data::Dataset> train, validation, test;
  std::vector<float> train_labels;  // N x 40, 0/1
  std::vector<float> majority;      // 40: 1 where most training faces have the attribute
  std::string description;          // for the log: "6400 synthetic faces at 64x64 (800 validation, 800 test)"
};

FaceSplits load_face_splits(const Config& config);

// How the faces of `config` are preprocessed (also the judge's faces).
nn::data::PreprocessOptions face_preprocessing(const Config& config);

}  // namespace autoencoders
