"""The three DCGANs of apps/dcgan (radford64, wlu128, tutorial28) in PyTorch,
for timing side by side with libnn: the same layers in the same order, the same
initialisation and batch norm settings.

The modules are laid out like libnn's (a Sequential called `body`), so that
state_dict() names and shapes are those of a libnn checkpoint without "G." or
"D.": G.body.1.weight is the first layer with weights of radford64's G (after
the reshape of z). PyTorch's Linear [out, in], Conv2d [out, in, kh, kw] and
ConvTranspose2d [in, out, kh, kw] layouts are libnn's too.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

LATENT = 100
IMAGE_SIZE = {"radford64": 64, "wlu128": 128, "tutorial28": 28}

# Keras and TF batch norm: momentum 0.99 (PyTorch's 0.01: PyTorch weighs the
# new batch), epsilon 1e-3.
KERAS_BN = dict(momentum=0.01, eps=1e-3)


def radford_weights(module):
    """N(0, 0.02) convolution weights; batch norm scales N(1, 0.02), shifts 0."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


def keras_weights(module):
    """glorot_uniform weights and zero biases (Keras' and TF's layer defaults)."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


class KerasSameConv(nn.Conv2d):
    """Convolution with Keras' `same` padding: output = ceil(input / stride),
    the odd extra row and column of padding at the bottom and right, which
    Conv2d's symmetric padding cannot express."""

    def forward(self, x):
        k, s, size = self.kernel_size[0], self.stride[0], x.shape[-1]
        total = max((-(-size // s) - 1) * s + k - size, 0)
        return super().forward(F.pad(x, (total // 2, total - total // 2, total // 2, total - total // 2)))


class KerasSameConvTranspose(nn.ConvTranspose2d):
    """Transposed convolution with Keras' `same` padding: output = input *
    stride, k - stride rows and columns cropped, the odd one at the bottom and
    right."""

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        top = max(k - s, 0) // 2
        out = x.shape[-1] * s
        return super().forward(x)[:, :, top:top + out, top:top + out]


class BatchStatisticsNorm2d(nn.BatchNorm2d):
    """Batch norm that normalises with the batch's statistics in eval mode too
    (TF's training=True), updating the running statistics only in training."""

    def forward(self, x):
        running = (self.running_mean, self.running_var) if self.training else (None, None)
        return F.batch_norm(x, *running, self.weight, self.bias, True, self.momentum, self.eps)


def radford_generator(c):
    layers = [nn.Unflatten(1, (LATENT, 1, 1)), nn.ConvTranspose2d(LATENT, 512, 4, 1, 0, bias=False),
              nn.BatchNorm2d(512), nn.ReLU()]
    for cin, cout in [(512, 256), (256, 128), (128, 64)]:
        layers += [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
    layers += [nn.ConvTranspose2d(64, c, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers), radford_weights


def radford_discriminator(c):
    layers = [nn.Conv2d(c, 64, 4, 2, 1, bias=False), nn.LeakyReLU(0.2)]
    for cin, cout in [(64, 128), (128, 256), (256, 512)]:
        layers += [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2)]
    layers += [nn.Conv2d(512, 1, 4, 1, 0, bias=False), nn.Flatten()]
    return nn.Sequential(*layers), radford_weights


def wlu_generator(c):
    def up(cin, cout):
        return KerasSameConvTranspose(cin, cout, 3, 2)

    leak = 0.3
    layers = [nn.Linear(LATENT, 512 * 4 * 4), nn.Unflatten(1, (512, 4, 4)), nn.BatchNorm2d(512, **KERAS_BN),
              up(512, 512), nn.LeakyReLU(leak), nn.BatchNorm2d(512, **KERAS_BN),
              up(512, 256), nn.LeakyReLU(leak), nn.BatchNorm2d(256, **KERAS_BN), nn.LeakyReLU(leak),
              up(256, 128), nn.BatchNorm2d(128, **KERAS_BN), nn.LeakyReLU(leak),
              up(128, 64), nn.BatchNorm2d(64, **KERAS_BN), nn.LeakyReLU(leak),
              up(64, c), nn.Tanh()]
    return nn.Sequential(*layers), keras_weights


def wlu_discriminator(c):
    def down(cin, cout):
        return KerasSameConv(cin, cout, 5, 2)

    leak = 0.3
    layers = [down(c, 64), nn.LeakyReLU(leak),
              down(64, 128), nn.BatchNorm2d(128, **KERAS_BN), nn.LeakyReLU(leak),
              down(128, 256), nn.BatchNorm2d(256, **KERAS_BN), nn.LeakyReLU(leak),
              down(256, 512), nn.Flatten(), nn.Linear(512 * 8 * 8, 1)]
    return nn.Sequential(*layers), keras_weights


def tutorial_generator(c):
    leak = 0.2
    layers = [nn.Linear(LATENT, 512 * 2 * 2), nn.Unflatten(1, (512, 2, 2)), nn.BatchNorm2d(512, **KERAS_BN),
              nn.LeakyReLU(leak),
              nn.ConvTranspose2d(512, 256, 5, 2), nn.BatchNorm2d(256, **KERAS_BN), nn.LeakyReLU(leak),
              KerasSameConvTranspose(256, 128, 5, 2), nn.BatchNorm2d(128, **KERAS_BN), nn.LeakyReLU(leak),
              KerasSameConvTranspose(128, c, 5, 2), nn.Tanh()]
    return nn.Sequential(*layers), keras_weights


def tutorial_discriminator(c):
    leak = 0.2
    layers = [KerasSameConv(c, 64, 5, 2), nn.LeakyReLU(leak),
              KerasSameConv(64, 128, 5, 2), BatchStatisticsNorm2d(128, **KERAS_BN), nn.LeakyReLU(leak),
              KerasSameConv(128, 256, 5, 1), BatchStatisticsNorm2d(256, **KERAS_BN), nn.LeakyReLU(leak),
              nn.Flatten(), nn.Linear(256 * 7 * 7, 1)]
    return nn.Sequential(*layers), keras_weights


BUILDERS = {
    "radford64": (radford_generator, radford_discriminator),
    "wlu128": (wlu_generator, wlu_discriminator),
    "tutorial28": (tutorial_generator, tutorial_discriminator),
}


class Generator(nn.Module):
    """G: z [N, 100] -> images [N, C, S, S] in (-1, 1)."""

    def __init__(self, arch, channels):
        super().__init__()
        self.body, init = BUILDERS[arch][0](channels)
        init(self)

    def forward(self, z):
        return self.body(z)


class Discriminator(nn.Module):
    """D: images [N, C, S, S] -> logits [N, 1], before the sigmoid."""

    def __init__(self, arch, channels):
        super().__init__()
        self.body, init = BUILDERS[arch][1](channels)
        init(self)

    def forward(self, images):
        return self.body(images)
