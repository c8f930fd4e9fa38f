#pragma once
// Gradient checking by central differences over the full Jacobian, with
// PyTorch gradcheck's default tolerances. Every input that requires grad is
// checked; the function is re-run from a fixed random state before every
// evaluation so random ops (dropout, noise) see the same draws each time.
// Backward must accumulate: each checked input's gradient is pre-filled with
// a sentinel that has to survive, and every allocation is poisoned with NaN
// so unwritten outputs show.
//
// The inputs are CPU f64 tensors. With a CUDA `device` in the options, f runs
// on copies of them on that device (new leaves with the same requires_grad),
// and the numeric derivatives perturb those copies.
#include <functional>
#include <vector>

#include <nn/nn.hpp>

namespace nn::testing {

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  std::uint64_t seed = 1234;
  Device device = Device::cpu();
};

using TensorFn = std::function<Tensor(const std::vector<Tensor>&)>;

// Runs the check inside the current Catch2 test case (REQUIRE on failure).
void gradcheck(const TensorFn& f, const std::vector<Tensor>& inputs, GradcheckOptions options = {});

// A random f64 leaf in [low, high) that requires grad.
Tensor random_input(const Shape& shape, double low = -1.0, double high = 1.0);
// Like random_input, but every |value| >= margin, away from kinks at zero.
Tensor random_input_away_from_zero(const Shape& shape, double margin = 0.05);

}  // namespace nn::testing
