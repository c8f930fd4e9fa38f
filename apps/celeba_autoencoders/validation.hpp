#pragma once
// The figures of a model on the validation faces after an epoch: the mean
// loss (the training objective, over every face) and, for an encoder, the
// mean per-attribute accuracy (an attribute is said present where its
// probability exceeds 0.5).
#include <cstdint>
#include <memory>

#include "celeba_autoencoders/trainer.hpp"
#include "nn/data/dataset.hpp"

namespace autoencoders {

struct ValidationFigures {
  double loss = 0;
  double accuracy = 0;  // encoders only
};

// Runs the model in eval mode without autograd over `faces` in batches of
// `batch`, its mode restored afterwards.
ValidationFigures validation_figures(Trainer& trainer, std::shared_ptr<const nn::data::Dataset> faces,
                                     std::int64_t batch);

}  // namespace autoencoders
