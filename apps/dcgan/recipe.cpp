#include "dcgan/recipe.hpp"

namespace dcgan {

Recipe recipe_of(Architecture a) {
  switch (a) {
    case Architecture::radford64:
      return {.batch = 128, .epochs = 5, .lr = 2e-4, .beta1 = 0.5, .beta2 = 0.999,
              .adam_eps = 1e-8, .keras_adam = false, .real_target = 1.0, .g_target = 1.0,
              .z = LatentDistribution::normal};
    case Architecture::wlu128:
      return {.batch = 64, .epochs = 3, .lr = 1e-4, .beta1 = 0.9, .beta2 = 0.999,
              .adam_eps = 1e-7, .keras_adam = true, .real_target = 1.0, .g_target = 1.0,
              .z = LatentDistribution::normal};
    case Architecture::tutorial28:
      // TF's Adam adds its epsilon where Keras' does.
      return {.batch = 16, .epochs = 2, .lr = 2e-4, .beta1 = 0.5, .beta2 = 0.999,
              .adam_eps = 1e-8, .keras_adam = true, .real_target = 0.9, .g_target = 0.9,
              .z = LatentDistribution::uniform_pm1};
  }
  throw nn::Error("dcgan: unknown architecture");
}

}  // namespace dcgan
