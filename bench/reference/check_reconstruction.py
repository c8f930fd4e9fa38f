#!/usr/bin/env python3
"""Checks that PyTorch's E and G compute what libnn's do on the same weights:
writes the first --count images of an image cache as 64x64 PNG files, has
`acgan_celeba --reconstruct CKPT` turn them into its sheet (originals above
their reconstructions G(E(x)), 8-bit), computes G(E(x)) of the same pixels
with acgan_models in PyTorch, and compares pixel levels. G is the
checkpoint's running average of G's weights (G_average.*) where it has one,
as the app's modes use it, else G.

usage: check_reconstruction.py --app build/apps/acgan_celeba/acgan_celeba
         --checkpoint CKPT --cache-file CACHE [--count 8] [--dtype f32|f64]
Prints how many levels differ, the largest difference, and for each differing
level how far PyTorch's unrounded level lies from the rounding boundary
(a disagreement at a boundary means a difference far below one level).
Exits 1 when a level differs by more than one or the originals do not match.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

from acgan_models import Encoder, Generator
from libnn_files import pixel_values, read_image_cache, read_safetensors
from png_files import read_png, write_png

SIZE, MARGIN = 64, 2


def load(model, prefix, tensors, dtype):
    model.load_state_dict({k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)})
    return model.to(dtype).eval()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--cache-file", required=True)
    parser.add_argument("--count", type=int, default=8, help="images, 1 to 8 (one row of the sheet)")
    parser.add_argument("--dtype", choices=("f32", "f64"), default="f32")
    args = parser.parse_args()
    if not 1 <= args.count <= 8:
        parser.error("--count must be 1 to 8")
    images_u8, _, _ = read_image_cache(args.cache_file)
    images_u8 = images_u8[:args.count]
    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for i, image in enumerate(images_u8):
            paths.append(os.path.join(scratch, f"face_{i}.png"))
            write_png(paths[-1], np.ascontiguousarray(image.transpose(1, 2, 0)))
        subprocess.run([args.app, "--reconstruct", args.checkpoint, "--images", ",".join(paths), "--out", scratch,
                        "--device", "cpu"], check=True, stdout=subprocess.DEVNULL)
        sheet = read_png(os.path.join(scratch, "reconstructed.png"))
    # The sheet is a grid of min(8, 2n) columns over the n originals, then their n reconstructions.
    n = len(images_u8)
    columns = min(8, 2 * n)
    cells = []
    for i in range(2 * n):
        top, left = (i // columns) * (SIZE + MARGIN), (i % columns) * (SIZE + MARGIN)
        cells.append(sheet[top:top + SIZE, left:left + SIZE])
    cells = [cells[:n], cells[n:]]
    libnn_originals = np.stack(cells[0]).transpose(0, 3, 1, 2)
    libnn_levels = torch.from_numpy(np.stack(cells[1]).transpose(0, 3, 1, 2).astype(np.int64))

    dtype = torch.float64 if args.dtype == "f64" else torch.float32
    tensors, _ = read_safetensors(args.checkpoint)
    g_prefix = "G_average." if any(k.startswith("G_average.") for k in tensors) else "G."
    encoder, generator = load(Encoder(), "E.", tensors, dtype), load(Generator(), g_prefix, tensors, dtype)
    x = pixel_values(-1.0, 1.0, dtype)[torch.from_numpy(images_u8.astype(np.int64))]
    with torch.no_grad():
        out = generator(*encoder(x)).double()
    # libnn's pixel_level: (v - low) / (high - low) * 255, clamped, + 0.5, truncated.
    unrounded = ((out + 1.0) / 2.0 * 255.0).clamp(0.0, 255.0)
    torch_levels = torch.floor(unrounded + 0.5).clamp(max=255).long()
    differ = torch_levels != libnn_levels
    originals_match = np.array_equal(libnn_originals, images_u8)
    largest = (torch_levels - libnn_levels).abs().max().item()
    boundary = (unrounded[differ] - torch.floor(unrounded[differ]) - 0.5).abs()
    originals = "match" if originals_match else "DIFFER"
    print(f"check_reconstruction: {n} images, PyTorch {args.dtype}: originals {originals}; reconstruction levels "
          f"{int(torch_levels.min())}..{int(torch_levels.max())} (std {torch_levels.double().std().item():.1f}); "
          f"{int(differ.sum())} of {differ.numel()} differ, by at most {largest}"
          + (f"; those lie within {boundary.max().item():.2e} levels of a rounding boundary" if differ.any() else ""))
    sys.exit(0 if originals_match and largest <= 1 else 1)


if __name__ == "__main__":
    main()
