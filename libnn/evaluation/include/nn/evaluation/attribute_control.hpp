#pragma once
// How well a conditional generator obeys its attribute vector, as judged by an
// attribute classifier: for each attribute, the same latents are rendered with
// the attribute switched on and off, and the classifier must tell which is which.
#include <cstdint>
#include <functional>
#include <vector>

#include "nn/tensor.hpp"

namespace nn::evaluation {

// Images from attribute vectors y [n, A] (0/1) and latents z [n, Z].
using ImageGenerator = std::function<nn::Tensor(const nn::Tensor& y, const nn::Tensor& z)>;
// Attribute probabilities [n, A] of images.
using AttributeClassifier = std::function<nn::Tensor(const nn::Tensor& images)>;

struct AttributeControl {
  std::vector<int> attributes;  // the columns measured, in the order asked
  std::vector<double> accuracy;  // one per attribute, in [0, 1]
  double macro_mean = 0;         // the mean of `accuracy`
};

// For each attribute a in `attributes`: every row of base_y [N, A] with column
// a set to 1 (on) and to 0 (off), each paired with the same z row (z [N, Z]);
// accuracy = (on rows the classifier gives p_a > 0.5 + off rows with
// p_a <= 0.5) / (2N). Same z on both sides, so a generator that ignores y
// scores exactly 0.5. The generator and the classifier are called in chunks of
// at most `chunk` rows, without autograd, on the device of base_y and z; only
// the classifier's outputs are read back to the host.
AttributeControl attribute_control(const ImageGenerator& generate, const AttributeClassifier& classify,
                                   const nn::Tensor& base_y, const nn::Tensor& z, const std::vector<int>& attributes,
                                   std::int64_t chunk = 256);

}  // namespace nn::evaluation
