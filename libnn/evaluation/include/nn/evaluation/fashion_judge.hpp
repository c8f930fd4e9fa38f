#pragma once
// The Fashion-MNIST class classifier: the judge's network with one logit per
// class, trained with softmax cross-entropy on the one-hot labels of the
// training split and scored on the held-out (test) split, cached like every
// judge. The caller passes the splits, so that they may be resized first
// (the classifier reads the images' size: 28x28, or 64x64 after resizing).
#include <memory>
#include <string>

#include "nn/evaluation/judge_cache.hpp"

namespace nn::evaluation {

// A judge request for Fashion-MNIST: class names, the classes objective and
// the default training (4 epochs, batch 64, Adam 1e-3, seed 1). Both sets
// must hold grey square images with 10 one-hot labels.
JudgeRequest fashion_judge_request(std::shared_ptr<const data::Dataset> train,
                                   std::shared_ptr<const data::Dataset> held_out, const std::string& cache_dir,
                                   Device device, const data::ProgressReport& progress = {});

// load_or_train_judge(fashion_judge_request(...)).
TrainedJudge load_or_train_fashion_judge(std::shared_ptr<const data::Dataset> train,
                                         std::shared_ptr<const data::Dataset> held_out, const std::string& cache_dir,
                                         Device device, const data::ProgressReport& progress = {});

}  // namespace nn::evaluation
