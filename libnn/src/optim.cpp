// Optimisers. State is created eagerly, zero, for every parameter (and for
// parameters added to a group later, at the next step or load), so a state
// dict always has the same entries whether or not a parameter has ever had a
// gradient. State dict entries:
//   "step"                                  Adam's step count (f64 scalar)
//   "group<g>.lr"                           the group's effective rate (f64 scalar)
//   "group<g>.param<i>.exp_avg", ".exp_avg_sq"   Adam's moments
//   "group<g>.param<i>.momentum_buffer"     SGD with momentum > 0
// The per-parameter entries share storage with the optimiser's state (clone
// them for a snapshot); the scalars are copies.
#include "nn/optim.hpp"

#include <cmath>
#include <set>
#include <sstream>

#include "nn/error.hpp"
#include "ops/optim_update.hpp"

namespace nn {
namespace {

using State = std::vector<std::vector<Tensor>>;

const TensorOptions kScalarOptions = TensorOptions().dtype(Dtype::f64);

double effective_lr(const ParamGroup& group, double fallback) { return group.lr.value_or(fallback); }

std::string group_name(std::size_t g) { return "group" + std::to_string(g); }
std::string param_name(std::size_t g, std::size_t i) { return group_name(g) + ".param" + std::to_string(i); }

Tensor zeros_like_param(const Tensor& param) {
  return zeros(param.shape(), TensorOptions().dtype(param.dtype()).device(param.device()));
}

// One zero tensor per parameter that has none yet.
void ensure_state(State& state, const std::vector<ParamGroup>& groups) {
  state.resize(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    state[g].resize(groups[g].params.size());
    for (std::size_t i = 0; i < groups[g].params.size(); ++i)
      if (!state[g][i].defined()) state[g][i] = zeros_like_param(groups[g].params[i]);
  }
}

// The state of parameter i of group g; zeros for a parameter added since the
// state was last grown (what ensure_state would create).
Tensor state_or_zeros(const State& state, const std::vector<ParamGroup>& groups, std::size_t g, std::size_t i) {
  if (g < state.size() && i < state[g].size() && state[g][i].defined()) return state[g][i];
  return zeros_like_param(groups[g].params[i]);
}

void add_learning_rates(StateDict& dict, const std::vector<ParamGroup>& groups, double fallback) {
  for (std::size_t g = 0; g < groups.size(); ++g)
    dict[group_name(g) + ".lr"] = scalar(effective_lr(groups[g], fallback), kScalarOptions);
}

void read_learning_rates(const StateDict& loaded, std::vector<ParamGroup>& groups) {
  for (std::size_t g = 0; g < groups.size(); ++g) groups[g].lr = loaded.at(group_name(g) + ".lr").item();
}

void check_option(bool ok, const char* who, const std::string& what, double value) {
  if (ok) return;
  std::ostringstream message;
  message << who << ": " << what << ", got " << value;
  throw Error(message.str());
}

void check_group_rates(const std::vector<ParamGroup>& groups, const char* who) {
  for (std::size_t g = 0; g < groups.size(); ++g)
    if (groups[g].lr) check_option(*groups[g].lr > 0, who, group_name(g) + "'s lr must be positive", *groups[g].lr);
}

}  // namespace

Optimizer::Optimizer(std::vector<ParamGroup> groups) : groups_(std::move(groups)) {
  std::set<const TensorImpl*> seen;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor& p = groups_[g].params[i];
      if (!p.defined()) throw Error("Optimizer: " + param_name(g, i) + " is an undefined tensor");
      if (!seen.insert(p.impl()).second)
        throw Error("Optimizer: " + param_name(g, i) + " " + shape_str(p.shape()) +
                    " is already in the optimiser (a parameter may appear only once)");
    }
  }
}

void Optimizer::zero_grad() {
  for (const ParamGroup& group : groups_)
    for (const Tensor& p : group.params) p.zero_grad();
}

// ---- Adam ----

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions options)
    : Optimizer(std::move(groups)), options_(options) {
  check_option(options_.lr() > 0, "Adam", "lr must be positive", options_.lr());
  check_option(options_.beta1() >= 0 && options_.beta1() < 1, "Adam", "beta1 must lie in [0, 1)", options_.beta1());
  check_option(options_.beta2() >= 0 && options_.beta2() < 1, "Adam", "beta2 must lie in [0, 1)", options_.beta2());
  check_option(options_.eps() >= 0, "Adam", "eps must not be negative", options_.eps());
  check_group_rates(groups_, "Adam");
  ensure_state(exp_avg_, groups_);
  ensure_state(exp_avg_sq_, groups_);
}

Adam::Adam(std::vector<Tensor> params, AdamOptions options)
    : Adam(std::vector<ParamGroup>{ParamGroup{std::move(params)}}, options) {}

void Adam::step() {
  ensure_state(exp_avg_, groups_);
  ensure_state(exp_avg_sq_, groups_);
  ++step_;
  const double t = static_cast<double>(step_);
  const double bias_correction1 = 1.0 - std::pow(options_.beta1(), t);
  const double bias_correction2 = 1.0 - std::pow(options_.beta2(), t);
  const bool keras = options_.convention() == AdamEpsilon::keras;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const double lr = effective_lr(groups_[g], options_.lr());
    kernels::AdamCoefficients<double> c{};
    c.beta1 = options_.beta1();
    c.one_minus_beta1 = 1.0 - options_.beta1();
    c.beta2 = options_.beta2();
    c.one_minus_beta2 = 1.0 - options_.beta2();
    c.step_size = keras ? lr * std::sqrt(bias_correction2) / bias_correction1 : lr / bias_correction1;
    c.sqrt_bias_correction2 = keras ? 1.0 : std::sqrt(bias_correction2);
    c.eps = options_.eps();
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor& p = groups_[g].params[i];
      const Tensor grad = p.grad();
      if (grad.defined()) adam_update_(p, grad, exp_avg_[g][i], exp_avg_sq_[g][i], c);
    }
  }
}

StateDict Adam::state_dict() const {
  StateDict dict;
  dict["step"] = scalar(static_cast<double>(step_), kScalarOptions);
  add_learning_rates(dict, groups_, options_.lr());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      dict[param_name(g, i) + ".exp_avg"] = state_or_zeros(exp_avg_, groups_, g, i);
      dict[param_name(g, i) + ".exp_avg_sq"] = state_or_zeros(exp_avg_sq_, groups_, g, i);
    }
  }
  return dict;
}

void Adam::load_state_dict(const StateDict& state) {
  const auto step = state.find("step");
  if (step != state.end() && step->second.numel() == 1) {
    const double value = step->second.item();
    check_option(value >= 0 && value == std::floor(value), "Adam.load_state_dict",
                 "entry 'step' must hold a non-negative whole number", value);
  }
  ensure_state(exp_avg_, groups_);
  ensure_state(exp_avg_sq_, groups_);
  const StateDict target = state_dict();
  load_state_into(target, state, "Adam.load_state_dict");
  step_ = static_cast<std::int64_t>(target.at("step").item());
  read_learning_rates(target, groups_);
}

// ---- SGD ----

SGD::SGD(std::vector<ParamGroup> groups, SgdOptions options) : Optimizer(std::move(groups)), options_(options) {
  check_option(options_.lr() > 0, "SGD", "lr must be positive", options_.lr());
  check_option(options_.momentum() >= 0, "SGD", "momentum must not be negative", options_.momentum());
  check_option(!options_.nesterov() || options_.momentum() > 0, "SGD", "nesterov needs a positive momentum",
               options_.momentum());
  check_group_rates(groups_, "SGD");
  if (options_.momentum() > 0) ensure_state(momentum_buffer_, groups_);
}

SGD::SGD(std::vector<Tensor> params, SgdOptions options)
    : SGD(std::vector<ParamGroup>{ParamGroup{std::move(params)}}, options) {}

void SGD::step() {
  const bool momentum = options_.momentum() > 0;
  if (momentum) ensure_state(momentum_buffer_, groups_);
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const kernels::SgdCoefficients<double> c{effective_lr(groups_[g], options_.lr()), options_.momentum(),
                                             options_.nesterov()};
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor& p = groups_[g].params[i];
      const Tensor grad = p.grad();
      if (grad.defined()) sgd_update_(p, grad, momentum ? momentum_buffer_[g][i] : Tensor(), c);
    }
  }
}

StateDict SGD::state_dict() const {
  StateDict dict;
  add_learning_rates(dict, groups_, options_.lr());
  if (options_.momentum() > 0)
    for (std::size_t g = 0; g < groups_.size(); ++g)
      for (std::size_t i = 0; i < groups_[g].params.size(); ++i)
        dict[param_name(g, i) + ".momentum_buffer"] = state_or_zeros(momentum_buffer_, groups_, g, i);
  return dict;
}

void SGD::load_state_dict(const StateDict& state) {
  if (options_.momentum() > 0) ensure_state(momentum_buffer_, groups_);
  const StateDict target = state_dict();
  load_state_into(target, state, "SGD.load_state_dict");
  read_learning_rates(target, groups_);
}

}  // namespace nn
