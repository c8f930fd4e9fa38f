#include "support/gradcheck_cases.hpp"

#include <catch2/catch.hpp>
#include <utility>
#include <vector>

namespace nn::testing {
namespace {
using LossFn = Tensor (*)(const Tensor&, const Tensor&, Reduction, const Tensor&);

const TensorOptions kF64 = TensorOptions().dtype(Dtype::f64);

// A random f64 tensor that does not require grad, on the options' device.
Tensor constant_input(const Shape& shape, const GradcheckOptions& options, double low = -1.0, double high = 1.0) {
  return uniform(shape, low, high, kF64).to(options.device);
}

const char* reduction_name(Reduction r) {
  return r == Reduction::mean ? "mean" : (r == Reduction::sum ? "sum" : "none");
}

// Runs the check for every reduction, without weights and with weights of the
// prediction's shape, per column, per row and a single scalar. The target is
// on the options' device.
void check_all_reductions(LossFn loss, const Tensor& pred, const Tensor& target, const GradcheckOptions& options) {
  const std::vector<Tensor> weights = {Tensor(), constant_input({2, 3}, options, 0.5, 1.5),
                                       constant_input({3}, options, 0.5, 1.5),
                                       constant_input({2, 1}, options, 0.5, 1.5),
                                       scalar(1.7, kF64).to(options.device)};
  for (Reduction r : {Reduction::mean, Reduction::sum, Reduction::none}) {
    for (const Tensor& w : weights) {
      INFO("reduction " << reduction_name(r) << ", weights " << (w.defined() ? shape_str(w.shape()) : "none"));
      gradcheck([&](const std::vector<Tensor>& in) { return loss(in[0], target, r, w); }, {pred}, options);
    }
  }
}

Tensor binary(const std::string& op, const Tensor& a, const Tensor& b) {
  if (op == "add") return add(a, b);
  if (op == "sub") return sub(a, b);
  if (op == "mul") return mul(a, b);
  return div(a, b);
}

}  // namespace

void check_relu_and_leaky_relu(const GradcheckOptions& options) {
  Tensor x = random_input_away_from_zero({3, 4});
  gradcheck([](const std::vector<Tensor>& in) { return relu(in[0]); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return leaky_relu(in[0], 0.3); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return leaky_relu(in[0], 0.2) * in[0]; }, {x}, options);
}

void check_sigmoid_and_tanh(const GradcheckOptions& options) {
  Tensor x = random_input({3, 4}, -3.0, 3.0);
  gradcheck([](const std::vector<Tensor>& in) { return sigmoid(in[0]); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return tanh(in[0]); }, {x}, options);
  // The saved output feeds a later op too.
  gradcheck([](const std::vector<Tensor>& in) { Tensor y = sigmoid(in[0]); return tanh(y) * y; }, {x}, options);
}

void check_dropout(double rate, const GradcheckOptions& options) {
  Tensor x = random_input({4, 5});
  gradcheck([rate](const std::vector<Tensor>& in) { return dropout(in[0], rate, true); }, {x}, options);
  // The mask enters the gradient of a product with the input.
  gradcheck([rate](const std::vector<Tensor>& in) { return dropout(in[0], rate, true) * in[0]; }, {x}, options);
  gradcheck([rate](const std::vector<Tensor>& in) { return dropout(in[0], rate, false) * 2.0; }, {x}, options);
}

void check_gaussian_noise(const GradcheckOptions& options) {
  Tensor x = random_input({4, 5});
  gradcheck([](const std::vector<Tensor>& in) { return gaussian_noise(in[0], 0.5, true); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return gaussian_noise(in[0], 0.5, true) * in[0]; }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return gaussian_noise(in[0], 0.5, false) * 2.0; }, {x}, options);
}

void check_bce(const GradcheckOptions& options) {
  // Probabilities inside the clip range.
  Tensor p = random_input({2, 3}, 0.05, 0.95);
  check_all_reductions(&bce, p, constant_input({2, 3}, options, 0.0, 1.0), options);
}

void check_bce_with_logits(const GradcheckOptions& options) {
  Tensor x = random_input({2, 3}, -4.0, 4.0);
  check_all_reductions(&bce_with_logits, x, constant_input({2, 3}, options, 0.0, 1.0), options);
}

void check_mae(const GradcheckOptions& options) {
  const Tensor target = uniform({2, 3}, -1.0, 1.0, kF64);
  // pred = target + an offset of at least 0.05 in either direction, away from the kink.
  Tensor p = random_input_away_from_zero({2, 3});
  for (std::int64_t i = 0; i < p.numel(); ++i) p.data<double>()[i] += target.data<double>()[i];
  check_all_reductions(&mae, p, target.to(options.device), options);
}

void check_mse(const GradcheckOptions& options) {
  Tensor p = random_input({2, 3});
  check_all_reductions(&mse, p, constant_input({2, 3}, options), options);
}

void check_smooth_labels(Smoothing kind, const GradcheckOptions& options) {
  Tensor y = random_input({2, 3}, 0.0, 1.0);
  gradcheck([kind](const std::vector<Tensor>& in) { return smooth_labels(in[0], 0.1, kind); }, {y}, options);
  // Smoothed targets feeding a loss whose prediction is checked.
  Tensor p = random_input({2, 3}, 0.05, 0.95);
  const Tensor labels = constant_input({2, 3}, options, 0.0, 1.0);
  gradcheck([&](const std::vector<Tensor>& in) { return bce(in[0], smooth_labels(labels, 0.2, kind)); }, {p},
            options);
}

void check_concat_dim0(const GradcheckOptions& options) {
  Tensor a = random_input({2, 3}), b = random_input({1, 3});
  const Tensor c = constant_input({3, 3}, options);
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], c, in[1]}, 0); }, {a, b}, options);
}

void check_concat_channels(const GradcheckOptions& options) {
  Tensor a = random_input({2, 1, 2, 2}), b = random_input({2, 2, 2, 2});
  const Tensor c = constant_input({2, 3, 2, 2}, options);
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], in[1], c}, 1); }, {a, b}, options);
  gradcheck([&](const std::vector<Tensor>& in) { return concat({c, in[0]}, 1); }, {a}, options);
}

void check_concat_last_dim(const GradcheckOptions& options) {
  Tensor a = random_input({2, 2, 3}), b = random_input({2, 2, 1});
  const Tensor c = constant_input({2, 2, 2}, options);
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], c, in[1]}, -1); }, {a, b}, options);
  gradcheck([&](const std::vector<Tensor>& in) { return concat({in[0], in[1]}, 2); }, {a, b}, options);
}

void check_binary_broadcasting(const std::string& op, const GradcheckOptions& options) {
  // same shape, scalar, per-channel NCHW, per-feature, both sides broadcasting
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{2, 3}, {2, 3}}, {{2, 3}, {}}, {{}, {2, 3}}, {{2, 3, 2, 2}, {1, 3, 1, 1}}, {{4, 3}, {3}}, {{3, 1}, {1, 4}}};
  for (const auto& [sa, sb] : cases) {
    INFO(op << " " << shape_str(sa) << " with " << shape_str(sb));
    // Divisors kept away from zero.
    Tensor a = random_input(sa);
    Tensor b = op == "div" ? random_input(sb, 0.5, 1.5) : random_input(sb);
    gradcheck([&](const std::vector<Tensor>& in) { return binary(op, in[0], in[1]); }, {a, b}, options);
  }
}

void check_scalar_arithmetic(const GradcheckOptions& options) {
  Tensor x = random_input({3, 2});
  gradcheck([](const std::vector<Tensor>& in) { return (in[0] * 2.5 + 1.0) / 4.0 - 3.0; }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return -in[0]; }, {x}, options);
}

void check_sum_and_mean(const GradcheckOptions& options) {
  Tensor x = random_input({2, 3, 4});
  gradcheck([](const std::vector<Tensor>& in) { return sum(in[0]); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return mean(in[0]); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return sum(in[0], {0, 2}); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return mean(in[0], {1}, true); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return sum_to(in[0], {3, 1}); }, {x}, options);
}

void check_matmul(bool transpose_a, bool transpose_b, const GradcheckOptions& options) {
  Tensor a = transpose_a ? random_input({4, 3}) : random_input({3, 4});
  Tensor b = transpose_b ? random_input({2, 4}) : random_input({4, 2});
  gradcheck([&](const std::vector<Tensor>& in) { return matmul(in[0], in[1], transpose_a, transpose_b); }, {a, b},
            options);
}

void check_linear(const GradcheckOptions& options) {
  Tensor x = random_input({3, 4}), w = random_input({2, 4}), b = random_input({2});
  gradcheck([](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); }, {x, w, b}, options);
  gradcheck([](const std::vector<Tensor>& in) { return linear(in[0], in[1], Tensor()); }, {x, w}, options);
}

void check_shape_ops(const GradcheckOptions& options) {
  Tensor x = random_input({2, 3, 2});
  gradcheck([](const std::vector<Tensor>& in) { return mul(reshape(in[0], {3, -1}), 2.0); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return flatten(in[0]); }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return in[0].slice_batch(1, 2) * 3.0; }, {x}, options);
  gradcheck([](const std::vector<Tensor>& in) { return in[0].clone() * 3.0; }, {x}, options);
}

}  // namespace nn::testing
