#pragma once
// The training settings each architecture's source uses.
#include <cstdint>

#include "dcgan/models.hpp"

namespace dcgan {

enum class LatentDistribution { normal, uniform_pm1 };  // N(0, 1) or U[-1, 1]

struct Recipe {
  std::int64_t batch;
  int epochs;
  double lr, beta1, beta2, adam_eps;
  bool keras_adam;  // eps added to the uncorrected sqrt(v), as Keras and TF place it
  double real_target, g_target;  // BCE targets of real images in D's step and of fakes in G's step
  LatentDistribution z;
};

//  radford64   batch 128, 5 epochs, Adam 2e-4 (0.5, 0.999, eps 1e-8, PyTorch's), targets 1, z ~ N(0, 1)
//  wlu128      batch 64, 3 epochs, Adam 1e-4 (0.9, 0.999, eps 1e-7, Keras'), targets 1, z ~ N(0, 1)
//  tutorial28  batch 16, 2 epochs, Adam 2e-4 (0.5, 0.999, eps 1e-8, TF's), targets 0.9, z ~ U[-1, 1]
Recipe recipe_of(Architecture a);

}  // namespace dcgan
