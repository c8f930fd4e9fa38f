#include "nn/evaluation/judge_faces.hpp"

#include "nn/data/concat_dataset.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/data/synthetic_faces.hpp"

namespace nn::evaluation {
namespace {

std::shared_ptr<const data::Dataset> cached_split(const JudgeFacesRequest& request, const std::string& folder,
                                                  const std::string& name, data::CelebaSplit split, double fraction) {
  data::ImageCacheRequest cache;
  cache.data_dir = folder;
  cache.selection.split = split;
  cache.selection.fraction = fraction;
  cache.preprocess = request.preprocess;
  cache.progress = request.progress;
  cache.cache_path = request.cache_dir + "/judge_" + name + "_" + std::string(data::celeba_split_name(split)) + "_" +
                     std::to_string(fraction) + "_" + data::preprocess_name(request.preprocess) + ".cache";
  return data::load_or_build(cache).dataset;
}

}  // namespace

JudgeFaces judge_faces(const JudgeFacesRequest& request) {
  JudgeFaces faces;
  if (request.celeba_dir.empty()) {
    const std::string folder = request.cache_dir + "/synthetic_faces_judge_" + std::to_string(kJudgeSyntheticCount);
    data::ensure_synthetic_celeba(folder, kJudgeSyntheticCount, kJudgeSyntheticSeed, request.progress);
    faces.train = cached_split(request, folder, "synthetic", data::CelebaSplit::train, 1.0);
    faces.held_out = std::make_shared<data::ConcatDataset>(std::vector<std::shared_ptr<const data::Dataset>>{
        cached_split(request, folder, "synthetic", data::CelebaSplit::validation, 1.0),
        cached_split(request, folder, "synthetic", data::CelebaSplit::test, 1.0)});
    faces.source = "synthetic faces (" + std::to_string(kJudgeSyntheticCount) + ", seed " +
                   std::to_string(kJudgeSyntheticSeed) + ")";
  } else {
    faces.train = cached_split(request, request.celeba_dir, "celeba", data::CelebaSplit::train, request.train_fraction);
    faces.held_out = cached_split(request, request.celeba_dir, "celeba", data::CelebaSplit::test, 1.0);
    faces.source = request.celeba_dir;
  }
  return faces;
}

}  // namespace nn::evaluation
