"""The three AE-AC-GAN networks of apps/acgan_celeba (docs/acgan_celeba.md) in
PyTorch, shared by acgan_step.py and acgan_train.py.

The modules are laid out like libnn's, so that state_dict() names and shapes
are those of a libnn checkpoint without "E.", "G." or "D.": E.trunk.0.weight,
E.y.bias, D.w.weight, G.body.0.weight (the Dense 240 -> 8192), G.body.9.weight
(the 8x8 convolution). PyTorch's Linear [out, in], Conv2d [out, in, kh, kw]
and ConvTranspose2d [in, out, kh, kw] layouts are libnn's too.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGE_SIZE, ATTRIBUTES, LATENT = 64, 40, 200
LEAKY_ALPHA = 0.3
BCE_EPSILON = 1e-7


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


class KerasSameConv(nn.Conv2d):
    """Stride-1 convolution with Keras' `same` padding for an even kernel: k/2 - 1
    rows and columns before, k/2 after, which Conv2d's symmetric padding cannot
    express."""

    def forward(self, x):
        k = self.kernel_size[0]
        return super().forward(F.pad(x, (k // 2 - 1, k // 2, k // 2 - 1, k // 2)))


def keras_same_conv(cin, cout, k):
    layer = KerasSameConv(cin, cout, k)
    nn.init.normal_(layer.weight, 0.0, 0.01)
    nn.init.zeros_(layer.bias)
    return layer


class GaussianNoise(nn.Module):
    """x + N(0, stddev^2) per element while training, x in eval mode."""

    def __init__(self, stddev):
        super().__init__()
        self.stddev = stddev

    def forward(self, x):
        return x + torch.randn_like(x) * self.stddev if self.training else x


def trunk(input_noise=0.0, dropout=0.0):
    """Conv 32-64-128 (4x4, stride 2, same) with LeakyReLU, Flatten, Dense 128,
    LeakyReLU; the optional noise and dropout layers take their places in the
    sequence as in libnn, so the layer indices (and checkpoint names) agree."""
    layers = [GaussianNoise(input_noise)] if input_noise > 0 else []

    def activation():
        return [nn.LeakyReLU(LEAKY_ALPHA)] + ([nn.Dropout(dropout)] if dropout > 0 else [])

    layers += [conv(3, 32, 4, 2)] + activation() + [conv(32, 64, 4, 2)] + activation()
    layers += [conv(64, 128, 4, 2)] + activation() + [nn.Flatten(), dense(128 * 8 * 8, 128)] + activation()
    return nn.Sequential(*layers)


class Encoder(nn.Module):
    """E: image -> (y: 40 attribute probabilities, z: 200 values in (0, 1))."""

    def __init__(self):
        super().__init__()
        self.trunk, self.y, self.z = trunk(), dense(128, ATTRIBUTES), dense(128, LATENT)

    def forward(self, images):
        h = self.trunk(images)
        return torch.sigmoid(self.y(h)), torch.sigmoid(self.z(h))


class Discriminator(nn.Module):
    """D: image -> (w: probability of real, y: 40 attribute probabilities)."""

    def __init__(self, input_noise=0.0, dropout=0.0):
        super().__init__()
        self.trunk, self.w, self.y = trunk(input_noise, dropout), dense(128, 1), dense(128, ATTRIBUTES)

    def forward(self, images):
        h = self.trunk(images)
        return torch.sigmoid(self.w(h)), torch.sigmoid(self.y(h))


class Generator(nn.Module):
    """G: (y, z) -> image in [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(dense(ATTRIBUTES + LATENT, 128 * 8 * 8), nn.LeakyReLU(LEAKY_ALPHA),
                                  nn.Unflatten(1, (128, 8, 8)),
                                  deconv(128, 128), nn.LeakyReLU(LEAKY_ALPHA),
                                  deconv(128, 64), nn.LeakyReLU(LEAKY_ALPHA),
                                  deconv(64, 32), nn.LeakyReLU(LEAKY_ALPHA),
                                  keras_same_conv(32, 3, 8), nn.Tanh())

    def forward(self, y, z):
        return self.body(torch.cat([y, z], 1))


def bce(p, t):
    """Mean binary cross-entropy on probabilities as libnn computes it: p and
    1 - p each clipped to [1e-7, 1 - 1e-7] before the logarithm."""
    pc = p.clamp(BCE_EPSILON, 1 - BCE_EPSILON)
    qc = (1 - p).clamp(BCE_EPSILON, 1 - BCE_EPSILON)
    return -(t * torch.log(pc) + (1 - t) * torch.log(qc)).mean()
