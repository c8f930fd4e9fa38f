#include "nn/nn/summary.hpp"

#include <iomanip>
#include <map>
#include <sstream>

#include "nn/autograd.hpp"
#include "nn/summary_recorder.hpp"

namespace nn {
namespace {

struct Row {
  const Module* layer;
  Shape output;
};

thread_local std::vector<Row>* t_rows = nullptr;

std::int64_t count(const std::vector<std::pair<std::string, Tensor>>& tensors, bool trainable) {
  std::int64_t n = 0;
  for (const auto& [name, t] : tensors)
    if (t.requires_grad() == trainable) n += t.numel();
  return n;
}

std::string batch_shape(const Shape& s) {
  std::string out = "[N";
  for (std::size_t i = 1; i < s.size(); ++i) out += ", " + std::to_string(s[i]);
  return out + "]";
}

}  // namespace

namespace detail {
void report_layer_output(const Module& layer, const Tensor& output) {
  if (t_rows && layer.children().empty()) t_rows->push_back({&layer, output.shape()});
}
}  // namespace detail

std::string summary(Module& model, const std::function<void()>& forward) {
  std::vector<Row> rows;
  const bool was_training = model.is_training();
  model.eval();
  t_rows = &rows;
  try {
    NoGradGuard no_grad;
    forward();
  } catch (...) {
    t_rows = nullptr;
    model.train(was_training);
    throw;
  }
  t_rows = nullptr;
  model.train(was_training);

  std::map<const Module*, std::string> names;
  for (const auto& [name, m] : model.named_modules()) names[m.get()] = name;
  std::ostringstream os;
  const auto line = [&] { os << std::string(78, '-') << '\n'; };
  os << model.type_name() << '\n';
  line();
  os << std::left << std::setw(34) << "Layer (type)" << std::setw(28) << "Output shape" << std::right
     << std::setw(16) << "Param #" << '\n';
  line();
  for (const Row& r : rows) {
    const auto found = names.find(r.layer);
    const std::string name = found == names.end() ? "(self)" : found->second;
    const auto params = r.layer->named_parameters();
    const auto buffers = r.layer->named_buffers();
    std::int64_t n = 0;
    for (const auto& [p, t] : params) n += t.numel();
    for (const auto& [b, t] : buffers) n += t.numel();
    os << std::left << std::setw(34) << (name + " (" + r.layer->type_name() + ")") << std::setw(28)
       << batch_shape(r.output) << std::right << std::setw(16) << n << '\n';
  }
  line();
  const auto params = model.named_parameters();
  const std::int64_t trainable = count(params, true);
  std::int64_t frozen = count(params, false);
  for (const auto& [b, t] : model.named_buffers()) frozen += t.numel();
  os << "Total params: " << trainable + frozen << '\n'
     << "Trainable params: " << trainable << '\n'
     << "Non-trainable params: " << frozen << '\n';
  line();
  return os.str();
}

std::string summary(Module& model, const Shape& input_shape, TensorOptions options) {
  return summary(model, [&] { model(zeros(input_shape, options)); });
}

}  // namespace nn
