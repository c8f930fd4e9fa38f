#pragma once
// The real faces a judge learns from and is scored on.
//  - A CelebA folder: its training partition (the first `train_fraction` of
//    it) to learn from, its test partition held out.
//  - The synthetic faces: a set of their own, 12,000 faces drawn with a seed
//    no training run uses, so that no face the judge sees was seen by a
//    generator; its training partition (9,600) to learn from, its validation
//    and test partitions (2,400) held out.
// Both are preprocessed like a run's training images and cached as packed
// image files under `cache_dir`.
#include <memory>
#include <string>

#include "nn/data/dataset.hpp"
#include "nn/data/preprocess.hpp"
#include "nn/data/progress.hpp"

namespace nn::evaluation {

inline constexpr std::int64_t kJudgeSyntheticCount = 12000;
inline constexpr std::uint64_t kJudgeSyntheticSeed = 2027;

struct JudgeFacesRequest {
  std::string celeba_dir;  // empty: the synthetic faces
  std::string cache_dir;
  data::PreprocessOptions preprocess;
  double train_fraction = 1.0;
  data::ProgressReport progress;  // hears of every face drawn or cached
};

struct JudgeFaces {
  std::shared_ptr<const data::Dataset> train, held_out;
  std::string source;  // "synthetic faces (12000, seed 2027)" or the CelebA folder
};

JudgeFaces judge_faces(const JudgeFacesRequest& request);

}  // namespace nn::evaluation
