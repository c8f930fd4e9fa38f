#include "celeba_autoencoders/data.hpp"

#include "celeba_autoencoders/models.hpp"
#include "common/face_data.hpp"

namespace autoencoders {

nn::data::PreprocessOptions face_preprocessing(const Config& config) {
  nn::data::PreprocessOptions options;
  options.mode = nn::data::CropMode::resize;
  options.size = static_cast<int>(image_size_of(model_from_name(config.model)));
  return options;
}

FaceSplits load_face_splits(const Config& config) {
  nn::apps::FaceDataRequest request;
  request.program = "celeba_autoencoders";
  request.celeba_dir = config.data;
  request.cache_dir = config.cache_dir;
  request.synthetic_count = config.synthetic_count;
  request.preprocess = face_preprocessing(config);
  request.fraction = config.fraction;
  nn::apps::FaceData train = nn::apps::load_face_data(request);
  request.fraction = 1.0;
  request.split = nn::data::CelebaSplit::validation;
  const nn::apps::FaceData validation = nn::apps::load_face_data(request);
  request.split = nn::data::CelebaSplit::test;
  const nn::apps::FaceData test = nn::apps::load_face_data(request);

  FaceSplits splits;
  splits.train = train.dataset;
  splits.validation = validation.dataset;
  splits.test = test.dataset;
  splits.train_labels = std::move(train.labels);
  splits.majority = std::move(train.majority);
  const std::string size = std::to_string(request.preprocess.size);
  splits.description = std::to_string(splits.train->size()) + (config.data.empty() ? " synthetic" : " CelebA") +
                       " faces at " + size + "x" + size + " (" + std::to_string(splits.validation->size()) +
                       " validation, " + std::to_string(splits.test->size()) + " test)";
  return splits;
}

}  // namespace autoencoders
