#include "support/gradcheck_cases.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "support/conv_description.hpp"

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

struct ConvCase {
  Shape x, w;
  Size2d stride;
  Padding2d padding;
  bool bias;
  Size2d output_padding;
};

// Inputs for x, weight and (when used) bias; a bias-free call gets no bias input.
std::vector<Tensor> conv_inputs(const ConvCase& c, std::int64_t bias_size) {
  std::vector<Tensor> in{random_input(c.x), random_input(c.w)};
  if (c.bias) in.push_back(random_input({bias_size}));
  return in;
}

Tensor bias_of(const std::vector<Tensor>& in) { return in.size() > 2 ? in[2] : Tensor(); }

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

void check_cross_entropy(const GradcheckOptions& options) {
  Tensor x = random_input({4, 5}, -3.0, 3.0);
  const Tensor ids = from_vector<double>({4, 0, 2, 2}, {4}, kF64).to(options.device);
  // Soft targets whose rows do not sum to 1, so the gradient's target-mass term shows.
  const Tensor probs = constant_input({4, 5}, options, 0.1, 1.0);
  for (const double smoothing : {0.0, 0.1}) {
    for (Reduction r : {Reduction::mean, Reduction::sum, Reduction::none}) {
      INFO("smoothing " << smoothing << ", reduction " << reduction_name(r));
      gradcheck([&](const std::vector<Tensor>& in) { return cross_entropy(in[0], ids, r, smoothing); }, {x},
                options);
      gradcheck([&](const std::vector<Tensor>& in) { return cross_entropy(in[0], probs, r, smoothing); }, {x},
                options);
    }
  }
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

void check_conv2d(const GradcheckOptions& options) {
  const std::vector<ConvCase> cases = {
      {{2, 2, 5, 4}, {3, 2, 3, 3}, {1, 1}, {1, 1, 1, 1}, true, {}},
      // Keras `same`, 4x4 stride 2, asymmetric along the odd width.
      {{1, 2, 6, 5}, {2, 2, 4, 4}, {2, 2}, {1, 1, 1, 2}, false, {}},
      // Even kernel, stride 1, `same`: the extra cell at the bottom/right.
      {{2, 2, 4, 5}, {2, 2, 2, 2}, {1, 1}, {0, 1, 0, 1}, true, {}},
      {{2, 1, 5, 7}, {2, 1, 2, 3}, {2, 1}, {0, 1, 1, 0}, true, {}},
      {{1, 3, 7, 6}, {2, 3, 3, 3}, {2, 2}, {0, 0, 0, 0}, false, {}},
      // Stride 1, fewer output than input channels (the CPU's output-side lowering).
      {{2, 3, 5, 4}, {1, 3, 3, 2}, {1, 1}, {1, 2, 0, 1}, true, {}},
  };
  for (const ConvCase& c : cases) {
    INFO(describe_conv(c.x, c.w, c.stride, c.padding));
    gradcheck(
        [&](const std::vector<Tensor>& in) { return conv2d(in[0], in[1], bias_of(in), c.stride, c.padding); },
        conv_inputs(c, c.w[0]), options);
  }
}

void check_conv_transpose2d(const GradcheckOptions& options) {
  const std::vector<ConvCase> cases = {
      // Keras `same`, 3x3 stride 2: padding 0/1, output twice the input.
      {{2, 3, 3, 2}, {3, 2, 3, 3}, {2, 2}, {0, 1, 0, 1}, true, {0, 0}},
      {{1, 2, 3, 3}, {2, 2, 4, 4}, {2, 2}, {1, 1, 1, 1}, false, {0, 0}},
      {{1, 2, 2, 3}, {2, 3, 3, 2}, {2, 3}, {1, 0, 0, 1}, true, {1, 2}},
      {{2, 2, 3, 2}, {2, 1, 5, 5}, {1, 1}, {2, 2, 2, 2}, true, {0, 0}},
      {{1, 2, 2, 2}, {2, 2, 5, 5}, {2, 2}, {1, 2, 1, 2}, false, {0, 1}},
  };
  for (const ConvCase& c : cases) {
    INFO(describe_conv(c.x, c.w, c.stride, c.padding)
         << " output_padding " << c.output_padding.h << "x" << c.output_padding.w);
    gradcheck(
        [&](const std::vector<Tensor>& in) {
          return conv_transpose2d(in[0], in[1], bias_of(in), c.stride, c.padding, c.output_padding);
        },
        conv_inputs(c, c.w[1]), options);
  }
}

void check_max_pool2d(const GradcheckOptions& options) {
  struct PoolCase {
    Shape x;
    Size2d kernel, stride;
    Padding2d padding;
  };
  const std::vector<PoolCase> cases = {
      {{2, 2, 4, 4}, {2, 2}, {2, 2}, {}},
      {{1, 2, 5, 5}, {3, 3}, {2, 2}, {1, 1, 1, 1}},
      {{1, 1, 5, 6}, {3, 3}, {1, 1}, {0, 1, 1, 0}},
      {{2, 1, 4, 7}, {2, 3}, {1, 2}, {}},
  };
  std::mt19937 rng(5);
  for (const PoolCase& c : cases) {
    // Distinct values 0.1 apart, so finite differences never cross a tie.
    std::vector<double> values(static_cast<std::size_t>(shape_numel(c.x)));
    std::iota(values.begin(), values.end(), 0.0);
    std::shuffle(values.begin(), values.end(), rng);
    for (double& v : values) v = 0.1 * v - 1.0;
    Tensor x = from_vector(values, c.x, kF64);
    x.set_requires_grad(true);
    INFO("x " << shape_str(c.x));
    gradcheck([&](const std::vector<Tensor>& in) { return max_pool2d(in[0], c.kernel, c.stride, c.padding); }, {x},
              options);
  }
}

// Training batch norm has d sum(y) / dx = 0, so these check the full output
// Jacobian (and one randomly weighted sum), never a plain sum.
void check_batch_norm_training(const Shape& shape, const GradcheckOptions& options) {
  INFO("input " << shape_str(shape));
  Tensor x = random_input(shape);
  Tensor w = random_input({3}, 0.5, 1.5), b = random_input({3});
  SECTION("with weight and bias") {
    gradcheck([](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], {}, {}, true); },
              {x, w, b}, options);
  }
  SECTION("without weight and bias") {
    gradcheck([](const std::vector<Tensor>& in) { return batch_norm(in[0], {}, {}, {}, {}, true); }, {x},
              options);
  }
  SECTION("updating running buffers, which stay out of the graph") {
    const Tensor rm = zeros({3}, kF64).to(options.device), rv = ones({3}, kF64).to(options.device);
    gradcheck(
        [&](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], rm, rv, true, 0.2, 1e-3); },
        {x, w, b}, options);
    CHECK_FALSE(rm.requires_grad());
  }
  SECTION("a randomly weighted sum of the output") {
    const Tensor r = constant_input(shape, options);
    gradcheck([&](const std::vector<Tensor>& in) { return sum(batch_norm(in[0], in[1], in[2], {}, {}, true) * r); },
              {x, w, b}, options);
  }
  SECTION("only the affine parameters require grad") {
    const Tensor fixed = x.detach().to(options.device);
    gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(fixed, in[0], in[1], {}, {}, true); }, {w, b},
              options);
  }
}

void check_batch_norm_inference(const Shape& shape, const GradcheckOptions& options) {
  INFO("input " << shape_str(shape));
  Tensor x = random_input(shape);
  Tensor w = random_input({2}, 0.5, 1.5), b = random_input({2});
  const Tensor rm = constant_input({2}, options, -0.5, 0.5), rv = constant_input({2}, options, 0.5, 1.5);
  gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(in[0], in[1], in[2], rm, rv, false); },
            {x, w, b}, options);
  gradcheck([&](const std::vector<Tensor>& in) { return batch_norm(in[0], {}, {}, rm, rv, false); }, {x}, options);
}

}  // namespace nn::testing
