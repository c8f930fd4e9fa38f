#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

namespace nn::testing {
namespace {

constexpr double kSentinel = 7.25;

Tensor run(const TensorFn& f, const std::vector<Tensor>& inputs, std::uint64_t seed) {
  set_random_state({seed, 0});
  return f(inputs);
}

struct PoisonScope {
  PoisonScope() { set_poison_allocations(true); }
  ~PoisonScope() { set_poison_allocations(false); }
};

// The tensors f runs on: the inputs themselves on the CPU, otherwise copies on
// `device` that are leaves of their own and require grad where the input does.
std::vector<Tensor> inputs_on(const std::vector<Tensor>& inputs, Device device) {
  if (device.is_cpu()) return inputs;
  std::vector<Tensor> moved;
  for (const Tensor& t : inputs) {
    Tensor copy = t.detach().to(device);
    copy.set_requires_grad(t.requires_grad());
    moved.push_back(copy);
  }
  return moved;
}

// Element e of a CPU input and of the tensor f reads it (the input itself, or
// its copy on a device, refreshed after every change).
class Perturbation {
 public:
  Perturbation(const Tensor& host, const Tensor& evaluated) : host_(host), evaluated_(evaluated) {}
  double get(std::int64_t e) const { return host_.data<double>()[e]; }
  void set(std::int64_t e, double value) const {
    host_.data<double>()[e] = value;
    if (!evaluated_.device().is_cpu()) copy_(evaluated_, host_);
  }

 private:
  Tensor host_, evaluated_;
};

}  // namespace

void gradcheck(const TensorFn& f, const std::vector<Tensor>& host_inputs, GradcheckOptions options) {
  INFO("gradcheck on " << options.device.str());
  PoisonScope poison;
  std::vector<std::size_t> checked;
  for (std::size_t i = 0; i < host_inputs.size(); ++i) {
    REQUIRE(host_inputs[i].dtype() == Dtype::f64);
    REQUIRE(host_inputs[i].device().is_cpu());
    if (host_inputs[i].requires_grad()) checked.push_back(i);
  }
  REQUIRE(!checked.empty());
  const std::vector<Tensor> inputs = inputs_on(host_inputs, options.device);

  Tensor reference;
  {
    NoGradGuard no_grad;
    reference = run(f, inputs, options.seed);
  }
  const std::int64_t outputs = reference.numel();
  REQUIRE(outputs > 0);

  // analytic[c][j * n + e]: d output_j / d input_c[e], one backward per output.
  std::vector<std::vector<double>> analytic(checked.size());
  for (std::int64_t j = 0; j < outputs; ++j) {
    for (std::size_t i : checked) inputs[i].set_grad(full(inputs[i].shape(), kSentinel, inputs[i].options()));
    Tensor out = run(f, inputs, options.seed);
    REQUIRE(out.requires_grad());
    std::vector<double> onehot(static_cast<std::size_t>(outputs), 0.0);
    onehot[static_cast<std::size_t>(j)] = 1.0;
    out.backward(from_vector(onehot, out.shape(), out.options()));
    for (std::size_t c = 0; c < checked.size(); ++c) {
      const Tensor g = inputs[checked[c]].grad();
      REQUIRE(g.defined());
      for (double v : g.to_vector<double>()) analytic[c].push_back(v - kSentinel);
    }
  }
  for (const Tensor& t : inputs)
    if (!t.requires_grad()) REQUIRE_FALSE(t.grad().defined());

  NoGradGuard no_grad;
  for (std::size_t c = 0; c < checked.size(); ++c) {
    const Tensor& x = inputs[checked[c]];
    const Perturbation element(host_inputs[checked[c]], x);
    const std::int64_t n = x.numel();
    for (std::int64_t e = 0; e < n; ++e) {
      const double saved = element.get(e);
      element.set(e, saved + options.eps);
      const std::vector<double> plus = run(f, inputs, options.seed).to_vector<double>();
      element.set(e, saved - options.eps);
      const std::vector<double> minus = run(f, inputs, options.seed).to_vector<double>();
      element.set(e, saved);
      for (std::int64_t j = 0; j < outputs; ++j) {
        const double numeric = (plus[static_cast<std::size_t>(j)] - minus[static_cast<std::size_t>(j)]) /
                               (2 * options.eps);
        const double got = analytic[c][static_cast<std::size_t>(j * n + e)];
        if (!(std::abs(got - numeric) <= options.atol + options.rtol * std::abs(numeric))) {
          std::ostringstream what;
          what << "input " << checked[c] << " " << shape_str(x.shape()) << " element " << e << ", output "
               << j << ": analytic " << got << " vs numeric " << numeric;
          FAIL(what.str());
        }
      }
    }
  }
  for (std::size_t i : checked) inputs[i].zero_grad();
}

Tensor random_input(const Shape& shape, double low, double high) {
  Tensor t = uniform(shape, low, high, TensorOptions().dtype(Dtype::f64));
  t.set_requires_grad(true);
  return t;
}

Tensor random_input_away_from_zero(const Shape& shape, double margin) {
  Tensor t = uniform(shape, margin, 1.0, TensorOptions().dtype(Dtype::f64));
  const Tensor sign = uniform(shape, 0.0, 1.0, TensorOptions().dtype(Dtype::f64));
  double* v = t.data<double>();
  const double* s = sign.data<double>();
  for (std::int64_t i = 0; i < t.numel(); ++i)
    if (s[i] < 0.5) v[i] = -v[i];
  t.set_requires_grad(true);
  return t;
}

}  // namespace nn::testing
