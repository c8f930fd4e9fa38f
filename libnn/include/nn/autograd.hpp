#pragma once
// Reverse-mode autograd. An op's output carries a Node that keeps the op's
// differentiable inputs and a backward function mapping the output gradient
// to one gradient per input.
#include <functional>
#include <string>
#include <vector>

#include "nn/tensor.hpp"

namespace nn {

// needs[i] says whether input i wants a gradient; a backward function may
// return an undefined tensor for any input that does not.
using BackwardFn =
    std::function<std::vector<Tensor>(const Tensor& grad_output, const std::vector<bool>& needs)>;

class Node {
 public:
  Node(std::string name, std::vector<Tensor> inputs, BackwardFn fn)
      : name_(std::move(name)), inputs_(std::move(inputs)), fn_(std::move(fn)) {}
  const std::string& name() const { return name_; }
  const std::vector<Tensor>& inputs() const { return inputs_; }
  bool released() const { return !fn_; }
  std::vector<Tensor> apply(const Tensor& grad_output, const std::vector<bool>& needs) const;
  void release();

 private:
  std::string name_;
  std::vector<Tensor> inputs_;
  BackwardFn fn_;
};

// Disables graph recording in its scope (thread-local).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

bool grad_mode_enabled();

// Attaches a Node to `output` when grad mode is on and some input requires
// grad; returns `output`. Ops call this after computing their result.
Tensor record(Tensor output, std::string name, std::vector<Tensor> inputs, BackwardFn fn);

}  // namespace nn
