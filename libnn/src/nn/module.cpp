#include "nn/nn/module.hpp"

#include "nn/autograd.hpp"
#include "nn/error.hpp"
#include "nn/summary_recorder.hpp"
#include "nn/ops.hpp"
#include "tensor_impl.hpp"

namespace nn {
namespace {

// Gives `t` new storage holding `converted`'s values while keeping its impl,
// so every handle to the tensor sees the move.
void replace_in_place(const Tensor& t, const Tensor& converted) {
  TensorImpl* impl = t.impl();
  impl->storage = converted.impl()->storage;
  impl->offset_bytes = converted.offset_bytes();
  impl->dtype = converted.dtype();
  if (impl->grad.defined()) impl->grad = Tensor();
}

template <class Get>
std::vector<std::pair<std::string, Tensor>> collect(const Module& m, Get get) {
  std::vector<std::pair<std::string, Tensor>> out = get(m);
  for (const auto& [name, child] : m.named_modules())
    for (const auto& [leaf, t] : get(*child)) out.emplace_back(name + "." + leaf, t);
  return out;
}

}  // namespace

Tensor Module::forward(const Tensor&) {
  throw Error(type_name_ + ": this module has no single-input forward()");
}

Tensor Module::forward_multi(const std::vector<Tensor>&) {
  throw Error(type_name_ + ": this module has no multi-input forward_multi()");
}

Tensor Module::operator()(const Tensor& x) {
  Tensor y = forward(x);
  detail::report_layer_output(*this, y);
  return y;
}

Tensor Module::operator()(const std::vector<Tensor>& xs) {
  Tensor y = forward_multi(xs);
  detail::report_layer_output(*this, y);
  return y;
}

Tensor Module::register_parameter(std::string name, Tensor t) {
  if (!t.is_leaf()) throw Error(type_name_ + ": parameter '" + name + "' must be a leaf tensor");
  t.set_requires_grad(true);
  params_.emplace_back(std::move(name), t);
  return t;
}

Tensor Module::register_buffer(std::string name, Tensor t) {
  buffers_.emplace_back(std::move(name), t);
  return t;
}

void Module::add_child(std::string name, std::shared_ptr<Module> module) {
  if (!module) throw Error(type_name_ + ": child '" + name + "' is null");
  children_.emplace_back(std::move(name), std::move(module));
}

std::vector<std::pair<std::string, std::shared_ptr<Module>>> Module::named_modules() const {
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> out;
  for (const auto& [name, child] : children_) {
    out.emplace_back(name, child);
    for (const auto& [sub, grandchild] : child->named_modules()) out.emplace_back(name + "." + sub, grandchild);
  }
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
  return collect(*this, [](const Module& m) { return m.params_; });
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
  return collect(*this, [](const Module& m) { return m.buffers_; });
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters()) out.push_back(t);
  return out;
}

StateDict Module::state_dict() const {
  StateDict state;
  for (auto& [name, t] : named_parameters()) state[name] = t;
  for (auto& [name, t] : named_buffers()) state[name] = t;
  return state;
}

void Module::load_state_dict(const StateDict& state) {
  load_state_into(state_dict(), state, type_name_ + "::load_state_dict");
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::set_trainable(bool on) {
  for (auto& [name, t] : named_parameters()) {
    t.impl()->requires_grad = on;
    if (!on) t.zero_grad();
  }
}

void Module::to(Device device) {
  NoGradGuard no_grad;
  for (auto& [name, t] : named_parameters()) replace_in_place(t, t.detach().to(device));
  for (auto& [name, t] : named_buffers()) replace_in_place(t, t.detach().to(device));
}

void Module::to(Dtype dtype) {
  NoGradGuard no_grad;
  for (auto& [name, t] : named_parameters()) replace_in_place(t, t.detach().to(dtype));
  for (auto& [name, t] : named_buffers()) replace_in_place(t, t.detach().to(dtype));
}

}  // namespace nn
