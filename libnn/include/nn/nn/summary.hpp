#pragma once
// A Keras-like table of a model: one row per layer call (name, type, output
// shape, parameter count), then the totals of trainable and non-trainable
// parameters (frozen parameters and buffers such as running statistics).
#include <functional>
#include <string>

#include "nn/nn/module.hpp"

namespace nn {

// Runs `forward` (which calls `model`'s layers) without recording gradients,
// in eval mode, and tabulates every layer without children that it called.
std::string summary(Module& model, const std::function<void()>& forward);
// For single-input models: feeds zeros of `input_shape` (batch included).
std::string summary(Module& model, const Shape& input_shape, TensorOptions options = {});

}  // namespace nn
