#pragma once
// The training faces of a run, shared by the apps: a CelebA folder, or the
// embedded synthetic faces drawn into the cache folder on first use;
// preprocessed as the app's models need them and packed into a cache file.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/data/image_cache.hpp"
#include "nn/data/preprocess.hpp"

namespace nn::apps {

// The synthetic faces do not change with a run's seed.
inline constexpr std::uint64_t kSyntheticFacesSeed = 2026;

struct FaceDataRequest {
  std::string program;     // names the program in messages
  std::string celeba_dir;  // empty: the synthetic faces
  std::string cache_dir;   // the synthetic faces and the packed images go here
  std::int64_t synthetic_count = 3000;
  data::CelebaSplit split = data::CelebaSplit::train;
  double fraction = 1.0;  // of the partition, its first faces
  data::PreprocessOptions preprocess;
};

struct FaceData {
  std::shared_ptr<const data::PackedDataset> dataset;
  std::vector<float> labels;    // N x 40, 0/1
  std::vector<float> majority;  // 40: 1 where most training faces have the attribute
};

// The requested partition (by default the training faces), drawn and cached
// as needed, with progress bars and a line on `std::cout` for each thing
// built; `majority` is the partition's own.
FaceData load_face_data(const FaceDataRequest& request);

}  // namespace nn::apps
