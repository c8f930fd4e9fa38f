#include "celeba_autoencoders/run_folder.hpp"

#include <cmath>
#include <algorithm>
#include <functional>

#include "nn/image.hpp"

namespace autoencoders {
namespace {

constexpr int kSheetColumns = 8;

// `decode` run in eval mode without autograd, the model's mode restored.
nn::Tensor in_eval_mode(nn::Module& model, const std::function<nn::Tensor()>& decode) {
  const bool was_training = model.is_training();
  model.eval();
  nn::Tensor images;
  {
    nn::NoGradGuard no_grad;
    images = decode();
  }
  model.train(was_training);
  return images.to(nn::Device::cpu());
}

}  // namespace

const std::vector<std::string>& run_file_patterns() {
  static const std::vector<std::string> patterns = {"config.json",
                                                    "losses.csv",
                                                    "validation.csv",
                                                    "losses.svg",
                                                    "validation.svg",
                                                    "eval.csv",
                                                    "eval.svg",
                                                    "eval.json",
                                                    "reconstructions_epoch_*.png",
                                                    "samples_epoch_*.png",
                                                    "attribute_faces_epoch_*.png",
                                                    "checkpoint_*.safetensors"};
  return patterns;
}

RunLog::RunLog(const std::string& dir, bool encoder, std::int64_t resume_step, std::ostream& notes)
    : encoder_(encoder),
      losses_(dir, "losses.csv", {"loss"},
              {{"losses.svg",
                encoder ? "Attribute BCE per training batch" : "Reconstruction BCE per training batch",
                "BCE",
                {"loss"}}},
              resume_step, notes),
      validation_(dir, "validation.csv",
                  encoder ? std::vector<std::string>{"validation_loss", "validation_accuracy"}
                          : std::vector<std::string>{"validation_loss"},
                  {{"validation.svg", "Mean BCE on the validation faces after each epoch", "BCE", {"validation_loss"}}},
                  resume_step, notes) {}

void RunLog::open() {
  losses_.open();
  validation_.open();
}

void RunLog::append_step(std::int64_t step, int epoch, double loss) { losses_.append(step, epoch, {loss}); }

void RunLog::append_validation(std::int64_t step, int epoch, const ValidationFigures& f) {
  if (encoder_)
    validation_.append(step, epoch, {f.loss, f.accuracy});
  else
    validation_.append(step, epoch, {f.loss});
}

void RunLog::plot() const {
  losses_.plot();
  validation_.plot();
}

const std::vector<std::string>& sheet_attributes() {
  static const std::vector<std::string> names = {"Male",       "Smiling",     "Eyeglasses", "Blond_Hair",
                                                 "Black_Hair", "Wearing_Hat", "Bald"};
  return names;
}

const std::vector<std::string>& sheet_attribute_rows() {
  static const std::vector<std::string> rows = [] {
    std::vector<std::string> r;
    for (const std::string& name : sheet_attributes()) {
      r.push_back(name);
      if (name == "Male") r.push_back("-Male");
    }
    r.insert(r.end(), {"all", "none"});
    return r;
  }();
  return rows;
}

void write_reconstruction_sheet(const std::string& path, Autoencoder& model, const nn::Tensor& faces) {
  // Whole rows only, so that every original sits above its reconstruction.
  const std::int64_t columns = std::min<std::int64_t>(kSheetColumns, faces.size(0));
  const std::int64_t shown = faces.size(0) / columns * columns;
  const nn::Tensor originals = faces.slice_batch(0, shown);
  const nn::Tensor reconstructed = in_eval_mode(model, [&] { return model.forward(originals); });
  const nn::Tensor originals_here = originals.to(nn::Device::cpu());
  std::vector<nn::Tensor> rows;
  for (std::int64_t start = 0; start < shown; start += columns) {
    rows.push_back(originals_here.slice_batch(start, start + columns));
    rows.push_back(reconstructed.slice_batch(start, start + columns));
  }
  nn::write_png(path, nn::make_grid(nn::concat(rows, 0), static_cast<int>(columns), 2, 0, 1));
}

void write_sampled_sheet(const std::string& path, Autoencoder& model, const LatentStatistics& statistics,
                         const nn::Tensor& noise) {
  const nn::Tensor images = in_eval_mode(model, [&] { return model.decode(statistics.latent_from_noise(noise)); });
  const int columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(noise.size(0)))));
  nn::write_png(path, nn::make_grid(images, columns, 2, 0, 1));
}

void write_attribute_sheet(const std::string& path, Autoencoder& model, const std::vector<std::vector<float>>& rows) {
  std::vector<float> values;
  for (const std::vector<float>& row : rows) values.insert(values.end(), row.begin(), row.end());
  const nn::Tensor latent =
      nn::from_vector(values, {static_cast<std::int64_t>(rows.size()), kAttributes},
                      nn::TensorOptions().device(model.parameters().front().device()));
  const nn::Tensor images = in_eval_mode(model, [&] { return model.decode(latent); });
  nn::write_png(path, nn::make_grid(images, static_cast<int>(rows.size()), 2, 0, 1));
}

}  // namespace autoencoders
