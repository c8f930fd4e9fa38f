// dcgan: trains one of three DCGANs (docs/dcgan.md) on faces or
// Fashion-MNIST, or draws and scores images from one of its checkpoints.
#include "dcgan/modes.hpp"

int main(int argc, char** argv) { return dcgan::run_program(argc, argv); }
