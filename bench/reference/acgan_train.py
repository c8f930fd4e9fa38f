#!/usr/bin/env python3
"""The AE-AC-GAN training recipe of apps/acgan_celeba in PyTorch, written
independently of libnn so that the faces of the two can be compared after the
same recipe and the same number of steps.

It reads the run settings from a libnn run folder's config.json (--config;
without it the app's defaults, the `quick` preset), the training images from
the image cache file the app wrote (--cache-file, in the app's cache folder:
synthetic_<count>_train_<fraction>_<halving>.cache), and trains E, G and D
with the app's sub-steps in the app's order (apps/acgan_celeba/trainer.cpp):

  1. D on the real batch (w target real_target, y the true labels) and on
     G(y', z) (w target 0, y the y' drawn for it), one Adam step on the BCE of
     w plus the BCE of y; d_batch "separate" sums the real and the fake
     batch's losses, "mixed" concatenates both batches, shuffles them, keeps
     the first `batch` and takes one mean BCE on w and one on y;
  2. G through the frozen D (w target g_target, y target y'), with a fresh y'
     and z (g_fakes "fresh") or those of D's fakes ("reuse"; the setting
     g_reuse_fakes true/false is read as "reuse"/"fresh"); the frozen E reads
     G's images back, and g_read_y_weight times the BCE of its y against y'
     plus g_read_z_weight times the mean absolute error of its z against z
     join G's loss;
  3. the autoencoder G(E(x)) with the mean absolute error (plus
     ae_attr_weight times the BCE of E's y head on the labels; G decodes E's
     y (ae_y "code") or the face's labels ("labels") with E's z plus normal
     noise of deviation ae_z_noise), with its own Adam over
     E's and G's parameters at lr * ae_lr_factor.
The first ae_warmup steps run the autoencoder sub-step alone. With g_average
D > 0 a running average of G's weights follows G after every step (decay
min(D, (1 + t) / (10 + t)) at autoencoder step t) and is saved as G_average,
which the app's modes then use instead of G.

y' is a training label row (fake_labels "train"; "train-flip" sets one
drawn attribute of it on or off at random), random multi-hot ("random"), ten
indices drawn from 0..39 with repeats set to 1 ("ten-indices") or, with z
"codes", the labels of the banked face whose code is z, one attribute
flipped as for "train-flip" ("code-flip"); D's y loss on the fakes is
weighted by d_fake_y_weight; z is U[0, 1], N(0, 1), normal with the running per-dimension mean and
variance of E's codes, or one of E's latest 2048 codes (z "uniform" | "normal" | "encoder" | "codes"). Adam is
PyTorch's (eps 1e-8) or Keras' (adam "keras": eps 1e-7 added to sqrt(v)
before the bias correction of the step size). Pixels map to [-1, 1] as
libnn's DataLoader maps them; each epoch is a fresh shuffle, the last partial
batch dropped. Every random draw (initial weights, shuffles, y', z, noise,
dropout) comes from PyTorch's generators seeded with the run's seed, so a run
follows libnn's recipe in distribution, not draw for draw; from the same
--init-from weights the networks compute what libnn's do (see
check_reconstruction.py).

Output in --out: checkpoint_last.safetensors (written after each epoch and at
the end) with E., G. and D. under libnn's names, shapes, dtype (F32) and
layouts, and the metadata the app's --generate and --reconstruct read
("config", "attribute_majority", plus "step", "epoch", "batch_in_epoch"); it
holds no optimiser state, so the app cannot --resume from it, but --init-from
takes it. Also config.json (the settings trained with), losses.csv and
metrics.csv with libnn's columns. At the end it prints the last losses, the
wall time and images/s.

usage: acgan_train.py --cache-file CACHE --out DIR [--config RUN/config.json]
         [--init-from CKPT] [--steps N] [--epochs N] [--seed S]
         [--device cpu|cuda] [--threads N] [--dtype f32|f64] [--print-every N]
"""
import argparse
import copy
import json
import math
import os
import time

import torch

from acgan_models import ATTRIBUTES, IMAGE_SIZE, LATENT, Discriminator, Encoder, Generator, bce
from libnn_defaults import match_libnn
from libnn_files import FormatError, pixel_values, read_image_cache, read_safetensors, write_safetensors

# The app's settings with their defaults (the `quick` preset), in config.json's
# order; d_batch, g_fakes and adam are newer and written only when the
# given config.json has them, so that older builds of the app read the result.
DEFAULTS = {
    "preset": "quick", "data": "synthetic", "synthetic_count": 3000, "device": "auto", "seed": 1, "epochs": 6,
    "steps": 0, "batch": 32, "fraction": 1.0, "halving": "area", "lr": 1e-3, "ae_lr_factor": 1.0,
    "ae_attr_weight": 1.0, "beta1": 0.5, "beta2": 0.999, "real_target": 0.9, "g_target": 0.9,
    "fake_labels": "train", "z": "codes", "input_noise": 0.0, "dropout": 0.0, "tf32": False,
    "keep_checkpoints": 3, "resume": "", "init_from": "",
}
NEWER_DEFAULTS = {"d_batch": "separate", "g_fakes": "fresh", "adam": "pytorch", "ae_warmup": 150, "eval_every": 3,
                  "eval_faces": 2000, "eval_control": 100, "ae_z_noise": 0.0, "d_fake_y_weight": 1.0, "g_read_y_weight": 0.0,
                  "g_read_z_weight": 0.0, "g_average": 0.0, "ae_y": "code"}
# The `quick` preset's values of newer settings, for a run without --config;
# a config.json without them trained with NEWER_DEFAULTS' values.
QUICK_NEWER = {"g_read_y_weight": 5.0}
# Keys of config.json that describe the run but not the training recipe.
RECORD_ONLY = {"changes"}
# g_reuse_fakes (true/false) is taken for g_fakes ("reuse"/"fresh").
G_FAKES_ALIAS = "g_reuse_fakes"
CHOICES = {"fake_labels": ("train", "train-flip", "code-flip", "random", "ten-indices"), "z": ("uniform", "normal", "encoder", "codes"),
           "d_batch": ("separate", "mixed"), "g_fakes": ("fresh", "reuse"), "adam": ("pytorch", "keras"),
           "ae_y": ("code", "labels")}
TEN_INDICES = 10
# z "encoder": how slowly the running statistics of E's codes move (as libnn).
LATENT_MOMENTUM = 0.9
# z "codes": how many of E's latest codes the bank holds (as libnn).
BANK_ROWS = 2048
HALVINGS = {0: "area", 1: "decimate"}  # the image cache's halving byte (nn::data::Halving)


class SettingError(Exception):
    pass


def load_config(path):
    """The settings of `path` (a config.json) over the defaults, and the newer
    keys it holds. An unknown key or a value of the wrong kind raises
    SettingError naming it."""
    config = dict(DEFAULTS, **NEWER_DEFAULTS)
    if not path:
        config.update(QUICK_NEWER)
    given = {}
    if path:
        with open(path) as f:
            given = json.load(f)
        if not isinstance(given, dict):
            raise SettingError(f"{path}: not a JSON object")
    if G_FAKES_ALIAS in given:
        alias = given.pop(G_FAKES_ALIAS)
        if not isinstance(alias, bool):
            raise SettingError(f"{path}: setting '{G_FAKES_ALIAS}' is {json.dumps(alias)}, expected a bool")
        if given.setdefault("g_fakes", "reuse" if alias else "fresh") != ("reuse" if alias else "fresh"):
            raise SettingError(f"{path}: settings '{G_FAKES_ALIAS}' and 'g_fakes' disagree")
    for key, value in given.items():
        if key in RECORD_ONLY:
            continue
        if key not in config:
            raise SettingError(f"{path}: unknown setting '{key}'")
        default = config[key]
        kind = (int, float) if isinstance(default, float) else type(default)
        if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, kind):
            raise SettingError(f"{path}: setting '{key}' is {json.dumps(value)}, expected a {type(default).__name__}")
        config[key] = value
    for key, allowed in CHOICES.items():
        if config[key] not in allowed:
            raise SettingError(f"{path or 'defaults'}: setting '{key}' is '{config[key]}', expected one of "
                               f"{', '.join(allowed)}")
    if config["batch"] < 2 or config["epochs"] < 1 or config["steps"] < 0:
        raise SettingError(f"{path}: batch must be at least 2, epochs at least 1 and steps not negative")
    return config, [key for key in NEWER_DEFAULTS if key in given]


class KerasAdam(torch.optim.Optimizer):
    """Adam with Keras' placement of epsilon:
    p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)."""

    def __init__(self, params, lr, betas, eps=1e-7):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps})
        self.t = 0

    @torch.no_grad()
    def step(self):
        self.t += 1
        for group in self.param_groups:
            b1, b2 = group["betas"]
            step_size = group["lr"] * math.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["m"], state["v"] = torch.zeros_like(p), torch.zeros_like(p)
                m, v = state["m"], state["v"]
                m.mul_(b1).add_(p.grad, alpha=1 - b1)
                v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                p.addcdiv_(m, v.sqrt().add_(group["eps"]), value=-step_size)


def make_adam(config, params, lr):
    betas = (config["beta1"], config["beta2"])
    if config["adam"] == "keras":
        return KerasAdam(params, lr, betas)
    return torch.optim.Adam(params, lr, betas=betas, eps=1e-8)


def sample_f1(predicted, target):
    """Sample-averaged F1 of predictions > 0.5 against 0/1 targets; a sample
    with no predicted and no true positive scores 0 (sklearn's
    average='samples', as libnn's sample_f1)."""
    p, t = predicted > 0.5, target > 0.5
    tp, fp, fn = (p & t).sum(1).double(), (p & ~t).sum(1).double(), (~p & t).sum(1).double()
    denominator = 2 * tp + fp + fn
    return (2 * tp / denominator.clamp(min=1)).mean().item()


def require_finite(value, what, d_steps):
    if not math.isfinite(value):
        raise FloatingPointError(f"acgan_train: {what} became {value} after {d_steps} discriminator steps")


class Trainer:
    def __init__(self, config, labels, device, dtype):
        self.config, self.device, self.dtype = config, device, dtype
        self.labels = labels  # [N, 40] on the device, in dtype
        self.E = Encoder().to(device, dtype)
        self.D = Discriminator(config["input_noise"], config["dropout"]).to(device, dtype)
        self.G = Generator().to(device, dtype)
        lr = config["lr"]
        self.opt_d = make_adam(config, self.D.parameters(), lr)
        self.opt_g = make_adam(config, self.G.parameters(), lr)
        self.opt_ae = make_adam(config, list(self.E.parameters()) + list(self.G.parameters()),
                                lr * config["ae_lr_factor"])
        self.d_steps = self.ae_steps = 0
        self.G_average = None
        if config["g_average"] > 0:
            self.G_average = copy.deepcopy(self.G).requires_grad_(False)
        # z "encoder": running per-dimension mean and variance of E's codes,
        # starting at U[0, 1]'s moments.
        self.z_mean = torch.full((LATENT,), 0.5, device=device, dtype=dtype)
        self.z_variance = torch.full((LATENT,), 1.0 / 12.0, device=device, dtype=dtype)
        # z "codes": a ring of E's latest codes, starting as one code of 0.5.
        self.bank = torch.full((BANK_ROWS, LATENT), 0.5, device=device, dtype=dtype)
        self.bank_labels = torch.zeros(BANK_ROWS, ATTRIBUTES, device=device, dtype=dtype)
        self.banked = 0

    def full(self, n, value):
        return torch.full((n, 1), value, device=self.device, dtype=self.dtype)

    def flip_one(self, rows):
        """One attribute of each row, drawn uniformly, set on or off with a fair coin."""
        n = rows.shape[0]
        attribute = torch.randint(ATTRIBUTES, (n,), device=self.device)
        value = (torch.rand(n, device=self.device) < 0.5).to(self.dtype)
        rows = rows.clone()
        rows[torch.arange(n, device=self.device), attribute] = value
        return rows

    def sample_attributes(self, n):
        kind = self.config["fake_labels"]
        if kind in ("train", "train-flip", "code-flip"):
            rows = self.labels[torch.randint(self.labels.shape[0], (n,), device=self.device)]
            return self.flip_one(rows) if kind == "train-flip" else rows
        if kind == "random":
            return (torch.rand(n, ATTRIBUTES, device=self.device) < 0.5).to(self.dtype)
        picks = torch.randint(ATTRIBUTES, (n, TEN_INDICES), device=self.device)
        return torch.zeros(n, ATTRIBUTES, device=self.device, dtype=self.dtype).scatter_(1, picks, 1.0)

    def bank_rows(self, n):
        """Rows of the code bank picked as libnn picks them: the normal
        quantile of a noise row's first value times the codes held."""
        first = torch.randn(n, LATENT, device=self.device, dtype=torch.float64)[:, 0]
        held = min(max(self.banked, 1), BANK_ROWS)
        quantile = 0.5 * torch.erfc(-first / math.sqrt(2.0))
        return (quantile * held).long().clamp(max=held - 1)

    def sample_fakes(self, n):
        """(y', z) for n fakes; code-flip pairs a banked code with its face's labels, one attribute flipped."""
        if self.config["fake_labels"] == "code-flip":
            rows = self.bank_rows(n)
            return self.flip_one(self.bank_labels[rows]), self.bank[rows]
        fake_y = self.sample_attributes(n)
        return fake_y, self.sample_z(n)

    def sample_z(self, n):
        if self.config["z"] == "codes":
            return self.bank[self.bank_rows(n)]
        if self.config["z"] == "encoder":
            noise = torch.randn(n, LATENT, device=self.device, dtype=self.dtype)
            return noise * self.z_variance.clamp(min=0).sqrt() + self.z_mean
        if self.config["z"] == "normal":
            return torch.randn(n, LATENT, device=self.device, dtype=self.dtype)
        return torch.rand(n, LATENT, device=self.device, dtype=self.dtype)

    def step(self, images, labels):
        n, m = images.shape[0], {}
        if self.ae_steps < self.config["ae_warmup"]:
            # The autoencoder alone; D's and G's figures are not measured.
            for key in ("d_loss_w", "d_loss_y", "g_loss_w", "g_loss_y", "d_acc_w", "d_f1_y", "g_f1_y", "d_acc_w_gen"):
                m[key] = float("nan")
            self.autoencoder_step(images, labels, m)
            self.update_average()
            return m
        fake_y, fake_z = self.sample_fakes(n)
        with torch.no_grad():
            fakes = self.G(fake_y, fake_z)
        self.discriminator_step(images, labels, fakes, fake_y, m)
        if self.config["g_fakes"] == "reuse":
            wanted_y, z = fake_y, fake_z
        else:
            wanted_y, z = self.sample_fakes(n)
        self.generator_step(wanted_y, z, m)
        self.autoencoder_step(images, labels, m)
        self.update_average()
        return m

    def update_average(self):
        if self.G_average is None:
            return
        decay = min(self.config["g_average"], (1.0 + self.ae_steps) / (10.0 + self.ae_steps))
        with torch.no_grad():
            for average, live in zip(self.G_average.parameters(), self.G.parameters()):
                average.mul_(decay).add_(live, alpha=1.0 - decay)

    def discriminator_step(self, images, labels, fakes, fake_y, m):
        n = images.shape[0]
        # libnn smooths the real targets one-sidedly: 1 * (1 - (1 - real_target)).
        real_w = self.full(n, 1.0 - (1.0 - self.config["real_target"]))
        self.opt_d.zero_grad()
        if self.config["d_batch"] == "separate":
            w_real, y_real = self.D(images)
            w_fake, y_fake = self.D(fakes)
            loss_w = bce(w_real, real_w) + bce(w_fake, self.full(n, 0.0))
            loss_y = bce(y_real, labels) + bce(y_fake, fake_y) * self.config["d_fake_y_weight"]
            judged_w, is_real = torch.cat([w_real, w_fake]), torch.arange(2 * n, device=self.device) < n
            f1_y, f1_target = y_real, labels
        else:
            keep = torch.randperm(2 * n, device=self.device)[:n]
            w, y = self.D(torch.cat([images, fakes])[keep])
            loss_w = bce(w, torch.cat([real_w, self.full(n, 0.0)])[keep])
            y_target = torch.cat([labels, fake_y])[keep]
            loss_y = bce(y, y_target)
            judged_w, is_real, f1_y, f1_target = w, keep < n, y, y_target
        (loss_w + loss_y).backward()
        m["d_loss_w"], m["d_loss_y"] = loss_w.item(), loss_y.item()
        require_finite(m["d_loss_w"] + m["d_loss_y"], "the discriminator's loss", self.d_steps)
        self.opt_d.step()
        self.d_steps += 1
        # Over every image D judged; F1 of y on the real batch (separate) or
        # on the kept rows (mixed), as the app logs them.
        said_real = judged_w.detach().flatten() > 0.5
        m["d_acc_w"] = (said_real == is_real).double().mean().item()
        m["d_f1_y"] = sample_f1(f1_y.detach(), f1_target)

    def generator_step(self, wanted_y, z, m):
        n = wanted_y.shape[0]
        for p in self.D.parameters():
            p.requires_grad_(False)
        self.opt_g.zero_grad()
        generated = self.G(wanted_y, z)
        w_gen, y_gen = self.D(generated)
        loss_w = bce(w_gen, self.full(n, self.config["g_target"]))
        loss_y = bce(y_gen, wanted_y)
        loss = loss_w + loss_y
        y_weight, z_weight = self.config["g_read_y_weight"], self.config["g_read_z_weight"]
        if y_weight > 0 or z_weight > 0:
            # The frozen E reads y' and z back from G's images.
            for p in self.E.parameters():
                p.requires_grad_(False)
            read_y, read_z = self.E(generated)
            if y_weight > 0:
                loss = loss + bce(read_y, wanted_y) * y_weight
            if z_weight > 0:
                loss = loss + (read_z - z).abs().mean() * z_weight
        loss.backward()
        for p in list(self.D.parameters()) + list(self.E.parameters()):
            p.requires_grad_(True)
        m["g_loss_w"], m["g_loss_y"] = loss_w.item(), loss_y.item()
        require_finite(m["g_loss_w"] + m["g_loss_y"], "the generator's loss", self.d_steps)
        self.opt_g.step()
        m["g_f1_y"] = sample_f1(y_gen.detach(), wanted_y)
        m["d_acc_w_gen"] = (w_gen.detach() <= 0.5).double().mean().item()

    def autoencoder_step(self, images, labels, m):
        self.opt_ae.zero_grad()
        code_y, code_z = self.E(images)
        if self.config["z"] == "encoder":
            with torch.no_grad():
                mean = code_z.mean(0)
                variance = ((code_z - mean) ** 2).mean(0)
                self.z_mean = LATENT_MOMENTUM * self.z_mean + (1 - LATENT_MOMENTUM) * mean
                self.z_variance = LATENT_MOMENTUM * self.z_variance + (1 - LATENT_MOMENTUM) * variance
        if self.config["z"] == "codes":
            with torch.no_grad():
                rows = (torch.arange(code_z.shape[0], device=self.device) + self.banked) % BANK_ROWS
                self.bank[rows] = code_z
                self.bank_labels[rows] = labels
                self.banked += code_z.shape[0]
        decoded_z = code_z
        if self.config["ae_z_noise"] > 0:
            decoded_z = code_z + torch.randn_like(code_z) * self.config["ae_z_noise"]
        decoded_y = labels if self.config["ae_y"] == "labels" else code_y
        ae_loss = (self.G(decoded_y, decoded_z) - images).abs().mean()
        loss = ae_loss
        if self.config["ae_attr_weight"] > 0:
            loss = loss + bce(code_y, labels) * self.config["ae_attr_weight"]
        loss.backward()
        m["ae_loss"] = ae_loss.item()
        require_finite(m["ae_loss"], "the autoencoder's loss", self.d_steps)
        self.opt_ae.step()
        self.ae_steps += 1

    def models(self):
        return {"E": self.E, "G": self.G, "D": self.D}

    def load_models(self, path):
        """E, G and D from a libnn checkpoint; every name and shape must match."""
        tensors, _ = read_safetensors(path)
        for prefix, model in self.models().items():
            own = {k[len(prefix) + 1:]: v for k, v in tensors.items() if k.startswith(prefix + ".")}
            expected = model.state_dict()
            missing, extra = sorted(set(expected) - set(own)), sorted(set(own) - set(expected))
            if missing or extra:
                raise SettingError(f"{path}: {prefix} lacks {missing} and has unexpected {extra}")
            for name, t in own.items():
                if tuple(t.shape) != tuple(expected[name].shape):
                    raise SettingError(f"{path}: {prefix}.{name} has shape {list(t.shape)}, "
                                       f"expected {list(expected[name].shape)}")
            model.load_state_dict({k: v.to(self.dtype) for k, v in own.items()})
        if self.G_average is not None:
            # The running average starts from the weights taken in, as the app's does.
            self.G_average.load_state_dict(self.G.state_dict())

    def save(self, path, metadata):
        tensors = {f"{prefix}.{name}": t.detach().to("cpu", torch.float32)
                   for prefix, model in self.models().items() for name, t in model.state_dict().items()}
        if self.G_average is not None:
            tensors.update({f"G_average.{name}": t.detach().to("cpu", torch.float32)
                            for name, t in self.G_average.state_dict().items()})
        if self.config["z"] == "encoder":
            tensors["Z.mean"] = self.z_mean.to("cpu", torch.float32)
            tensors["Z.variance"] = self.z_variance.to("cpu", torch.float32)
        if self.config["z"] == "codes":
            tensors["Z.codes"] = self.bank.to("cpu", torch.float32)
            tensors["Z.labels"] = self.bank_labels.to("cpu", torch.float32)
            tensors["Z.count"] = torch.tensor([float(self.banked)], dtype=torch.float64)
        write_safetensors(path, tensors, metadata)


class CsvLog:
    def __init__(self, path, columns):
        self.columns = columns
        self.file = open(path, "w")
        self.file.write(",".join(["step", "epoch"] + columns) + "\n")

    def append(self, step, epoch, metrics):
        cells = ["" if math.isnan(metrics[c]) else f"{metrics[c]:.6g}" for c in self.columns]
        self.file.write(",".join([str(step), str(epoch)] + cells) + "\n")
        self.file.flush()


def config_text(config, newer_keys):
    """config.json text the app's config_from_json reads back."""
    kept = {k: config[k] for k in DEFAULTS}
    kept.update({k: config[k] for k in newer_keys})
    return json.dumps(kept, indent=2) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache-file", required=True, help="libnn image cache (.cache) of the training images")
    parser.add_argument("--out", required=True, help="folder for the checkpoint and the logs")
    parser.add_argument("--config", help="a libnn run's config.json (default: the app's defaults)")
    parser.add_argument("--init-from", help="libnn checkpoint whose E, G and D weights start the run")
    parser.add_argument("--steps", type=int, help="stop after this many steps (0: all epochs); overrides the config")
    parser.add_argument("--epochs", type=int, help="epochs; overrides the config")
    parser.add_argument("--seed", type=int, help="random seed; overrides the config")
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    parser.add_argument("--dtype", choices=("f32", "f64"), default="f32")
    parser.add_argument("--print-every", type=int, default=50, help="print the losses every N steps (0: never)")
    args = parser.parse_args()

    try:
        config, newer_keys = load_config(args.config)
    except (SettingError, OSError, json.JSONDecodeError) as e:
        parser.error(str(e))
    for key in ("steps", "epochs", "seed"):
        if getattr(args, key) is not None:
            config[key] = getattr(args, key)
    if config["epochs"] < 1 or config["steps"] < 0:
        parser.error("--epochs must be at least 1 and --steps not negative")
    config["device"] = args.device
    config["init_from"] = args.init_from or ""
    config["resume"] = ""

    match_libnn(args.threads)
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = bool(config["tf32"])
    torch.manual_seed(config["seed"])
    device, dtype = torch.device(args.device), torch.float64 if args.dtype == "f64" else torch.float32

    try:
        images_u8, labels_u8, header = read_image_cache(args.cache_file)
    except (FormatError, OSError) as e:
        parser.error(str(e))
    if header["shape"] != (3, IMAGE_SIZE, IMAGE_SIZE) or header["label_count"] != ATTRIBUTES:
        parser.error(f"{args.cache_file}: images {header['shape']} with {header['label_count']} labels; the models "
                     f"take 3x{IMAGE_SIZE}x{IMAGE_SIZE} images with {ATTRIBUTES} labels")
    if not args.config:
        # Without a run's settings, the data ones come from the cache itself.
        config["fraction"], config["halving"] = header["fraction"], HALVINGS.get(header["halving"], "area")
    count, batch = header["count"], config["batch"]
    batches_per_epoch = count // batch
    if batches_per_epoch == 0:
        parser.error(f"{count} training images make no full batch of {batch}")
    majority = (labels_u8.sum(0, dtype="int64") * 2 > count).astype(int)
    images_all = torch.from_numpy(images_u8.copy()).to(device)
    labels_all = torch.from_numpy(labels_u8.copy()).to(device, dtype)
    to_pixels = pixel_values(-1.0, 1.0, dtype).to(device)

    trainer = Trainer(config, labels_all, device, dtype)
    if args.init_from:
        try:
            trainer.load_models(args.init_from)
        except (SettingError, FormatError, OSError) as e:
            parser.error(str(e))
    os.makedirs(args.out, exist_ok=True)
    text = config_text(config, newer_keys)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        f.write(text)
    losses = CsvLog(os.path.join(args.out, "losses.csv"), ["d_loss_w", "d_loss_y", "g_loss_w", "g_loss_y", "ae_loss"])
    metrics = CsvLog(os.path.join(args.out, "metrics.csv"), ["d_acc_w", "d_f1_y", "g_f1_y", "d_acc_w_gen"])
    checkpoint = os.path.join(args.out, "checkpoint_last.safetensors")
    print(f"acgan_train: {count} images, batch {batch}, {batches_per_epoch} batches per epoch, lr {config['lr']}, "
          f"{args.device} {args.dtype}, {torch.get_num_threads()} threads, pytorch {torch.__version__}")

    # The shuffles come from their own generator, so that they do not depend
    # on how many numbers the steps draw.
    shuffle = torch.Generator().manual_seed(config["seed"])
    step, m, start = 0, None, time.perf_counter()
    for epoch in range(config["epochs"]):
        order = torch.randperm(count, generator=shuffle).to(device)
        batch_in_epoch = 0
        for b in range(batches_per_epoch):
            rows = order[b * batch:(b + 1) * batch]
            m = trainer.step(to_pixels[images_all[rows].long()], labels_all[rows])
            step += 1
            batch_in_epoch += 1
            losses.append(step, epoch + 1, m)
            metrics.append(step, epoch + 1, m)
            if args.print_every and step % args.print_every == 0:
                print(f"step {step} epoch {epoch + 1}: D {m['d_loss_w']:.3f}/{m['d_loss_y']:.3f} "
                      f"G {m['g_loss_w']:.3f}/{m['g_loss_y']:.3f} AE {m['ae_loss']:.3f} acc {m['d_acc_w']:.2f}",
                      flush=True)
            if config["steps"] and step >= config["steps"]:
                break
        done = batch_in_epoch == batches_per_epoch
        trainer.save(checkpoint, {"config": text, "attribute_majority": ",".join(str(v) for v in majority),
                                  "step": str(step), "epoch": str(epoch + 1 if done else epoch),
                                  "batch_in_epoch": str(0 if done else batch_in_epoch)})
        if config["steps"] and step >= config["steps"]:
            break
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"acgan_train: last step {step}: D {m['d_loss_w']:.4f}/{m['d_loss_y']:.4f} "
          f"G {m['g_loss_w']:.4f}/{m['g_loss_y']:.4f} AE {m['ae_loss']:.4f} acc {m['d_acc_w']:.3f}")
    print(f"acgan_train: {step} steps, {seconds:.2f} s, {step * batch / seconds:.1f} images/s; wrote {checkpoint}")


if __name__ == "__main__":
    main()
