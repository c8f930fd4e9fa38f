#!/usr/bin/env python3
"""The DCGAN training step of apps/dcgan in PyTorch, for timing side by side
with bench/bench_dcgan_step.cpp: the same models, initialisation, losses,
optimiser settings and order, on random data at the architecture's batch size.
One step: z is drawn, G makes fakes; D takes one Adam step on BCE(D(x),
real_target) + BCE(D(fakes detached), 0); G takes one Adam step on
BCE(D(fakes), g_target) through the updated D, frozen; the five figures are
read back once. (torch.optim.Adam adds eps PyTorch's way for every recipe,
which changes no timing.)

usage: dcgan_step.py [--arch radford64|wlu128|tutorial28] [--device cpu|cuda] [--batch N]
                     [--steps 3] [--warmup 1] [--threads N]
Prints one line: images/s.
"""
import argparse
import time

import torch
import torch.nn.functional as F

from dcgan_models import IMAGE_SIZE, LATENT, Discriminator, Generator
from libnn_defaults import match_libnn

# batch, lr, beta1, beta2, eps, real target, G target, z distribution
RECIPES = {
    "radford64": (128, 2e-4, 0.5, 0.999, 1e-8, 1.0, 1.0, "normal"),
    "wlu128": (64, 1e-4, 0.9, 0.999, 1e-7, 1.0, 1.0, "normal"),
    "tutorial28": (16, 2e-4, 0.5, 0.999, 1e-8, 0.9, 0.9, "uniform"),
}
CHANNELS = 3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="radford64", choices=sorted(RECIPES))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch", type=int, default=0, help="0: the recipe's")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    args = parser.parse_args()
    match_libnn(args.threads)
    batch, lr, beta1, beta2, eps, real_target, g_target, z_dist = RECIPES[args.arch]
    dev, n, s = torch.device(args.device), args.batch or batch, IMAGE_SIZE[args.arch]
    G, D = Generator(args.arch, CHANNELS).to(dev), Discriminator(args.arch, CHANNELS).to(dev)
    opt_d = torch.optim.Adam(D.parameters(), lr, betas=(beta1, beta2), eps=eps)
    opt_g = torch.optim.Adam(G.parameters(), lr, betas=(beta1, beta2), eps=eps)
    real = torch.rand(n, CHANNELS, s, s, device=dev) * 2 - 1
    real_targets = torch.full((n, 1), real_target, device=dev)
    fake_targets = torch.zeros(n, 1, device=dev)
    g_targets = torch.full((n, 1), g_target, device=dev)

    def sample_z():
        if z_dist == "normal":
            return torch.randn(n, LATENT, device=dev)
        return torch.rand(n, LATENT, device=dev) * 2 - 1

    def step():
        fakes = G(sample_z())
        opt_d.zero_grad()
        real_logits = D(real)
        fake_logits = D(fakes.detach())
        d_loss = F.binary_cross_entropy_with_logits(real_logits, real_targets) + \
            F.binary_cross_entropy_with_logits(fake_logits, fake_targets)
        d_loss.backward()
        opt_d.step()
        for p in D.parameters():
            p.requires_grad_(False)
        opt_g.zero_grad()
        after_logits = D(fakes)
        g_loss = F.binary_cross_entropy_with_logits(after_logits, g_targets)
        g_loss.backward()
        for p in D.parameters():
            p.requires_grad_(True)
        opt_g.step()
        with torch.no_grad():
            return torch.stack([d_loss, g_loss, torch.sigmoid(real_logits).mean(), torch.sigmoid(fake_logits).mean(),
                                torch.sigmoid(after_logits).mean()]).tolist()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    print(f"pytorch {torch.__version__} {args.arch} {args.device} threads={torch.get_num_threads()} batch={n}: "
          f"{args.steps * n / seconds:.1f} images/s ({seconds / args.steps * 1000:.1f} ms/step)")


if __name__ == "__main__":
    main()
