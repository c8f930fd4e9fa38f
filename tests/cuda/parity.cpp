#include "parity.hpp"

#include <catch2/catch.hpp>
#include <cmath>

namespace nn::testing {

void check_parity(const Tensor& on_cuda, const Tensor& on_cpu, double atol, double rtol) {
  REQUIRE(on_cuda.device() == kCuda);
  REQUIRE(on_cpu.device().is_cpu());
  REQUIRE(on_cuda.shape() == on_cpu.shape());
  const std::vector<double> got = on_cuda.to_vector<double>(), want = on_cpu.to_vector<double>();
  std::size_t bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!(std::abs(got[i] - want[i]) <= atol + rtol * std::abs(want[i]))) {
      if (bad++ < 5) UNSCOPED_INFO("element " << i << ": cuda " << got[i] << ", cpu " << want[i]);
    }
  }
  CHECK(bad == 0);
}

void check_named(const char* what, const Tensor& on_cuda, const Tensor& on_cpu, double atol, double rtol) {
  INFO(what);
  check_parity(on_cuda, on_cpu, atol, rtol);
}

Tensor cuda_leaf(const Tensor& on_cpu) {
  Tensor leaf = on_cpu.detach().to(kCuda);
  leaf.set_requires_grad(true);
  return leaf;
}

Tensor cpu_leaf(const Tensor& on_cpu) {
  Tensor leaf = on_cpu.clone();
  leaf.set_requires_grad(true);
  return leaf;
}

}  // namespace nn::testing
