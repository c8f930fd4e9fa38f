#include "nn/autograd.hpp"

#include <unordered_map>
#include <unordered_set>

#include "nn/error.hpp"
#include "nn/ops.hpp"
#include "tensor_impl.hpp"

namespace nn {
namespace {
thread_local bool t_grad_enabled = true;

// Post-order over the graph above `root` (inputs before the ops using them).
std::vector<TensorImpl*> topological_order(TensorImpl* root) {
  std::vector<TensorImpl*> order;
  std::unordered_set<TensorImpl*> seen{root};
  std::vector<std::pair<TensorImpl*, std::size_t>> stack{{root, 0}};
  while (!stack.empty()) {
    auto& [impl, next] = stack.back();
    const Node* node = impl->grad_fn.get();
    if (node && next < node->inputs().size()) {
      TensorImpl* input = node->inputs()[next++].impl();
      if (input && input->requires_grad && seen.insert(input).second) stack.emplace_back(input, 0);
      continue;
    }
    order.push_back(impl);
    stack.pop_back();
  }
  return order;
}

void accumulate(Tensor& slot, const Tensor& g) { slot = slot.defined() ? add(slot, g) : g; }
}  // namespace

NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }
bool grad_mode_enabled() { return t_grad_enabled; }

std::vector<Tensor> Node::apply(const Tensor& grad_output, const std::vector<bool>& needs) const {
  if (!fn_)
    throw Error("backward: the graph through '" + name_ +
                "' was already freed by an earlier backward(); pass retain_graph=true to keep it");
  return fn_(grad_output, needs);
}

void Node::release() {
  fn_ = nullptr;
  inputs_.clear();
}

Tensor record(Tensor output, std::string name, std::vector<Tensor> inputs, BackwardFn fn) {
  if (!grad_mode_enabled()) return output;
  bool any = false;
  for (const Tensor& t : inputs) any = any || (t.defined() && t.requires_grad());
  if (!any) return output;
  output.impl()->grad_fn = std::make_shared<Node>(std::move(name), std::move(inputs), std::move(fn));
  output.impl()->requires_grad = true;
  return output;
}

void Tensor::backward(const Tensor& grad, bool retain_graph) const {
  if (!requires_grad())
    throw Error("backward: tensor " + shape_str(shape()) + " does not require grad");
  Tensor seed = grad;
  if (!seed.defined()) {
    if (numel() != 1)
      throw Error("backward: tensor " + shape_str(shape()) + " is not a scalar; pass its gradient");
    seed = ones(shape(), options());
  } else if (seed.shape() != shape() || seed.dtype() != dtype()) {
    throw Error("backward: gradient " + shape_str(seed.shape()) + " " + dtype_name(seed.dtype()) +
                " does not match tensor " + shape_str(shape()) + " " + dtype_name(dtype()));
  }

  NoGradGuard no_grad;
  const std::vector<TensorImpl*> order = topological_order(impl());
  std::unordered_map<TensorImpl*, Tensor> pending{{impl(), seed}};
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    TensorImpl* impl = *it;
    const auto found = pending.find(impl);
    if (found == pending.end()) continue;
    const Tensor g = found->second;
    pending.erase(found);
    if (!impl->grad_fn) {
      // A leaf keeps its own copy: backward functions may hand the same
      // tensor to several inputs.
      impl->grad = impl->grad.defined() ? add(impl->grad, g) : g.clone();
      continue;
    }
    const Node& node = *impl->grad_fn;
    std::vector<bool> needs;
    for (const Tensor& input : node.inputs()) needs.push_back(input.defined() && input.requires_grad());
    const std::vector<Tensor> grads = node.apply(g, needs);
    for (std::size_t i = 0; i < needs.size(); ++i) {
      if (!needs[i] || !grads.at(i).defined()) continue;
      const Tensor& input = node.inputs()[i];
      if (grads[i].shape() != input.shape())
        throw Error("backward: '" + node.name() + "' produced a gradient " + shape_str(grads[i].shape()) +
                    " for its input " + shape_str(input.shape()));
      accumulate(pending[input.impl()], grads[i]);
    }
  }
  if (!retain_graph)
    for (TensorImpl* impl : order)
      if (impl->grad_fn) impl->grad_fn->release();
}

}  // namespace nn
