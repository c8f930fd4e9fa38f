#!/usr/bin/env python3
"""The training step of apps/celeba_autoencoders in PyTorch, for timing side
by side with bench/bench_autoencoder_step.cpp: the same models and
initialisation (autoencoder_models.py), loss and optimiser, on random data.
One step: Adam (PyTorch's defaults but the rate) on mean BCE with logits of
the 40 attributes for an encoder, of every pixel and channel against the input
for an autoencoder; model3's encoder is frozen and Adam holds only its decoder;
the loss is read back once.

usage: autoencoder_step.py [--model model1] [--device cpu|cuda] [--batch 128] [--lr 1e-3]
                           [--steps 3] [--warmup 1] [--threads N]
Prints one line: images/s.
"""
import argparse
import time

import torch
import torch.nn.functional as F

from autoencoder_models import ATTRIBUTES, CHANNELS, ENCODERS, IMAGE_SIZE, build
from libnn_defaults import match_libnn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="model1", choices=sorted(IMAGE_SIZE))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    args = parser.parse_args()
    match_libnn(args.threads)
    dev, n, s = torch.device(args.device), args.batch, IMAGE_SIZE[args.model]
    model = build(args.model).to(dev)
    if args.model == "model3":
        model.encoder.requires_grad_(False)
        trained = model.decoder.parameters()
    else:
        trained = model.parameters()
    optimizer = torch.optim.Adam(trained, args.lr)
    images = torch.rand(n, CHANNELS, s, s, device=dev)
    labels = (torch.arange(n * ATTRIBUTES, device=dev).reshape(n, ATTRIBUTES) % 3 == 0).float()

    def step():
        optimizer.zero_grad()
        if args.model in ENCODERS:
            loss = F.binary_cross_entropy_with_logits(model(images), labels)
        else:
            loss = F.binary_cross_entropy_with_logits(model(images), images)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    print(f"pytorch {torch.__version__} {args.model} {args.device} threads={torch.get_num_threads()} batch={n}: "
          f"{args.steps * n / seconds:.1f} images/s ({seconds / args.steps * 1000:.1f} ms/step)")


if __name__ == "__main__":
    main()
