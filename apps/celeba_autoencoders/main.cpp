// celeba_autoencoders: pretrains attribute encoders and trains four
// autoencoders on faces (docs/celeba_autoencoders.md), or samples, decodes,
// reconstructs and scores faces with one of their checkpoints.
#include "celeba_autoencoders/modes.hpp"

int main(int argc, char** argv) { return autoencoders::run_program(argc, argv); }
