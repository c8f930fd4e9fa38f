// CUDA optimiser steps against the CPU backend: the same parameters and
// gradients, a few steps, then the parameters and every state tensor compared.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "parity.hpp"

using namespace nn;
using namespace nn::testing;

namespace {

using MakeOptimizer = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;

// Steps an optimiser over two parameters on each device with the same
// gradients (fresh ones every step) and compares the results.
template <class T>
void check_steps(const MakeOptimizer& make) {
  const TensorOptions opts = TensorOptions().dtype(dtype_of<T>());
  const std::vector<Tensor> params = {uniform({1000, 1003}, -1, 1, opts), uniform({77}, -1, 1, opts)};
  std::vector<Tensor> gparams;
  for (const Tensor& p : params) gparams.push_back(p.to(kCuda));
  const std::unique_ptr<Optimizer> on_cpu = make(params), on_cuda = make(gparams);
  for (int step = 0; step < 3; ++step) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Tensor g = uniform(params[i].shape(), -1, 1, opts);
      params[i].set_grad(g);
      gparams[i].set_grad(g.to(kCuda));
    }
    on_cpu->step();
    on_cuda->step();
  }
  for (std::size_t i = 0; i < params.size(); ++i) check_close<T>(gparams[i], params[i]);
  const StateDict want = on_cpu->state_dict(), got = on_cuda->state_dict();
  REQUIRE(got.size() == want.size());
  for (const auto& entry : want) {
    INFO(entry.first);
    REQUIRE(got.count(entry.first) == 1);
    const Tensor& expected = entry.second;
    const Tensor& other = got.at(entry.first);
    if (other.device().is_cpu()) CHECK(other.to_vector<double>() == expected.to_vector<double>());
    else check_close<T>(other, expected);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("CUDA Adam steps match the CPU", "[cuda][parity][optim]", float, double) {
  manual_seed(91);
  for (const AdamEpsilon convention : {AdamEpsilon::pytorch, AdamEpsilon::keras}) {
    INFO((convention == AdamEpsilon::pytorch ? "pytorch" : "keras") << " epsilon");
    check_steps<TestType>([convention](std::vector<Tensor> params) {
      return std::make_unique<Adam>(std::move(params), AdamOptions().lr(0.01).beta1(0.5).convention(convention));
    });
  }
}

TEMPLATE_TEST_CASE("CUDA SGD steps match the CPU", "[cuda][parity][optim]", float, double) {
  manual_seed(92);
  const std::vector<SgdOptions> variants = {SgdOptions().lr(0.1), SgdOptions().lr(0.1).momentum(0.9),
                                            SgdOptions().lr(0.1).momentum(0.9).nesterov(true)};
  for (const SgdOptions& options : variants) {
    INFO("momentum " << options.momentum() << ", nesterov " << options.nesterov());
    check_steps<TestType>(
        [options](std::vector<Tensor> params) { return std::make_unique<SGD>(std::move(params), options); });
  }
}
