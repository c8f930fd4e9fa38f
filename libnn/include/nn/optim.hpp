#pragma once
// Optimisers. Parameters are updated in place (their storage keeps its
// identity, so modules and other optimisers holding them see the update).
// Parameters without a gradient after backward() are skipped by step().
// Per-parameter state (moments, momentum buffers) is created as zeros when the
// optimiser is built; state_dict() entries share storage with that state, so
// clone them for a snapshot.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nn/state_dict.hpp"
#include "nn/tensor.hpp"

namespace nn {

// Parameters that share a learning rate. A group without a rate of its own
// uses the optimiser's options' rate; a rate given must be positive.
struct ParamGroup {
  ParamGroup(std::vector<Tensor> params, std::optional<double> lr = std::nullopt)
      : params(std::move(params)), lr(lr) {}
  std::vector<Tensor> params;
  std::optional<double> lr;
};

class Optimizer {
 public:
  explicit Optimizer(std::vector<ParamGroup> groups);
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  virtual void step() = 0;
  // Drops every parameter's gradient.
  void zero_grad();
  std::vector<ParamGroup>& groups() { return groups_; }
  const std::vector<ParamGroup>& groups() const { return groups_; }
  // Step counter, per-parameter state and learning rates, for checkpoints.
  // Loading sets every group's own rate to the one saved.
  virtual StateDict state_dict() const = 0;
  virtual void load_state_dict(const StateDict& state) = 0;

 protected:
  std::vector<ParamGroup> groups_;
};

// Where epsilon enters Adam's update:
//  pytorch: p -= lr * m_hat / (sqrt(v_hat) + eps)                 (default eps 1e-8)
//  keras:   p -= lr * sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)  (default eps 1e-7)
enum class AdamEpsilon { pytorch, keras };

// Adam's settings; each name without an argument reads the setting back.
//   lr           the rate of every group without its own (default 1e-3, positive)
//   beta1/beta2  decay of the first and second moment averages (defaults 0.9, 0.999; in [0, 1))
//   eps          added to the root of the second moment (default 1e-8; Keras uses 1e-7)
//   convention   where eps enters the update (default AdamEpsilon::pytorch)
class AdamOptions {
 public:
  AdamOptions& lr(double v) { lr_ = v; return *this; }
  AdamOptions& beta1(double v) { beta1_ = v; return *this; }
  AdamOptions& beta2(double v) { beta2_ = v; return *this; }
  AdamOptions& eps(double v) { eps_ = v; return *this; }
  AdamOptions& convention(AdamEpsilon v) { convention_ = v; return *this; }

  double lr() const { return lr_; }
  double beta1() const { return beta1_; }
  double beta2() const { return beta2_; }
  double eps() const { return eps_; }
  AdamEpsilon convention() const { return convention_; }

 private:
  double lr_ = 1e-3, beta1_ = 0.9, beta2_ = 0.999, eps_ = 1e-8;
  AdamEpsilon convention_ = AdamEpsilon::pytorch;
};

class Adam : public Optimizer {
 public:
  // Every group without its own rate uses options.lr().
  Adam(std::vector<ParamGroup> groups, AdamOptions options = {});
  Adam(std::vector<Tensor> params, AdamOptions options = {});
  void step() override;
  StateDict state_dict() const override;
  void load_state_dict(const StateDict& state) override;
  const AdamOptions& options() const { return options_; }
  std::int64_t steps() const { return step_; }

 private:
  AdamOptions options_;
  std::int64_t step_ = 0;
  std::vector<std::vector<Tensor>> exp_avg_, exp_avg_sq_;
};

// SGD's settings; each name without an argument reads the setting back.
//   lr         the rate of every group without its own (default 1e-2, positive)
//   momentum   the momentum factor, 0 for none (default 0)
//   nesterov   Nesterov's form of momentum; needs momentum > 0 (default false)
class SgdOptions {
 public:
  SgdOptions& lr(double v) { lr_ = v; return *this; }
  SgdOptions& momentum(double v) { momentum_ = v; return *this; }
  SgdOptions& nesterov(bool v) { nesterov_ = v; return *this; }

  double lr() const { return lr_; }
  double momentum() const { return momentum_; }
  bool nesterov() const { return nesterov_; }

 private:
  double lr_ = 1e-2, momentum_ = 0.0;
  bool nesterov_ = false;
};

// SGD with optional (Nesterov) momentum, PyTorch's formulation:
// buf = momentum * buf + g; p -= lr * (nesterov ? g + momentum * buf : buf).
class SGD : public Optimizer {
 public:
  SGD(std::vector<ParamGroup> groups, SgdOptions options = {});
  SGD(std::vector<Tensor> params, SgdOptions options = {});
  void step() override;
  StateDict state_dict() const override;
  void load_state_dict(const StateDict& state) override;
  const SgdOptions& options() const { return options_; }

 private:
  SgdOptions options_;
  std::vector<std::vector<Tensor>> momentum_buffer_;
};

}  // namespace nn
