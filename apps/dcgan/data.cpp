#include "dcgan/data.hpp"

#include <algorithm>
#include <cmath>

#include "common/face_data.hpp"
#include "dcgan/models.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/data/resized_dataset.hpp"
#include "nn/error.hpp"

namespace dcgan {
namespace {

// The first `count` samples of another data set.
class LeadingSamples final : public nn::data::Dataset {
 public:
  LeadingSamples(std::shared_ptr<const nn::data::Dataset> source, std::int64_t count)
      : source_(std::move(source)), count_(count) {}
  std::int64_t size() const override { return count_; }
  nn::Shape image_shape() const override { return source_->image_shape(); }
  std::int64_t label_count() const override { return source_->label_count(); }
  void read(std::int64_t i, std::uint8_t* image, float* labels) const override { source_->read(i, image, labels); }

 private:
  std::shared_ptr<const nn::data::Dataset> source_;
  std::int64_t count_;
};


}  // namespace

nn::data::PreprocessOptions face_preprocessing(const Config& config) {
  nn::data::PreprocessOptions options;
  const Architecture arch = architecture_from_name(config.arch);
  options.mode = arch == Architecture::tutorial28 ? nn::data::CropMode::tutorial_crop : nn::data::CropMode::face_crop;
  options.size = static_cast<int>(image_size_of(config));
  return options;
}

TrainingData load_training_data(const Config& config) {
  const std::int64_t size = image_size_of(config);
  if (config.dataset == "fashion-mnist") {
    if (!nn::data::fashion_mnist_available())
      throw nn::Error(std::string("dcgan: Fashion-MNIST is not installed under ") + nn::data::kFashionMnistDir +
                      " (Debian's dataset-fashion-mnist package; cmake/setup.sh installs it)");
    std::shared_ptr<const nn::data::Dataset> images = nn::data::load_fashion_mnist(nn::data::FashionMnistSplit::train);
    const auto count = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::llround(config.fraction * static_cast<double>(images->size()))));
    if (count < images->size()) images = std::make_shared<LeadingSamples>(images, count);
    if (size != nn::data::kFashionMnistSide)
      images = std::make_shared<nn::data::ResizedDataset>(images, static_cast<int>(size));
    return {images,
            std::to_string(count) + " Fashion-MNIST images at " + std::to_string(size) + "x" + std::to_string(size)};
  }
  nn::apps::FaceDataRequest request;
  request.program = "dcgan";
  request.celeba_dir = config.data;
  request.cache_dir = config.cache_dir;
  request.synthetic_count = config.synthetic_count;
  request.fraction = config.fraction;
  request.preprocess = face_preprocessing(config);
  nn::apps::FaceData faces = nn::apps::load_face_data(request);
  const std::int64_t n = faces.dataset->size();
  return {std::move(faces.dataset), std::to_string(n) + (config.data.empty() ? " synthetic" : " CelebA") +
                                        " faces at " + std::to_string(size) + "x" + std::to_string(size)};
}

}  // namespace dcgan
