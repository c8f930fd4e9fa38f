#include "nn/evaluation/attribute_control.hpp"

#include <algorithm>
#include <string>

#include "nn/autograd.hpp"
#include "nn/error.hpp"

namespace nn::evaluation {
namespace {

constexpr const char* kOp = "attribute_control";

void check_inputs(const nn::Tensor& base_y, const nn::Tensor& z, const std::vector<int>& attributes,
                  std::int64_t chunk) {
  if (!base_y.defined() || !z.defined()) throw Error(std::string(kOp) + ": base_y and z must be defined tensors");
  if (base_y.dim() != 2 || z.dim() != 2 || base_y.size(0) != z.size(0) || base_y.size(0) < 1)
    throw Error(std::string(kOp) + ": expected base_y [N, A] and z [N, Z] with the same N >= 1, got base_y " +
                shape_str(base_y.shape()) + " and z " + shape_str(z.shape()));
  if (attributes.empty()) throw Error(std::string(kOp) + ": no attributes to measure");
  for (const int a : attributes)
    if (a < 0 || a >= base_y.size(1))
      throw Error(std::string(kOp) + ": attribute " + std::to_string(a) + " is not a column of base_y " +
                  shape_str(base_y.shape()));
  if (chunk < 1) throw Error(std::string(kOp) + ": chunk must be at least 1, got " + std::to_string(chunk));
}

// base_y with column `a` set to `value`, with base_y's dtype and device.
nn::Tensor with_column(const std::vector<double>& base_y, const nn::Tensor& like, int a, double value) {
  std::vector<double> y = base_y;
  const std::int64_t columns = like.size(1);
  for (std::int64_t r = 0; r < like.size(0); ++r) y[static_cast<std::size_t>(r * columns + a)] = value;
  return nn::from_vector<double>(y, like.shape(), nn::TensorOptions().dtype(like.dtype()).device(like.device()));
}

// How many rows of y (with z) the classifier puts on the side `on` of 0.5 for attribute a.
std::int64_t count_correct(const ImageGenerator& generate, const AttributeClassifier& classify, const nn::Tensor& y,
                           const nn::Tensor& z, int a, bool on, std::int64_t chunk) {
  const std::int64_t n = y.size(0), columns = y.size(1);
  std::int64_t correct = 0;
  for (std::int64_t begin = 0; begin < n; begin += chunk) {
    const std::int64_t end = std::min(n, begin + chunk);
    const nn::Tensor p = classify(generate(y.slice_batch(begin, end), z.slice_batch(begin, end)));
    if (!p.defined() || p.dim() != 2 || p.size(0) != end - begin || p.size(1) != columns)
      throw Error(std::string(kOp) + ": the classifier returned " +
                  (p.defined() ? shape_str(p.shape()) : std::string("an undefined tensor")) + " for " +
                  std::to_string(end - begin) + " images, expected [" + std::to_string(end - begin) + ", " +
                  std::to_string(columns) + "]");
    const std::vector<double> probabilities = p.to_vector<double>();
    for (std::int64_t r = 0; r < end - begin; ++r) {
      const double pa = probabilities[static_cast<std::size_t>(r * columns + a)];
      if (on ? pa > 0.5 : pa <= 0.5) ++correct;
    }
  }
  return correct;
}

}  // namespace

AttributeControl attribute_control(const ImageGenerator& generate, const AttributeClassifier& classify,
                                   const nn::Tensor& base_y, const nn::Tensor& z, const std::vector<int>& attributes,
                                   std::int64_t chunk) {
  check_inputs(base_y, z, attributes, chunk);
  const nn::NoGradGuard no_grad;
  const std::vector<double> host_y = base_y.to_vector<double>();
  const std::int64_t n = base_y.size(0);
  AttributeControl result;
  result.attributes = attributes;
  for (const int a : attributes) {
    const std::int64_t correct = count_correct(generate, classify, with_column(host_y, base_y, a, 1.0), z, a, true,
                                               chunk) +
                                 count_correct(generate, classify, with_column(host_y, base_y, a, 0.0), z, a, false,
                                               chunk);
    result.accuracy.push_back(static_cast<double>(correct) / static_cast<double>(2 * n));
  }
  double sum = 0;
  for (const double accuracy : result.accuracy) sum += accuracy;
  result.macro_mean = sum / static_cast<double>(result.accuracy.size());
  return result;
}

}  // namespace nn::evaluation
