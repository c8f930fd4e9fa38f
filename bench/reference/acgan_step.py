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
import torch.nn as nn
import torch.nn.functional as F

from libnn_defaults import match_libnn

ATTRIBUTES, LATENT = 40, 200


def conv(cin, cout, k, stride):
    # Keras `same` at stride 2 with a 4x4 kernel on even sizes pads 1 per side.
    layer = nn.Conv2d(cin, cout, k, stride=stride, padding=1 if stride == 2 else 0)
    nn.init.normal_(layer.weight, 0.0, 0.01)
    nn.init.zeros_(layer.bias)
    return layer


def dense(cin, cout):
    layer = nn.Linear(cin, cout)
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def deconv(cin, cout):
    layer = nn.ConvTranspose2d(cin, cout, 4, stride=2, padding=1)
    nn.init.normal_(layer.weight, 0.0, 0.01)
    nn.init.zeros_(layer.bias)
    return layer


def trunk():
    return nn.Sequential(conv(3, 32, 4, 2), nn.LeakyReLU(0.3), conv(32, 64, 4, 2), nn.LeakyReLU(0.3),
                         conv(64, 128, 4, 2), nn.LeakyReLU(0.3), nn.Flatten(), dense(8192, 128), nn.LeakyReLU(0.3))


class TwoHeads(nn.Module):
    def __init__(self, first, second):
        super().__init__()
        self.trunk, self.first, self.second = trunk(), dense(128, first), dense(128, second)

    def forward(self, x):
        h = self.trunk(x)
        return torch.sigmoid(self.first(h)), torch.sigmoid(self.second(h))


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = dense(ATTRIBUTES + LATENT, 8192)
        self.body = nn.Sequential(deconv(128, 128), nn.LeakyReLU(0.3), deconv(128, 64), nn.LeakyReLU(0.3),
                                  deconv(64, 32), nn.LeakyReLU(0.3))
        self.out = conv(32, 3, 8, 1)

    def forward(self, y, z):
        h = F.leaky_relu(self.dense(torch.cat([y, z], 1)), 0.3).view(-1, 128, 8, 8)
        # Keras `same` for an 8x8 kernel at stride 1 pads 3 before and 4 after.
        return torch.tanh(self.out(F.pad(self.body(h), (3, 4, 3, 4))))


def bce(p, t):
    p = p.clamp(1e-7, 1 - 1e-7)
    return -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()


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
    E, D, G = TwoHeads(ATTRIBUTES, LATENT).to(dev), TwoHeads(1, ATTRIBUTES).to(dev), Generator().to(dev)
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
