#!/usr/bin/env python3
"""Runs one of the compare_*_step.sh comparisons several times in a row and
reports the ratio of every round and their median: on a shared 2-core
machine one round's images/s can move by 10% or more on either side, so a
single round's ratio says little.

Each round's output gives libnn's default figure (the first benchmark row
with an images/s counter: `cpu`, not `cpu_direct`) and PyTorch's figures
(`pytorch ...: X images/s` lines), of which the round keeps the faster
thread setting, as the comparison scripts do. The command must time one
model (one ARCH, one autoencoder model).

usage: compare_rounds.py ROUNDS COMMAND [ARG ...]
  e.g. compare_rounds.py 5 bench/reference/compare_dcgan_step.sh build cpu radford64
"""
import re
import statistics
import subprocess
import sys

LIBNN = re.compile(r"images/s=([0-9.]+)([kM]?)/s")
PYTORCH = re.compile(r"^pytorch .*: ([0-9.]+) images/s")
SCALE = {"": 1.0, "k": 1e3, "M": 1e6}


def one_round(command):
    """libnn's default images/s and PyTorch's best images/s of one run of the command."""
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    libnn, pytorch = None, []
    for line in output.splitlines():
        match = LIBNN.search(line)
        if match and libnn is None:
            libnn = float(match.group(1)) * SCALE[match.group(2)]
        match = PYTORCH.match(line)
        if match:
            pytorch.append(float(match.group(1)))
    if libnn is None or not pytorch:
        sys.exit(f"compare_rounds: no libnn or no PyTorch figure in the output of {' '.join(command)}")
    return libnn, max(pytorch)


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit(__doc__.split("\n\n")[-1])
    rounds, command = int(sys.argv[1]), sys.argv[2:]
    libnn, pytorch, ratios = [], [], []
    for r in range(rounds):
        a, b = one_round(command)
        libnn.append(a)
        pytorch.append(b)
        ratios.append(a / b)
        print(f"round {r + 1}: libnn {a:.1f} images/s, pytorch (its faster setting) {b:.1f}, ratio {a / b:.2f}",
              flush=True)
    print(f"median of {rounds}: libnn {statistics.median(libnn):.1f} images/s, "
          f"pytorch {statistics.median(pytorch):.1f}, ratio {statistics.median(ratios):.2f} "
          f"(rounds {min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
