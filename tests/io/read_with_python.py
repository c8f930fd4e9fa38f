#!/usr/bin/env python3
"""Reads a checkpoint written by libnn with the reference safetensors reader.

Run the Catch2 case that writes it, then this script on the same path:

    LIBNN_SAFETENSORS_OUT=/tmp/libnn_out.safetensors \
        build/tests/libnn_unit_tests "a file for outside readers (LIBNN_SAFETENSORS_OUT)"
    python3 tests/io/read_with_python.py /tmp/libnn_out.safetensors

Needs `pip install safetensors numpy`. The expected values are recomputed
here with the same formulas as tests/unit/safetensors_test.cpp.
"""
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def expected():
    grid = ((np.arange(24, dtype=np.float32) - np.float32(2.5)) / np.float32(4.0)).reshape(2, 3, 4)
    thirds = np.arange(5, dtype=np.float64) / 3.0
    step = np.array(1234.0, dtype=np.float64)
    return {"layer.weight": grid, "layer.bias": thirds, "step": step}


def main(path):
    tensors = load_file(path)
    with safe_open(path, framework="np") as f:
        metadata = f.metadata()
    failures = []
    want = expected()
    if sorted(tensors) != sorted(want):
        failures.append(f"names {sorted(tensors)} != {sorted(want)}")
    for name, ref in want.items():
        got = tensors.get(name)
        if got is None:
            continue
        if got.dtype != ref.dtype or got.shape != ref.shape:
            failures.append(f"{name}: {got.dtype} {got.shape} != {ref.dtype} {ref.shape}")
        elif got.tobytes() != ref.tobytes():
            failures.append(f"{name}: values differ: {got.ravel()[:6]} vs {ref.ravel()[:6]}")
    want_meta = {"writer": "libnn", "note": "caf\u00e9"}
    if metadata != want_meta:
        failures.append(f"metadata {metadata} != {want_meta}")
    for line in failures:
        print("FAIL", line)
    if not failures:
        print(f"OK: {len(tensors)} tensors and metadata read from {path} by safetensors")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_with_python.py FILE.safetensors")
    sys.exit(main(sys.argv[1]))
