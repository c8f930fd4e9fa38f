// Dispatch seam for the random regularisers, dropout and Gaussian noise. Each
// reserves its draws from the global generator; backward reuses the same
// reservation, so the mask never has to be stored.
#include <sstream>

#include "cpu/random_ops.hpp"
#include "nn/autograd.hpp"
#include "nn/ops.hpp"
#include "nn/random.hpp"
#include "ops/checks.hpp"
#include "ops/dispatch.hpp"

namespace nn {
namespace {

std::string number_str(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

Tensor apply_dropout(const Tensor& x, double rate, RandomState rs) {
  Tensor out = empty(x.shape(), x.options());
  detail::on_backend(
      "dropout", out.device(), [&] { cpu::dropout(x, rate, rs, out); },
      [&](auto...) { cuda_backend::dropout(x, rate, rs, out); });
  return out;
}
}  // namespace

Tensor dropout(const Tensor& x, double rate, bool training) {
  detail::check_defined("dropout", x, "x");
  if (!(rate >= 0.0 && rate < 1.0))
    detail::fail("dropout", "rate " + number_str(rate) + " for input " + shape_str(x.shape()) +
                                " must be in [0, 1)");
  if (!training || rate == 0.0) return x;
  const RandomState rs = reserve_random(static_cast<std::uint64_t>(x.numel()));
  return record(apply_dropout(x, rate, rs), "dropout", {x},
                [rate, rs](const Tensor& g, const std::vector<bool>&) {
                  return std::vector<Tensor>{apply_dropout(g, rate, rs)};
                });
}

Tensor gaussian_noise(const Tensor& x, double stddev, bool training) {
  detail::check_defined("gaussian_noise", x, "x");
  if (!(stddev >= 0.0))
    detail::fail("gaussian_noise", "stddev " + number_str(stddev) + " for input " + shape_str(x.shape()) +
                                       " must be >= 0");
  if (!training || stddev == 0.0) return x;
  const RandomState rs = reserve_random(2 * static_cast<std::uint64_t>(x.numel()));
  Tensor out = empty(x.shape(), x.options());
  detail::on_backend(
      "gaussian_noise", out.device(), [&] { cpu::gaussian_noise(x, stddev, rs, out); },
      [&](auto...) { cuda_backend::gaussian_noise(x, stddev, rs, out); });
  return record(out, "gaussian_noise", {x},
                [](const Tensor& g, const std::vector<bool>&) { return std::vector<Tensor>{g}; });
}

}  // namespace nn
