#!/usr/bin/env python3
"""Floating-point work of one training step of each benchmarked model, per
image, counted from the layer tables the apps print with --summary, so that
a step's images/s can be read as GFLOP/s and set against what the machine's
cores can do (bench_fma_peak).

Counted: the multiply-adds of convolutions, transposed convolutions and dense
layers, two operations each (the rest of a step, activations, batch norm,
losses and Adam, is a few percent). Per image and forward pass: Conv2d
2 x weights x output pixels, ConvTranspose2d 2 x weights x input pixels,
Dense 2 x weights, weights taken as the layer's parameter count (its bias,
under 1% of it, included). A backward pass through a trained network is
twice its forward (input and weight gradients), through a frozen one once
(input gradients only). The steps, as bench/ times them:

  acgan      G makes the fakes (forward only); D forward and backward on the
             real and the fake batch; G forward and backward through the
             frozen D; the autoencoder G(E(x)) forward and backward:
             7 G + 8 D + 3 E
  dcgan      G forward; D forward and backward on real and fake; G backward
             through the frozen D on the same fakes: 3 G + 8 D
  autoencoder forward and backward through the whole model: 3 M

usage: step_flops.py [--build build] [--rate NAME=IMAGES_PER_S ...]
Prints GFLOP per image for each step and, for each --rate, the GFLOP/s that
rate means.
"""
import argparse
import os
import re
import subprocess

ROW = re.compile(r"^\S+ \((\w+)\)\s+\[N, ([\d, ]+)\]\s+(\d+)$")

STEPS = {
    # name: (app, arguments, {network: passes})
    "acgan batch 64": ("acgan_celeba/acgan_celeba", [], {"Generator": 7, "Discriminator": 8, "Encoder": 3}),
    "radford64 batch 128": ("dcgan/dcgan", ["--arch", "radford64"], {"Generator": 3, "Discriminator": 8}),
    "wlu128 batch 64": ("dcgan/dcgan", ["--arch", "wlu128"], {"Generator": 3, "Discriminator": 8}),
    "model1 batch 128": ("celeba_autoencoders/celeba_autoencoders", ["--model", "model1"], {"Autoencoder": 3}),
    "model4 batch 128": ("celeba_autoencoders/celeba_autoencoders", ["--model", "model4"], {"Autoencoder": 3}),
}


def forward_flops(summary):
    """Forward multiply-add operations per image of each network in a --summary text."""
    networks, name, previous_pixels = {}, None, None
    lines = summary.splitlines()
    for i, line in enumerate(lines):
        match = ROW.match(line)
        if not match:
            # A network's name is the line above its table's first rule.
            heading = i + 1 < len(lines) and lines[i + 1].startswith("---")
            if heading and line.strip() and ":" not in line and not line.startswith(("---", "Layer")):
                name, previous_pixels = line.strip(), None
                networks[name] = 0
            continue
        if name is None:
            continue
        kind, shape, params = match.group(1), [int(v) for v in match.group(2).split(",")], int(match.group(3))
        pixels = shape[1] * shape[2] if len(shape) == 3 else 1
        if kind == "Conv2d":
            networks[name] += 2 * params * pixels
        elif kind == "ConvTranspose2d":
            networks[name] += 2 * params * previous_pixels
        elif kind == "Dense":
            networks[name] += 2 * params
        previous_pixels = pixels
    return networks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build", help="the CMake build folder holding apps/")
    parser.add_argument("--rate", action="append", default=[], metavar="NAME=IMAGES_PER_S",
                        help="a measured rate of a step, e.g. 'acgan batch 64=56.2'")
    args = parser.parse_args()
    rates = dict((k, float(v)) for k, v in (r.rsplit("=", 1) for r in args.rate))
    print(f"{'step':22s} {'forward GFLOP per image, by network':48s} {'step GFLOP per image':>20s}")
    for step, (app, app_args, passes) in STEPS.items():
        summary = subprocess.run([os.path.join(args.build, "apps", app), *app_args, "--summary"], check=True,
                                 capture_output=True, text=True).stdout
        networks = forward_flops(summary)
        missing = set(passes) - set(networks)
        if missing:
            raise SystemExit(f"step_flops: {app} --summary lacks {sorted(missing)}")
        total = sum(networks[n] * count for n, count in passes.items())
        parts = ", ".join(f"{n} {networks[n] / 1e9:.3f}" for n in passes)
        line = f"{step:22s} {parts:48s} {total / 1e9:20.3f}"
        if step in rates:
            line += f"   {rates[step]:g} images/s = {rates[step] * total / 1e9:.1f} GFLOP/s"
        print(line)


if __name__ == "__main__":
    main()
