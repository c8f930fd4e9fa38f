#!/usr/bin/env python3
"""The op set of bench/bench_ops.cpp in PyTorch, under the same names
(<op>_<shape>/<pass>/<device>/<dtype>), shapes, passes and figures: FLOP/s for
convolutions and matrix products, bytes/s (each input read once, each output
written once) for the memory-bound ops.

fwd runs the op on inputs that need no gradient; bwd replays the backward pass
of one recorded forward (retain_graph) after dropping the leaves' gradients.
On the CPU a call is timed by the wall clock; on CUDA by a pair of CUDA events
around it, recorded on an idle GPU (synchronised before each call), so a call
counts its launch cost and its GPU time, as bench_ops' synchronised wall time
does.

usage: ops.py [--device cpu|cuda] [--filter REGEX] [--min-time 0.2] [--threads N]
              [--libnn BENCH_OPS_JSON]
Prints one line per benchmark: time per call and its rate. With --libnn (the
--benchmark_out JSON of bench_ops) libnn's figures are printed beside them.
"""
import argparse
import json
import re
import time

import torch
import torch.nn.functional as F

from libnn_defaults import match_libnn

BATCH = 64
DTYPES = {"f32": torch.float32, "f64": torch.float64}


class Case:
    """One benchmark's op: `leaves` get gradients in the bwd pass; work is
    (flops, bytes) per call of each pass."""

    def __init__(self, leaves, run, forward, backward=(0, 0)):
        self.leaves, self.run, self.forward, self.backward = leaves, run, forward, backward


class Maker:
    def __init__(self, device, dtype):
        self.device, self.dtype = device, dtype

    def uniform(self, shape, low=-1.0, high=1.0):
        return torch.empty(shape, dtype=self.dtype).uniform_(low, high).to(self.device)

    def nbytes(self, shape):
        return torch.Size(shape).numel() * torch.tensor([], dtype=self.dtype).element_size()


def conv_flops(out_h, out_w, out_c, in_c, k):
    return 2.0 * BATCH * out_h * out_w * out_c * in_c * k * k


def conv2d(c, o, hw, k, stride):
    def make(m):
        x, w, b = m.uniform((BATCH, c, hw, hw)), m.uniform((o, c, k, k)), m.uniform((o,))
        # Keras `same` on even sizes pads max(k - stride, 0) in all, the odd one
        # out at the bottom/right, which only an explicit F.pad can express.
        total = max(k - stride, 0)
        pads = (total // 2, total - total // 2) * 2

        def run():
            if total % 2 == 0:
                return F.conv2d(x, w, b, stride=stride, padding=total // 2)
            return F.conv2d(F.pad(x, pads), w, b, stride=stride)
        flops = conv_flops(hw // stride, hw // stride, o, c, k)
        return Case([x, w, b], run, (flops, 0), (2 * flops, 0))
    return make


def conv_transpose2d(c, o, hw):
    def make(m):
        x, w, b = m.uniform((BATCH, c, hw, hw)), m.uniform((c, o, 4, 4)), m.uniform((o,))
        flops = conv_flops(hw, hw, c, o, 4)
        return Case([x, w, b], lambda: F.conv_transpose2d(x, w, b, stride=2, padding=1), (flops, 0), (2 * flops, 0))
    return make


def linear(n_in, n_out):
    def make(m):
        x, w, b = m.uniform((BATCH, n_in)), m.uniform((n_out, n_in)), m.uniform((n_out,))
        flops = 2.0 * BATCH * n_in * n_out
        return Case([x, w, b], lambda: F.linear(x, w, b), (flops, 0), (2 * flops, 0))
    return make


def matmul(k, n):
    def make(m):
        a, b = m.uniform((BATCH, k)), m.uniform((k, n))
        flops = 2.0 * BATCH * k * n
        return Case([a, b], lambda: a @ b, (flops, 0), (2 * flops, 0))
    return make


def batch_norm(shape):
    def make(m):
        c = shape[1]
        x, weight, bias = m.uniform(shape), m.uniform((c,)), m.uniform((c,))
        mean, var = m.uniform((c,)), m.uniform((c,), 0.5, 1.5)
        n = m.nbytes(shape)
        return Case([x, weight, bias], lambda: F.batch_norm(x, mean, var, weight, bias, training=True),
                    (0, 2 * n), (0, 3 * n))
    return make


def max_pool2d(shape):
    def make(m):
        x = m.uniform(shape)
        n = m.nbytes(shape) * 1.25  # the input and its quarter-size output
        return Case([x], lambda: F.max_pool2d(x, 2, 2), (0, n), (0, n))
    return make


def unary(shape, op):
    def make(m):
        x = m.uniform(shape)
        n = m.nbytes(shape)
        return Case([x], lambda: op(x), (0, 2 * n), (0, 3 * n))
    return make


def loss(shape, op, low, high):
    def make(m):
        pred, target = m.uniform(shape, low, high), m.uniform(shape, 0.0, 1.0)
        n = m.nbytes(shape)
        return Case([pred], lambda: op(pred, target), (0, 2 * n), (0, 3 * n))
    return make


def cross_entropy(classes):
    def make(m):
        logits = m.uniform((BATCH, classes), -3.0, 3.0)
        target = torch.arange(BATCH, device=logits.device) % classes
        n = m.nbytes((BATCH, classes))
        return Case([logits], lambda: F.cross_entropy(logits, target), (0, n), (0, 2 * n))
    return make


def concat(shape):
    def make(m):
        a, b = m.uniform(shape), m.uniform(shape)
        n = m.nbytes(shape)
        return Case([a, b], lambda: torch.cat([a, b], 1), (0, 4 * n), (0, 4 * n))
    return make


def adam():
    shapes = [(32, 3, 4, 4), (32,), (64, 32, 4, 4), (64,), (128, 64, 4, 4), (128,),
              (128, 8192), (128,), (1, 128), (1,), (40, 128), (40,)]

    def make(m):
        params = [m.uniform(s) for s in shapes]
        for p in params:
            p.grad = m.uniform(p.shape)
        optimizer = torch.optim.Adam(params, lr=2e-4, betas=(0.5, 0.999))
        # Reads parameter, gradient and both moments; writes parameter and moments.
        return Case([], optimizer.step, (0, 7 * sum(m.nbytes(s) for s in shapes)))
    return make


ACTIVATIONS = (BATCH, 32, 64, 64)  # the last ConvTranspose's output
IMAGES = (BATCH, 3, 64, 64)
LABELS = (BATCH, 40)

# (name, factory, has a bwd pass, also in f64, name of the forward pass)
SPECS = [
    ("conv2d_3to32_64x64_k4s2", conv2d(3, 32, 64, 4, 2), True, False, "fwd"),
    ("conv2d_32to64_32x32_k4s2", conv2d(32, 64, 32, 4, 2), True, True, "fwd"),
    ("conv2d_64to128_16x16_k4s2", conv2d(64, 128, 16, 4, 2), True, False, "fwd"),
    ("conv2d_32to3_64x64_k8s1", conv2d(32, 3, 64, 8, 1), True, False, "fwd"),
    ("conv_transpose2d_128to128_8x8_k4s2", conv_transpose2d(128, 128, 8), True, False, "fwd"),
    ("conv_transpose2d_128to64_16x16_k4s2", conv_transpose2d(128, 64, 16), True, True, "fwd"),
    ("conv_transpose2d_64to32_32x32_k4s2", conv_transpose2d(64, 32, 32), True, False, "fwd"),
    ("linear_8192to128", linear(8192, 128), True, True, "fwd"),
    ("linear_240to8192", linear(240, 8192), True, False, "fwd"),
    ("matmul_64x8192x128", matmul(8192, 128), True, False, "fwd"),
    ("matmul_64x240x8192", matmul(240, 8192), True, False, "fwd"),
    ("batch_norm_128x16x16", batch_norm((BATCH, 128, 16, 16)), True, False, "fwd"),
    ("max_pool2d_64x32x32_k2s2", max_pool2d((BATCH, 64, 32, 32)), True, False, "fwd"),
    ("leaky_relu_32x64x64", unary(ACTIVATIONS, lambda x: F.leaky_relu(x, 0.3)), True, True, "fwd"),
    ("sigmoid_32x64x64", unary(ACTIVATIONS, torch.sigmoid), True, False, "fwd"),
    ("tanh_32x64x64", unary(ACTIVATIONS, torch.tanh), True, False, "fwd"),
    ("bce_40", loss(LABELS, F.binary_cross_entropy, 0.01, 0.99), True, True, "fwd"),
    ("bce_3x64x64", loss(IMAGES, F.binary_cross_entropy, 0.01, 0.99), True, False, "fwd"),
    ("bce_with_logits_3x64x64", loss(IMAGES, F.binary_cross_entropy_with_logits, -3.0, 3.0), True, False, "fwd"),
    ("mae_3x64x64", loss(IMAGES, F.l1_loss, -1.0, 1.0), True, False, "fwd"),
    ("mse_3x64x64", loss(IMAGES, F.mse_loss, -1.0, 1.0), True, False, "fwd"),
    ("cross_entropy_64x1000", cross_entropy(1000), True, False, "fwd"),
    ("smooth_labels_32x64x64", unary(ACTIVATIONS, lambda t: t * (1 - 0.1)), False, False, "fwd"),
    ("dropout_32x64x64", unary(ACTIVATIONS, lambda x: F.dropout(x, 0.5, training=True)), True, False, "fwd"),
    ("gaussian_noise_32x64x64", unary(ACTIVATIONS, lambda x: x + 0.1 * torch.randn_like(x)), False, False, "fwd"),
    ("concat_2x32x64x64", concat(ACTIVATIONS), True, False, "fwd"),
    ("adam_1.2M", adam(), False, True, "step"),
]


def timed(call, device, min_time):
    """Seconds per call, over as many calls as fill min_time (at least one)."""
    call()  # warm-up: allocations, library plans
    cuda = device.type == "cuda"
    total, calls = 0.0, 0
    while total < min_time or calls == 0:
        if cuda:
            torch.cuda.synchronize()
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            call()
            end.record()
            end.synchronize()
            total += start.elapsed_time(end) / 1000
        else:
            begin = time.perf_counter()
            call()
            total += time.perf_counter() - begin
        calls += 1
    return total / calls


def backward_call(case):
    for leaf in case.leaves:
        leaf.requires_grad_(True)
    y = case.run()
    grad = torch.empty_like(y).uniform_(-1.0, 1.0)

    def call():
        for leaf in case.leaves:
            leaf.grad = None
        y.backward(grad, retain_graph=True)
    return call


def rate(work, seconds):
    flops, nbytes = work
    return f"{flops / seconds / 1e9:8.2f} GFLOP/s" if flops else f"{nbytes / seconds / 1e9:8.2f} GB/s   "


def libnn_figures(path):
    """name -> (seconds per call, (flops/s, bytes/s)) from a bench_ops JSON."""
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    figures = {}
    with open(path) as f:
        for b in json.load(f)["benchmarks"]:
            if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
                continue
            name = re.sub(r"/(real|manual)_time$", "", b["name"])
            figures[name] = (b["real_time"] * scale[b["time_unit"]], (b.get("FLOP/s", 0), b.get("bytes_per_second", 0)))
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--filter", default=".", help="regular expression searched in the names")
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds of timed calls per benchmark")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: PyTorch's own)")
    parser.add_argument("--libnn", help="bench_ops --benchmark_out JSON to print beside")
    args = parser.parse_args()
    match_libnn(args.threads)
    device = torch.device(args.device)
    libnn = libnn_figures(args.libnn) if args.libnn else None
    print(f"pytorch {torch.__version__} {args.device} threads={torch.get_num_threads()} batch={BATCH}")
    if libnn is None:
        print(f"{'benchmark':<48} {'us/call':>10}  rate")
    else:
        print(f"{'benchmark':<48} {'libnn us':>10} {'torch us':>10} {'ratio':>6}  {'libnn rate':<16} torch rate")
    for name, make, has_backward, f64, forward_pass in SPECS:
        for dtype in ["f32", "f64"] if f64 else ["f32"]:
            passes = [forward_pass] + (["bwd"] if has_backward else [])
            for pass_name in passes:
                full = f"{name}/{pass_name}/{args.device}/{dtype}"
                if not re.search(args.filter, full):
                    continue
                case = make(Maker(device, DTYPES[dtype]))
                if pass_name == "bwd":
                    call, work = backward_call(case), case.backward
                else:
                    call, work = case.run, case.forward
                seconds = timed(call, device, args.min_time)
                if libnn is None:
                    print(f"{full:<48} {seconds * 1e6:10.1f}  {rate(work, seconds)}")
                elif full in libnn:
                    ours, (flops, nbytes) = libnn[full]
                    ours_rate = f"{flops / 1e9:8.2f} GFLOP/s" if flops else f"{nbytes / 1e9:8.2f} GB/s   "
                    print(f"{full:<48} {ours * 1e6:10.1f} {seconds * 1e6:10.1f} {ours / seconds:6.2f}  "
                          f"{ours_rate}  {rate(work, seconds)}")
                else:
                    print(f"{full:<48} {'-':>10} {seconds * 1e6:10.1f} {'-':>6}  {'-':<16} {rate(work, seconds)}")


if __name__ == "__main__":
    main()
