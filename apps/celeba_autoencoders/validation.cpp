#include "celeba_autoencoders/validation.hpp"

#include <vector>

#include "nn/data/data_loader.hpp"

namespace autoencoders {

ValidationFigures validation_figures(Trainer& trainer, std::shared_ptr<const nn::data::Dataset> faces,
                                     std::int64_t batch) {
  nn::Module& model = trainer.model();
  const bool was_training = model.is_training();
  model.eval();
  nn::NoGradGuard no_grad;
  nn::data::DataLoader loader(
      std::move(faces),
      nn::data::DataLoaderOptions().batch_size(batch).shuffle(false).range(0.0, 1.0).tensor_options(trainer.options()));
  double loss_sum = 0, correct = 0, labels = 0;
  std::int64_t count = 0;
  loader.start_epoch(0);
  while (std::optional<nn::data::Batch> b = loader.next()) {
    const std::int64_t n = b->images.size(0);
    loss_sum += trainer.loss(b->images, b->labels).item() * static_cast<double>(n);
    count += n;
    if (trainer.encoder) {
      const std::vector<float> logits = trainer.encoder->logits(b->images).to_vector<float>();
      const std::vector<float> truth = b->labels.to_vector<float>();
      for (std::size_t i = 0; i < logits.size(); ++i) correct += (logits[i] > 0) == (truth[i] > 0.5f);
      labels += static_cast<double>(logits.size());
    }
  }
  model.train(was_training);
  ValidationFigures figures;
  figures.loss = count ? loss_sum / static_cast<double>(count) : 0.0;
  figures.accuracy = labels > 0 ? correct / labels : 0.0;
  return figures;
}

}  // namespace autoencoders
