"""The two attribute encoders and four autoencoders of apps/celeba_autoencoders
in PyTorch, for timing side by side with libnn: the same layers in the same
order with PyTorch's default initialisation, which libnn's models reproduce.

The modules are laid out like libnn's, so that state_dict() names and shapes
are those of a libnn checkpoint: an encoder is a Sequential called `body`; an
autoencoder holds `encoder` (model1 and model3: an AttributeEncoder, else a
Sequential) and `decoder`. The final sigmoids are left out as in libnn: the
losses take logits.

usage: autoencoder_models.py   prints every model's parameter count.
"""
import torch
import torch.nn as nn

ATTRIBUTES = 40
CHANNELS = 3
IMAGE_SIZE = {"encoder1": 64, "encoder2": 128, "model1": 64, "model2": 64, "model3": 128, "model4": 128}
ENCODERS = ("encoder1", "encoder2")
MODELS = ("model1", "model2", "model3", "model4")
PRETRAINED_ENCODER = {"model1": "encoder1", "model3": "encoder2"}


def _widths(widths):
    return zip(widths[:-1], widths[1:])


def _encoder1():
    layers = []
    for cin, cout in _widths([CHANNELS, 8, 16, 32, 64, 128, 256]):  # 64 -> 32 -> ... -> 1
        layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2)]
    return layers + [nn.Flatten(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, ATTRIBUTES)]


def _encoder2():
    layers = []
    for i, (cin, cout) in enumerate(_widths([CHANNELS, 8, 16, 32, 64, 128, 256, 512])):  # 128 -> 64 -> ... -> 1
        k, p = (5, 2) if i < 4 else (3, 1)
        layers += [nn.Conv2d(cin, cout, k, stride=2, padding=p), nn.ReLU()]
    return layers + [nn.Flatten(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, ATTRIBUTES)]


def _ups(widths, between):
    """Stride-2 4x4 transposed convolutions with pad 1, `between` after each but the last."""
    layers = []
    for cin, cout in _widths(widths):
        if layers:
            layers.append(between())
        layers.append(nn.ConvTranspose2d(cin, cout, 4, stride=2, padding=1))
    return layers


def _model1_decoder():
    return [nn.Linear(ATTRIBUTES, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Unflatten(1, (256, 1, 1))] + \
        _ups([256, 128, 64, 32, 16, 8, CHANNELS], nn.ReLU)


def _model2_encoder():
    layers = []
    for cin, cout in _widths([CHANNELS, 16, 32, 64, 128, 256]):  # unpadded: 64 -> 31 -> 15 -> 7 -> 3 -> 1
        layers += [nn.Conv2d(cin, cout, 3, stride=2), nn.ReLU()]
    return layers + [nn.Flatten(), nn.Linear(256, 170), nn.ReLU(), nn.Linear(170, 84)]


def _model2_decoder():
    return [nn.Linear(84, 199), nn.ReLU(), nn.Linear(199, 398), nn.ReLU(), nn.Linear(398, 512), nn.ReLU(),
            nn.Unflatten(1, (512, 1, 1))] + _ups([512, 256, 128, 64, 32, 16, CHANNELS], nn.ReLU)


def _model3_decoder():
    layers = [nn.Linear(ATTRIBUTES, 256), nn.LeakyReLU(), nn.Linear(256, 512), nn.LeakyReLU(),
              nn.Unflatten(1, (512, 1, 1)),
              nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1), nn.LeakyReLU(),  # 2
              nn.ConvTranspose2d(256, 128, 4, stride=2, padding=1), nn.LeakyReLU(),  # 4
              nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1), nn.ReLU()]  # 8
    for cin, cout in _widths([64, 32, 16, 8]):  # 16, 32, 64
        layers += [nn.ConvTranspose2d(cin, cout, 6, stride=2, padding=2), nn.ReLU()]
    return layers + [nn.ConvTranspose2d(8, CHANNELS, 6, stride=2, padding=2)]  # 128


def _model4_encoder():
    layers = []
    for cin, cout in _widths([CHANNELS, 16, 32, 64, 128, 256, 512]):  # 128 -> 64 -> ... -> 2
        layers += [nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU()]
    return layers + [nn.Flatten(), nn.Linear(2048, 512), nn.BatchNorm1d(512), nn.LeakyReLU(), nn.Linear(512, 128),
                     nn.BatchNorm1d(128)]


def _model4_decoder():
    layers = [nn.Linear(128, 512), nn.BatchNorm1d(512), nn.LeakyReLU(), nn.Linear(512, 2048), nn.BatchNorm1d(2048),
              nn.LeakyReLU(), nn.Unflatten(1, (512, 2, 2))]
    for cin, cout in _widths([512, 256, 128, 64, 32, 16]):  # 2 -> 4 -> ... -> 64
        layers += [nn.ConvTranspose2d(cin, cout, 4, stride=2, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU()]
    return layers + [nn.ConvTranspose2d(16, CHANNELS, 4, stride=2, padding=1)]  # 128


class AttributeEncoder(nn.Module):
    """encoder1 or encoder2: images -> 40 attribute logits."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.body = nn.Sequential(*(_encoder1() if kind == "encoder1" else _encoder2()))

    def forward(self, images):
        return self.body(images)


class Autoencoder(nn.Module):
    """model1 ... model4: images -> latent -> image logits. model1's and
    model3's latent is their attribute encoder's probabilities."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        if kind in PRETRAINED_ENCODER:
            self.encoder = AttributeEncoder(PRETRAINED_ENCODER[kind])
        else:
            self.encoder = nn.Sequential(*(_model2_encoder() if kind == "model2" else _model4_encoder()))
        decoders = {"model1": _model1_decoder, "model2": _model2_decoder, "model3": _model3_decoder,
                    "model4": _model4_decoder}
        self.decoder = nn.Sequential(*decoders[kind]())

    def encode(self, images):
        latent = self.encoder(images)
        return torch.sigmoid(latent) if self.kind in PRETRAINED_ENCODER else latent

    def forward(self, images):
        return self.decoder(self.encode(images))


def build(kind):
    return AttributeEncoder(kind) if kind in ENCODERS else Autoencoder(kind)


if __name__ == "__main__":
    for name in ENCODERS + MODELS:
        model = build(name)
        trainable = sum(p.numel() for p in model.parameters())
        running = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
        print(f"{name}: {trainable} trainable, {running} running statistics")
