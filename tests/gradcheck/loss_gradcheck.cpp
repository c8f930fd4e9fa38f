#include <catch2/catch.hpp>

#include "support/gradcheck.hpp"

using namespace nn;
using nn::testing::gradcheck;
using nn::testing::random_input;
using nn::testing::random_input_away_from_zero;

namespace {
using LossFn = Tensor (*)(const Tensor&, const Tensor&, Reduction, const Tensor&);

const TensorOptions kF64 = TensorOptions().dtype(Dtype::f64);

const char* reduction_name(Reduction r) {
  return r == Reduction::mean ? "mean" : (r == Reduction::sum ? "sum" : "none");
}

// Runs the check for every reduction, without weights and with weights of the
// prediction's shape, per column, per row and a single scalar.
void check_all_reductions(LossFn loss, const Tensor& pred, const Tensor& target) {
  const std::vector<Tensor> weights = {Tensor(), uniform({2, 3}, 0.5, 1.5, kF64),
                                       uniform({3}, 0.5, 1.5, kF64), uniform({2, 1}, 0.5, 1.5, kF64),
                                       scalar(1.7, kF64)};
  for (Reduction r : {Reduction::mean, Reduction::sum, Reduction::none}) {
    for (const Tensor& w : weights) {
      INFO("reduction " << reduction_name(r) << ", weights "
                        << (w.defined() ? shape_str(w.shape()) : "none"));
      gradcheck([&](const std::vector<Tensor>& in) { return loss(in[0], target, r, w); }, {pred});
    }
  }
}
}  // namespace

TEST_CASE("gradcheck bce on probabilities inside the clip range", "[gradcheck][loss]") {
  Tensor p = random_input({2, 3}, 0.05, 0.95);
  check_all_reductions(&bce, p, uniform({2, 3}, 0.0, 1.0, kF64));
}

TEST_CASE("gradcheck bce_with_logits", "[gradcheck][loss]") {
  Tensor x = random_input({2, 3}, -4.0, 4.0);
  check_all_reductions(&bce_with_logits, x, uniform({2, 3}, 0.0, 1.0, kF64));
}

TEST_CASE("gradcheck mae away from pred == target", "[gradcheck][loss]") {
  const Tensor target = uniform({2, 3}, -1.0, 1.0, kF64);
  // pred = target + an offset of at least 0.05 in either direction.
  Tensor p = random_input_away_from_zero({2, 3});
  for (std::int64_t i = 0; i < p.numel(); ++i) p.data<double>()[i] += target.data<double>()[i];
  check_all_reductions(&mae, p, target);
}

TEST_CASE("gradcheck mse", "[gradcheck][loss]") {
  Tensor p = random_input({2, 3});
  check_all_reductions(&mse, p, uniform({2, 3}, -1.0, 1.0, kF64));
}

TEST_CASE("gradcheck smooth_labels, one- and two-sided", "[gradcheck][loss]") {
  const Smoothing kind = GENERATE(Smoothing::one_sided, Smoothing::two_sided);
  Tensor y = random_input({2, 3}, 0.0, 1.0);
  gradcheck([kind](const std::vector<Tensor>& in) { return smooth_labels(in[0], 0.1, kind); }, {y});
  // Smoothed targets feeding a loss whose prediction is checked.
  Tensor p = random_input({2, 3}, 0.05, 0.95);
  const Tensor labels = uniform({2, 3}, 0.0, 1.0, kF64);
  gradcheck([&](const std::vector<Tensor>& in) { return bce(in[0], smooth_labels(labels, 0.2, kind)); }, {p});
}
