#pragma once
// The training images of a dcgan run at its architecture's size:
//  - faces: a CelebA folder given with --data, or the embedded synthetic
//    faces; the 64x64 face crop for radford64, the 128x128 face crop for
//    wlu128, the tutorial's 108x108 centre crop resized to 28x28 for
//    tutorial28; packed into a cache file;
//  - fashion-mnist: Debian's Fashion-MNIST training set (1 channel), 28x28 as
//    it is or bilinearly resized to the architecture's size.
#include <memory>
#include <string>

#include "dcgan/config.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/preprocess.hpp"

namespace dcgan {

struct TrainingData {
  std::shared_ptr<const nn::data::Dataset> dataset;
  std::string description;  // for the log: "2400 synthetic faces at 64x64"
};

TrainingData load_training_data(const Config& config);

// How the faces of `config` are preprocessed (also the judge's faces).
nn::data::PreprocessOptions face_preprocessing(const Config& config);

}  // namespace dcgan
