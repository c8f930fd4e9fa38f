#pragma once
// The training images of a run: a CelebA folder given with --data, or the
// embedded synthetic faces, face-cropped and halved to 64x64 and cached.
#include <memory>
#include <vector>

#include <nn/data/dataset.hpp>
#include <nn/data/preprocess.hpp>
#include <nn/nn.hpp>

#include "acgan_celeba/config.hpp"

namespace acgan {

struct TrainingData {
  std::shared_ptr<const nn::data::Dataset> dataset;
  std::vector<float> labels;    // N x 40, 0/1
  std::vector<float> majority;  // 40: 1 where most training faces have the attribute
};

// How the run's faces are cut and halved to 64x64 (--halving).
nn::data::PreprocessOptions face_preprocessing(const Config& config);

TrainingData load_training_data(const Config& config);

// Reads image files for --reconstruct: CelebA-sized images get the face crop,
// others a centre crop, both to 64x64; returns [N,3,64,64] in [-1, 1].
nn::Tensor load_images_for_reconstruction(const std::vector<std::string>& paths);

}  // namespace acgan
