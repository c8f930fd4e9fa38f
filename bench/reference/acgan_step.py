#!/usr/bin/env python3
"""The AE-AC-GAN training step of apps/acgan_celeba in PyTorch, for timing
side by side with bench/bench_acgan_step.cpp: the same layers, initialisation,
losses, optimisers and sub-step order, on random data.

Timing, as bench_acgan_step does it: wall-clock time over --steps steps after
--warmup steps, between two device synchronisations.

usage: acgan_step.py [--device cpu|cuda] [--batch 64] [--steps 10] [--warmup 1] [--threads N]
                     [--fastest] [--compile none|max-autotune|reduce-overhead]
                     [--precision fp32|tf32|bf16]
  --compile    torch.compile of E, D and G in that mode (meant for CUDA); where
               this PyTorch has no torch.compile the run prints that it is
               skipped and exits with status 0, printing no images/s
  --precision  fp32: exact FP32 (the default, as libnn); tf32: TF32 tensor-core
               math for matrix products and convolutions (CUDA only); bf16: the
               forward passes under torch.autocast to bfloat16, FP32 weights,
               losses on FP32 outputs
Prints one line: images/s.
"""
import argparse
import contextlib
import sys
import time

import torch
import torch.nn.functional as F

from acgan_models import ATTRIBUTES, LATENT, Discriminator, Encoder, Generator, bce
from libnn_defaults import match_libnn

COMPILE_MODES = ("none", "max-autotune", "reduce-overhead")
PRECISIONS = ("fp32", "tf32", "bf16")


def compiled(modules, mode):
    """The modules under torch.compile in `mode`, as they are for "none"."""
    return modules if mode == "none" else [torch.compile(m, mode=mode) for m in modules]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    parser.add_argument("--fastest", action="store_true", help="fastest cuDNN algorithms, deterministic or not")
    parser.add_argument("--compile", default="none", choices=COMPILE_MODES, help="torch.compile mode of the models")
    parser.add_argument("--precision", default="fp32", choices=PRECISIONS)
    args = parser.parse_args()
    dev, n = torch.device(args.device), args.batch
    if args.precision == "tf32" and dev.type != "cuda":
        parser.error("--precision tf32 needs --device cuda")
    if args.compile != "none" and not hasattr(torch, "compile"):
        print(f"pytorch {torch.__version__}: torch.compile is not available, --compile {args.compile} skipped")
        sys.exit(0)
    match_libnn(args.threads, args.fastest)
    if args.precision == "tf32":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    E, D, G = Encoder().to(dev), Discriminator().to(dev), Generator().to(dev)
    lr = 2e-4
    opt_d = torch.optim.Adam(D.parameters(), lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr, betas=(0.5, 0.999))
    opt_ae = torch.optim.Adam(list(E.parameters()) + list(G.parameters()), lr / 4, betas=(0.5, 0.999))
    E, D, G = compiled([E, D, G], args.compile)
    images = torch.rand(n, 3, 64, 64, device=dev) * 2 - 1
    labels = (torch.rand(n, ATTRIBUTES, device=dev) < 0.3).float()

    def autocast():
        if args.precision == "bf16":
            return torch.autocast(device_type=dev.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    # CUDA graphs (reduce-overhead) are told where a step begins, so outputs
    # of the previous step's replays may be overwritten.
    mark_step = getattr(getattr(torch, "compiler", None), "cudagraph_mark_step_begin", None)
    if args.compile != "reduce-overhead":
        mark_step = None

    def step():
        if mark_step:
            mark_step()
        fake_y = (torch.rand(n, ATTRIBUTES, device=dev) < 0.3).float()
        with torch.no_grad(), autocast():
            fakes = G(fake_y, torch.rand(n, LATENT, device=dev))
        opt_d.zero_grad()
        with autocast():
            w_real, y_real = D(images)
            w_fake, y_fake = D(fakes)
        w_real, y_real, w_fake, y_fake = w_real.float(), y_real.float(), w_fake.float(), y_fake.float()
        loss = bce(w_real, torch.full_like(w_real, 0.9)) + bce(w_fake, torch.zeros_like(w_fake)) + \
            bce(y_real, labels) + bce(y_fake, fake_y)
        loss.backward()
        opt_d.step()
        for p in D.parameters():
            p.requires_grad_(False)
        wanted = (torch.rand(n, ATTRIBUTES, device=dev) < 0.3).float()
        opt_g.zero_grad()
        with autocast():
            w_gen, y_gen = D(G(wanted, torch.rand(n, LATENT, device=dev)))
        w_gen, y_gen = w_gen.float(), y_gen.float()
        (bce(w_gen, torch.full_like(w_gen, 0.9)) + bce(y_gen, wanted)).backward()
        opt_g.step()
        for p in D.parameters():
            p.requires_grad_(True)
        opt_ae.zero_grad()
        with autocast():
            code_y, code_z = E(images)
            reconstruction = G(code_y, code_z)
        F.l1_loss(reconstruction.float(), images).backward()
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
    settings = (" fastest" if args.fastest else "") + \
        (f" compile={args.compile}" if args.compile != "none" else "") + f" {args.precision}"
    print(f"pytorch {torch.__version__} {args.device} threads={torch.get_num_threads()} batch={n}{settings}: "
          f"{args.steps * n / seconds:.1f} images/s ({seconds / args.steps * 1000:.1f} ms/step)")


if __name__ == "__main__":
    main()
