// CUDA losses and label smoothing against the CPU backend: every kind,
// reduction and weight layout, forward and backward through autograd, on a
// prediction that takes many blocks.
#include <catch2/catch.hpp>

#include <string>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

using LossFn = Tensor (*)(const Tensor&, const Tensor&, Reduction, const Tensor&);

struct LossCase {
  std::string name;
  LossFn loss;
  double low, high;  // the prediction's range
};

const char* reduction_name(Reduction r) {
  return r == Reduction::mean ? "mean" : (r == Reduction::sum ? "sum" : "none");
}

template <class T>
void check_loss(const LossCase& c, Reduction reduction, const Tensor& weights) {
  INFO(c.name << ", reduction " << reduction_name(reduction) << ", weights "
              << (weights.defined() ? shape_str(weights.shape()) : "none"));
  const TensorOptions opts = TensorOptions().dtype(dtype_of<T>());
  const Shape shape = {64, 3, 37, 29};
  Tensor pred = uniform(shape, c.low, c.high, opts);
  const Tensor target = uniform(shape, 0, 1, opts);
  pred.set_requires_grad(true);
  const Tensor gpred = cuda_leaf(pred);
  const Tensor gweights = weights.defined() ? weights.to(kCuda) : Tensor();
  const Tensor out = c.loss(pred, target, reduction, weights);
  const Tensor gout = c.loss(gpred, target.to(kCuda), reduction, gweights);
  // Sums accumulate in double on both devices, in different orders.
  const double sum_rtol = sizeof(T) == 4 ? 1e-5 : 1e-11;
  if (reduction == Reduction::none) check_close<T>(gout, out);
  else check_parity(gout, out, 0, sum_rtol);
  const Tensor grad_out = reduction == Reduction::none ? uniform(shape, -1, 1, opts) : scalar(0.75, opts);
  out.backward(grad_out);
  gout.backward(grad_out.to(kCuda));
  check_close<T>(gpred.grad(), pred.grad());
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA losses match the CPU for every reduction and weight layout", "[cuda][parity][loss]",
                   float, double) {
  manual_seed(61);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const std::vector<LossCase> cases = {{"bce", &bce, 0.001, 0.999},
                                       {"bce_with_logits", &bce_with_logits, -8, 8},
                                       {"mae", &mae, -1, 2},
                                       {"mse", &mse, -1, 2}};
  // none, the prediction's shape, per channel, per column, a scalar
  const std::vector<Tensor> weights = {Tensor(), uniform({64, 3, 37, 29}, 0.5, 1.5, opts),
                                       uniform({1, 3, 1, 1}, 0.5, 1.5, opts), uniform({29}, 0.5, 1.5, opts),
                                       scalar(1.7, opts)};
  for (const LossCase& c : cases)
    for (Reduction r : {Reduction::mean, Reduction::sum, Reduction::none})
      for (const Tensor& w : weights) check_loss<TestType>(c, r, w);
}

TEMPLATE_TEST_CASE("CUDA bce clips like the CPU at 0 and 1", "[cuda][parity][loss]", float, double) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  const Tensor p = from_vector<double>({0, 1e-9, 0.5, 1 - 1e-9, 1, 0, 1}, {7}, opts);
  const Tensor y = from_vector<double>({0, 1, 1, 0, 1, 1, 0}, {7}, opts);
  check_close<TestType>(bce(p.to(kCuda), y.to(kCuda), Reduction::none), bce(p, y, Reduction::none));
  check_close<TestType>(bce(p.to(kCuda), y.to(kCuda), Reduction::sum), bce(p, y, Reduction::sum));
}

TEMPLATE_TEST_CASE("CUDA smooth_labels matches the CPU", "[cuda][parity][loss]", float, double) {
  manual_seed(62);
  const TensorOptions opts = TensorOptions().dtype(dtype_of<TestType>());
  Tensor y = uniform({512, 1001}, 0, 1, opts);
  y.set_requires_grad(true);
  const Tensor gy = cuda_leaf(y);
  for (const Smoothing kind : {Smoothing::one_sided, Smoothing::two_sided}) {
    const Tensor out = smooth_labels(y, 0.1, kind), gout = smooth_labels(gy, 0.1, kind);
    check_close<TestType>(gout, out);
    const Tensor g = uniform(out.shape(), -1, 1, opts);
    out.backward(g);
    gout.backward(g.to(kCuda));
  }
  check_close<TestType>(gy.grad(), y.grad());
}

TEST_CASE("CUDA losses on an empty prediction match the CPU", "[cuda][parity][loss]") {
  const Tensor p = zeros({0, 3}), y = zeros({0, 3});
  check_parity(mse(p.to(kCuda), y.to(kCuda), Reduction::sum), mse(p, y, Reduction::sum), 0, 0);
  CHECK(mse(p.to(kCuda), y.to(kCuda), Reduction::none).numel() == 0);
}
