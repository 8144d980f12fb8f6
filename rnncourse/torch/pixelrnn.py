"""A small pixel-by-pixel recurrent image model of scikit-learn's 8 × 8 digits, in the
spirit of PixelRNN (van den Oord, Kalchbrenner & Kavukcuoglu 2016) (chapter 9).

An image with pixels x_1 ... x_N in raster order (row by row, left to right) has the
probability

    p(x) = Π_t p(x_t | x_1, ..., x_{t-1}),

and a recurrent network reads the pixels one at a time and predicts a distribution over
the next one: a softmax over the discrete intensity levels, as PixelRNN's 256-way
softmax. PixelRNN's own layers are two-dimensional LSTMs (Row LSTM, Diagonal BiLSTM)
with masked convolutions; this is the simplest member of the family, one ``nn.LSTM``
over the 64-step raster sequence::

    e_t = E_value[x_{t-1}] + E_position[t]     (x_0 = a start token)
    h_t = LSTM(e_t, h_{t-1})
    ℓ_t = W_hy h_t + b_y                       logits over the 17 levels of pixel t

The data: ``sklearn.datasets.load_digits`` (1 797 handwritten digits, 8 × 8 pixels with
17 grey levels 0 ... 16, a copy of the UCI "Optical Recognition of Handwritten Digits"
test set that ships inside scikit-learn, BSD-3-Clause). Nothing is downloaded.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["LEVELS", "SIDE", "digit_images", "PixelLSTM", "bits_per_pixel",
           "independent_bits_per_pixel", "sample"]

LEVELS = 17          # grey levels 0 ... 16 of the scikit-learn digits
SIDE = 8
PIXELS = SIDE * SIDE
START = LEVELS       # the token read before the first pixel


def digit_images(split="train"):
    """The 8 × 8 digits as (N, 64) int64 tensors of levels 0 ... 16, raster order.

    A fixed split: every fifth image (index mod 5 = 4) is ``"test"`` (359 images), the
    rest ``"train"`` (1 438); ``"all"`` gives all 1 797. Also returns the labels (N,).
    """
    from sklearn.datasets import load_digits

    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    digits = load_digits()
    images = torch.from_numpy(digits.data.astype(np.int64))
    labels = torch.from_numpy(digits.target.astype(np.int64))
    index = torch.arange(len(images))
    keep = {"train": index % 5 != 4, "test": index % 5 == 4,
            "all": torch.ones_like(index, dtype=torch.bool)}[split]
    return images[keep], labels[keep]


class PixelLSTM(nn.Module):
    """p(pixel t | pixels before t) for 8 × 8 images with 17 levels, one LSTM over the
    raster sequence.

    hidden_size (H), embedding_size: of the value and position embeddings, num_layers.
    ``forward(images)``: images (B, 64) int levels -> logits (64, B, 17), time-major;
    logit row t predicts pixel t from pixels 0 ... t − 1.
    """

    def __init__(self, hidden_size=64, embedding_size=32, num_layers=1):
        super().__init__()
        self.value = nn.Embedding(LEVELS + 1, embedding_size)
        self.position = nn.Embedding(PIXELS, embedding_size)
        self.lstm = nn.LSTM(embedding_size, hidden_size, num_layers)
        self.readout = nn.Linear(hidden_size, LEVELS)   # weight W_hy, bias b_y

    def step_inputs(self, previous, t):
        """Embedding of the previous pixels (B,) at position t: (B, embedding_size)."""
        return self.value(previous) + self.position.weight[t]

    def forward(self, images):
        if images.dim() != 2 or images.shape[1] != PIXELS:
            raise ValueError(f"images must have shape (B, {PIXELS}), got "
                             f"{tuple(images.shape)}")
        B = images.shape[0]
        previous = torch.cat([images.new_full((B, 1), START), images[:, :-1]], 1).t()
        e = self.value(previous) + self.position.weight[:, None, :]   # (64, B, E)
        h, _ = self.lstm(e)
        return self.readout(h)


def bits_per_pixel(model, images):
    """Negative log-likelihood of ``images`` (B, 64) under ``model``, in bits per pixel
    (mean over images and pixels of −log₂ p(x_t | x_<t))."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = model(images)
        nats = F.cross_entropy(logits.reshape(-1, LEVELS), images.t().reshape(-1))
    model.train(was_training)
    return nats.item() / math.log(2)


def independent_bits_per_pixel(train_images, test_images, smoothing=1.0):
    """The baseline that ignores every other pixel: one categorical distribution per
    position, estimated from ``train_images`` by counting (plus ``smoothing`` per
    level), evaluated on ``test_images``; bits per pixel."""
    counts = F.one_hot(train_images, LEVELS).sum(0).double() + smoothing   # (64, 17)
    log_p = torch.log2(counts / counts.sum(1, keepdim=True))
    picked = log_p.gather(1, test_images.t())                             # (64, N)
    return -picked.mean().item()


@torch.no_grad()
def sample(model, n, generator=None, temperature=1.0):
    """Draw ``n`` images pixel by pixel from ``model``: (n, 64) int64 levels."""
    was_training = model.training
    model.eval()
    previous = torch.full((n,), START, dtype=torch.int64)
    state, pixels = None, []
    for t in range(PIXELS):
        h, state = model.lstm(model.step_inputs(previous, t)[None], state)
        probs = F.softmax(model.readout(h[0]) / temperature, dim=-1)
        previous = torch.multinomial(probs, 1, generator=generator)[:, 0]
        pixels.append(previous)
    model.train(was_training)
    return torch.stack(pixels, 1)
