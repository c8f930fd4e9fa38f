#include "acgan_celeba/data.hpp"

#include <filesystem>
#include <iostream>

#include "acgan_celeba/models.hpp"
#include "common/progress.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/data/preprocess.hpp"
#include "nn/data/synthetic_faces.hpp"

namespace acgan {
namespace {

// The synthetic faces do not change with the run's seed.
constexpr std::uint64_t kSyntheticSeed = 2026;

}  // namespace

TrainingData load_training_data(const Config& config) {
  std::string folder = config.data;
  std::string cache_name;
  if (folder.empty()) {
    folder = config.cache_dir + "/synthetic_faces_" + std::to_string(config.synthetic_count);
    const auto progress =
        nn::apps::progress_bar_report("synthetic faces", nn::apps::ProgressOptions().unit("img").final_line(false));
    if (nn::data::ensure_synthetic_celeba(folder, config.synthetic_count, kSyntheticSeed, progress))
      std::cout << "acgan_celeba: drew " << config.synthetic_count << " synthetic faces into " << folder << "\n";
    cache_name = "synthetic_" + std::to_string(config.synthetic_count);
  } else {
    cache_name = std::filesystem::path(folder).lexically_normal().filename().string();
    if (cache_name.empty()) cache_name = "celeba";
  }
  nn::data::ImageCacheRequest request;
  request.data_dir = folder;
  request.selection.split = nn::data::CelebaSplit::train;
  request.selection.fraction = config.fraction;
  request.preprocess.halving =
      config.halving == "area" ? nn::data::Halving::area_average : nn::data::Halving::decimate;
  request.progress = nn::apps::progress_bar_report("caching images", nn::apps::ProgressOptions().unit("img"));
  request.cache_path = config.cache_dir + "/" + cache_name + "_train_" + std::to_string(config.fraction) + "_" +
                       config.halving + ".cache";
  const nn::data::ImageCacheResult result = nn::data::load_or_build(request);
  if (result.built) std::cout << "acgan_celeba: cached the training images (" << result.reason << ")\n";

  TrainingData data;
  data.dataset = result.dataset;
  const std::int64_t n = result.dataset->size();
  data.labels.resize(static_cast<std::size_t>(n * kAttributes));
  std::vector<double> counts(kAttributes, 0.0);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint8_t* row = result.dataset->labels(i);
    for (std::int64_t a = 0; a < kAttributes; ++a) {
      data.labels[static_cast<std::size_t>(i * kAttributes + a)] = row[a];
      counts[static_cast<std::size_t>(a)] += row[a];
    }
  }
  for (double c : counts) data.majority.push_back(c * 2 > static_cast<double>(n) ? 1.0f : 0.0f);
  return data;
}

nn::Tensor load_images_for_reconstruction(const std::vector<std::string>& paths) {
  std::vector<nn::Tensor> images;
  for (const std::string& path : paths) {
    const nn::Image image = nn::read_image(path, 3);
    nn::data::PreprocessOptions options;
    options.mode = image.width == 178 && image.height == 218 ? nn::data::CropMode::face_crop
                                                              : nn::data::CropMode::center_crop;
    images.push_back(nn::tensor_from_image(nn::data::preprocess(image, options, path), -1, 1).reshape({1, 3, 64, 64}));
  }
  return nn::concat(images, 0);
}

}  // namespace acgan
