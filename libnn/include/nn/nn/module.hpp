#pragma once
// nn::Module: the base of every layer and model. A module owns named
// parameters (trainable tensors), buffers (state such as running statistics)
// and child modules; it walks them for parameters(), state_dict(), train/eval,
// freezing and device moves.
//
// Single-input layers override forward(const Tensor&) and are called through
// operator(). Models with several inputs or outputs (an encoder with two
// heads, a generator fed by a concatenation) simply define their own methods
// with the signatures they need and call their children from them.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nn/state_dict.hpp"
#include "nn/tensor.hpp"

namespace nn {

class Module {
 public:
  explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  const std::string& type_name() const { return type_name_; }

  // The single-input forward pass; the default raises nn::Error.
  virtual Tensor forward(const Tensor& x);
  // Calls forward() and reports the output to an active summary().
  Tensor operator()(const Tensor& x);
  // Multi-input layers (Concatenate) override this; the default raises.
  virtual Tensor forward_multi(const std::vector<Tensor>& xs);
  Tensor operator()(const std::vector<Tensor>& xs);

  // Recursive, in registration order; names are dotted paths ("0.weight").
  std::vector<Tensor> parameters() const;
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;
  std::vector<std::pair<std::string, Tensor>> named_buffers() const;
  // Every module below this one (not this one), with dotted names.
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> named_modules() const;
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const { return children_; }

  // Parameters and buffers by name.
  StateDict state_dict() const;
  // Copies values in place; names, shapes and dtypes must match exactly.
  void load_state_dict(const StateDict& state);

  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Frozen parameters get no gradient: a step that trains through this
  // module leaves it bitwise unchanged and never computes its gradients.
  void freeze() { set_trainable(false); }
  void unfreeze() { set_trainable(true); }

  // Moves or converts every parameter and buffer in place: tensors keep their
  // identity, so optimisers and handles already taken see the change.
  void to(Device device);
  void to(Dtype dtype);

 protected:
  // Registration returns the tensor (or module) for the caller to keep.
  Tensor register_parameter(std::string name, Tensor t);
  Tensor register_buffer(std::string name, Tensor t);
  template <class M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    add_child(std::move(name), module);
    return module;
  }

 private:
  void add_child(std::string name, std::shared_ptr<Module> module);
  void set_trainable(bool on);
  std::string type_name_;
  bool training_ = true;
  std::vector<std::pair<std::string, Tensor>> params_, buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
};

}  // namespace nn
