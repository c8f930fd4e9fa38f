#include "nn/evaluation/fashion_judge.hpp"

#include "nn/data/fashion_mnist.hpp"

namespace nn::evaluation {
namespace {

void check_fashion_set(const data::Dataset& set, const char* which) {
  const Shape shape = set.image_shape();
  if (set.label_count() != data::kFashionMnistClasses || shape.size() != 3 || shape[0] != 1)
    throw Error(std::string("fashion_judge_request: the ") + which + " set must hold grey images with " +
                std::to_string(data::kFashionMnistClasses) + " one-hot labels, got images " + shape_str(shape) +
                " with " + std::to_string(set.label_count()) + " labels");
}

}  // namespace

JudgeRequest fashion_judge_request(std::shared_ptr<const data::Dataset> train,
                                   std::shared_ptr<const data::Dataset> held_out, const std::string& cache_dir,
                                   Device device, const data::ProgressReport& progress) {
  if (!train || !held_out) throw Error("fashion_judge_request: needs training and held-out sets");
  check_fashion_set(*train, "training");
  check_fashion_set(*held_out, "held-out");
  JudgeRequest request;
  request.train = std::move(train);
  request.held_out = std::move(held_out);
  for (std::string_view name : data::fashion_mnist_class_names()) request.names.emplace_back(name);
  request.cache_dir = cache_dir;
  request.training.objective = JudgeObjective::classes;
  request.training.epochs = judge_epochs_for(request.train->image_shape()[1]);
  request.device = device;
  request.progress = progress;
  return request;
}

TrainedJudge load_or_train_fashion_judge(std::shared_ptr<const data::Dataset> train,
                                         std::shared_ptr<const data::Dataset> held_out, const std::string& cache_dir,
                                         Device device, const data::ProgressReport& progress) {
  return load_or_train_judge(fashion_judge_request(std::move(train), std::move(held_out), cache_dir, device, progress));
}

}  // namespace nn::evaluation
