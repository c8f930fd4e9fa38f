// acgan_celeba: trains the auto-encoder + auxiliary-classifier GAN described
// in docs/acgan_celeba.md, or generates and reconstructs faces from one of its checkpoints.
#include "acgan_celeba/modes.hpp"

int main(int argc, char** argv) { return acgan::run_program(argc, argv); }
