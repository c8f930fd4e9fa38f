#include "common/face_data.hpp"

#include <filesystem>
#include <iostream>

#include "common/progress.hpp"
#include "nn/data/celeba_attributes.hpp"
#include "nn/data/synthetic_faces.hpp"

namespace nn::apps {
FaceData load_face_data(const FaceDataRequest& request) {
  std::string folder = request.celeba_dir;
  std::string cache_name;
  if (folder.empty()) {
    folder = request.cache_dir + "/synthetic_faces_" + std::to_string(request.synthetic_count);
    const auto progress = progress_bar_report("synthetic faces", ProgressOptions().unit("img").final_line(false));
    if (data::ensure_synthetic_celeba(folder, request.synthetic_count, kSyntheticFacesSeed, progress))
      std::cout << request.program << ": drew " << request.synthetic_count << " synthetic faces into " << folder
                << "\n";
    cache_name = "synthetic_" + std::to_string(request.synthetic_count);
  } else {
    cache_name = std::filesystem::path(folder).lexically_normal().filename().string();
    if (cache_name.empty()) cache_name = "celeba";
  }
  data::ImageCacheRequest cache;
  cache.data_dir = folder;
  cache.selection.split = request.split;
  cache.selection.fraction = request.fraction;
  cache.preprocess = request.preprocess;
  cache.progress = progress_bar_report("caching images", ProgressOptions().unit("img"));
  const std::string split(data::celeba_split_name(request.split));
  cache.cache_path = request.cache_dir + "/" + cache_name + "_" + split + "_" + std::to_string(request.fraction) + "_" +
                     data::preprocess_name(request.preprocess) + ".cache";
  const data::ImageCacheResult result = data::load_or_build(cache);
  if (result.built) std::cout << request.program << ": cached the " << split << " images (" << result.reason << ")\n";

  FaceData faces;
  faces.dataset = result.dataset;
  const std::int64_t n = result.dataset->size();
  constexpr std::int64_t kAttributes = data::kCelebaAttributeCount;
  faces.labels.resize(static_cast<std::size_t>(n * kAttributes));
  std::vector<double> counts(kAttributes, 0.0);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint8_t* row = result.dataset->labels(i);
    for (std::int64_t a = 0; a < kAttributes; ++a) {
      faces.labels[static_cast<std::size_t>(i * kAttributes + a)] = row[a];
      counts[static_cast<std::size_t>(a)] += row[a];
    }
  }
  for (double c : counts) faces.majority.push_back(c * 2 > static_cast<double>(n) ? 1.0f : 0.0f);
  return faces;
}

}  // namespace nn::apps
