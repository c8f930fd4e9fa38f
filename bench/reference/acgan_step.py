#!/usr/bin/env python3
"""The AE-AC-GAN training step of apps/acgan_celeba in PyTorch, for timing
side by side with bench/bench_acgan_step.cpp: the same layers, initialisation,
losses, optimisers and sub-step order, on random data at batch 64.

usage: acgan_step.py [--device cpu|cuda] [--batch 64] [--steps 10] [--warmup 1] [--fastest]
Prints one line: images/s.
"""
import argparse
import time

import torch
import torch.nn.functional as F

from acgan_models import ATTRIBUTES, LATENT, Discriminator, Encoder, Generator, bce
from libnn_defaults import match_libnn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    parser.add_argument("--fastest", action="store_true", help="fastest cuDNN algorithms, deterministic or not")
    args = parser.parse_args()
    match_libnn(args.threads, args.fastest)
    dev, n = torch.device(args.device), args.batch
    E, D, G = Encoder().to(dev), Discriminator().to(dev), Generator().to(dev)
    lr = 2e-4
    opt_d = torch.optim.Adam(D.parameters(), lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr, betas=(0.5, 0.999))
    opt_ae = torch.optim.Adam(list(E.parameters()) + list(G.parameters()), lr / 4, betas=(0.5, 0.999))
    images = torch.rand(n, 3, 64, 64, device=dev) * 2 - 1
    labels = (torch.rand(n, ATTRIBUTES, device=dev) < 0.3).float()

    def step():
        fake_y = (torch.rand(n, ATTRIBUTES, device=dev) < 0.3).float()
        with torch.no_grad():
            fakes = G(fake_y, torch.rand(n, LATENT, device=dev))
        opt_d.zero_grad()
        w_real, y_real = D(images)
        w_fake, y_fake = D(fakes)
        loss = bce(w_real, torch.full_like(w_real, 0.9)) + bce(w_fake, torch.zeros_like(w_fake)) + \
            bce(y_real, labels) + bce(y_fake, fake_y)
        loss.backward()
        opt_d.step()
        for p in D.parameters():
            p.requires_grad_(False)
        wanted = (torch.rand(n, ATTRIBUTES, device=dev) < 0.3).float()
        opt_g.zero_grad()
        w_gen, y_gen = D(G(wanted, torch.rand(n, LATENT, device=dev)))
        (bce(w_gen, torch.full_like(w_gen, 0.9)) + bce(y_gen, wanted)).backward()
        opt_g.step()
        for p in D.parameters():
            p.requires_grad_(True)
        opt_ae.zero_grad()
        code_y, code_z = E(images)
        F.l1_loss(G(code_y, code_z), images).backward()
        opt_ae.step()

    for _ in range(args.warmup):
        step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"pytorch {torch.__version__} {args.device} threads={torch.get_num_threads()} batch={n}"
          f"{' fastest' if args.fastest else ''}: "
          f"{args.steps * n / seconds:.1f} images/s ({seconds / args.steps * 1000:.1f} ms/step)")


if __name__ == "__main__":
    main()
