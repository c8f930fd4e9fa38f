// The synthetic faces must be learnable: a small CNN trained for a few
// hundred steps on the training partition beats the majority baseline on
// held-out faces for Male, Smiling and Eyeglasses.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nn/nn.hpp>

#include "nn/data/celeba_attributes.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/data/image_cache.hpp"
#include "nn/data/synthetic_faces.hpp"

using namespace nn;
namespace fs = std::filesystem;

namespace {

std::shared_ptr<const data::PackedDataset> faces(const fs::path& root, data::CelebaSplit split) {
  data::ImageCacheRequest request;
  request.data_dir = (root / "faces").string();
  request.cache_path = (root / (std::string(data::celeba_split_name(split)) + ".cache")).string();
  request.selection.split = split;
  return data::load_or_build(request).dataset;
}

// Accuracy per attribute of the model on `data`, and of always answering the
// training set's majority value.
struct Scores {
  std::vector<double> model, baseline;
};

}  // namespace

TEST_CASE("a small CNN learns Male, Smiling and Eyeglasses from the synthetic faces", "[data][learnable]") {
  const fs::path root = fs::temp_directory_path() / "libnn_learnability_test";
  data::ensure_synthetic_celeba((root / "faces").string(), 2500, 7);
  const auto train = faces(root, data::CelebaSplit::train);
  const auto held_out = faces(root, data::CelebaSplit::test);
  const std::vector<int> attributes = {data::celeba_attribute_index("Male"), data::celeba_attribute_index("Smiling"),
                                       data::celeba_attribute_index("Eyeglasses")};
  const auto targets = [&](const data::Batch& b) {
    std::vector<float> all = b.labels.to_vector<float>(), picked;
    const std::int64_t n = b.labels.size(0);
    for (std::int64_t i = 0; i < n; ++i)
      for (int a : attributes) picked.push_back(all[static_cast<std::size_t>(i * 40 + a)]);
    return from_vector(picked, {n, static_cast<std::int64_t>(attributes.size())});
  };

  manual_seed(3);
  Sequential model;
  model.emplace<Conv2d>(Conv2dOptions(3, 16, 4).stride(2).padding(Padding::same()));
  model.emplace<LeakyReLU>(0.2);
  model.emplace<Conv2d>(Conv2dOptions(16, 32, 4).stride(2).padding(Padding::same()));
  model.emplace<LeakyReLU>(0.2);
  model.emplace<Conv2d>(Conv2dOptions(32, 32, 4).stride(2).padding(Padding::same()));
  model.emplace<LeakyReLU>(0.2);
  model.emplace<Flatten>();
  model.emplace<Dense>(DenseOptions(32 * 8 * 8, 3));
  Adam adam(model.parameters(), AdamOptions().lr(2e-3));

  data::DataLoader loader(train, data::DataLoaderOptions().batch_size(32).drop_last(true).seed(5));
  int steps = 0;
  for (int epoch = 0; steps < 300; ++epoch) {
    loader.start_epoch(epoch);
    while (auto batch = loader.next()) {
      adam.zero_grad();
      bce_with_logits(model(batch->images), targets(*batch)).backward();
      adam.step();
      if (++steps == 300) break;
    }
  }

  // Majority value of each attribute on the training partition.
  std::vector<double> positive(attributes.size(), 0.0);
  for (std::int64_t i = 0; i < train->size(); ++i)
    for (std::size_t k = 0; k < attributes.size(); ++k) positive[k] += train->labels(i)[attributes[k]];
  Scores scores{std::vector<double>(attributes.size(), 0.0), std::vector<double>(attributes.size(), 0.0)};
  data::DataLoader eval_loader(held_out, data::DataLoaderOptions().batch_size(64).shuffle(false));
  eval_loader.start_epoch(0);
  std::int64_t seen = 0;
  model.eval();
  NoGradGuard no_grad;
  while (auto batch = eval_loader.next()) {
    const std::vector<float> logits = model(batch->images).to_vector<float>();
    const std::vector<float> truth = targets(*batch).to_vector<float>();
    for (std::size_t j = 0; j < logits.size(); ++j) {
      const std::size_t k = j % attributes.size();
      const bool majority = positive[k] * 2 > static_cast<double>(train->size());
      scores.model[k] += (logits[j] > 0) == (truth[j] > 0.5f);
      scores.baseline[k] += majority == (truth[j] > 0.5f);
    }
    seen += batch->labels.size(0);
  }
  REQUIRE(seen >= 200);
  for (std::size_t k = 0; k < attributes.size(); ++k) {
    const double model_accuracy = scores.model[k] / static_cast<double>(seen);
    const double baseline_accuracy = scores.baseline[k] / static_cast<double>(seen);
    INFO(data::celeba_attribute_names()[static_cast<std::size_t>(attributes[k])]
         << ": model " << model_accuracy << " vs majority " << baseline_accuracy);
    CHECK(model_accuracy > baseline_accuracy);
    WARN(data::celeba_attribute_names()[static_cast<std::size_t>(attributes[k])]
         << ": model " << model_accuracy << " vs majority " << baseline_accuracy << " on " << seen << " faces");
  }
}
