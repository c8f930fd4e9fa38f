// acgan_celeba: trains the auto-encoder + auxiliary-classifier GAN described
// in docs/acgan_celeba.md, or generates and reconstructs faces from one of its checkpoints.
#include <iostream>

#include "acgan_celeba/config.hpp"
#include "acgan_celeba/modes.hpp"

int main(int argc, char** argv) try {
  acgan::Config config;
  if (!acgan::parse_config(argc, argv, config)) return 0;
  if (config.summary) return acgan::summary_mode(config);
  if (!config.generate.empty()) return acgan::generate_mode(config);
  if (!config.reconstruct.empty()) return acgan::reconstruct_mode(config);
  return acgan::train_mode(config);
} catch (const std::exception& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
