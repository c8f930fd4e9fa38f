#include "acgan_celeba/data.hpp"

#include "common/face_data.hpp"
#include "nn/data/preprocess.hpp"

namespace acgan {

nn::data::PreprocessOptions face_preprocessing(const Config& config) {
  nn::data::PreprocessOptions options;
  options.halving = config.halving == "area" ? nn::data::Halving::area_average : nn::data::Halving::decimate;
  return options;
}

TrainingData load_training_data(const Config& config) {
  nn::apps::FaceDataRequest request;
  request.program = "acgan_celeba";
  request.celeba_dir = config.data;
  request.cache_dir = config.cache_dir;
  request.synthetic_count = config.synthetic_count;
  request.fraction = config.fraction;
  request.preprocess = face_preprocessing(config);
  nn::apps::FaceData faces = nn::apps::load_face_data(request);
  return {std::move(faces.dataset), std::move(faces.labels), std::move(faces.majority)};
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
