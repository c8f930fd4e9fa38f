#!/usr/bin/env python3
"""Checks bench/reference/step_flops.py's count on a made-up --summary text
of two networks, against the operations worked out by hand: a convolution
counts its weights times its output pixels, a transposed convolution its
weights times its input pixels (the previous layer's output), a dense layer
its weights, each multiply-add twice; other layers count nothing.

usage: step_flops_test.py STEP_FLOPS_PY
"""
import importlib.util
import sys

SUMMARY = """Generator
------------------------------------------------------------------------------
Layer (type)                      Output shape                         Param #
------------------------------------------------------------------------------
body.0 (Dense)                    [N, 512]                               5120
body.1 (Reshape)                  [N, 32, 4, 4]                              0
body.2 (BatchNorm2d)              [N, 32, 4, 4]                            128
body.3 (ConvTranspose2d)          [N, 16, 8, 8]                           8208
body.4 (Tanh)                     [N, 16, 8, 8]                              0
------------------------------------------------------------------------------
Total params: 13456
Non-trainable params: 64
------------------------------------------------------------------------------

Discriminator
------------------------------------------------------------------------------
Layer (type)                      Output shape                         Param #
------------------------------------------------------------------------------
body.0 (Conv2d)                   [N, 8, 16, 16]                          224
body.1 (LeakyReLU)                [N, 8, 16, 16]                             0
body.2 (Flatten)                  [N, 2048]                                  0
body.3 (Dense)                    [N, 1]                                  2049
------------------------------------------------------------------------------
Total params: 2273
"""


def main():
    spec = importlib.util.spec_from_file_location("step_flops", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    got = module.forward_flops(SUMMARY)
    expected = {
        # Dense 5120 + transposed convolution 8208 weights over the 4x4 input.
        "Generator": 2 * 5120 + 2 * 8208 * 4 * 4,
        # Convolution 224 weights over the 16x16 output + Dense 2049.
        "Discriminator": 2 * 224 * 16 * 16 + 2 * 2049,
    }
    if got != expected:
        raise SystemExit(f"step_flops_test: counted {got}, expected {expected}")
    print("step_flops_test: both networks counted as by hand")


if __name__ == "__main__":
    main()
