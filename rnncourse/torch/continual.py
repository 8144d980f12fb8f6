"""Continual prediction on an endless symbol stream (Gers, Schmidhuber & Cummins 2000).

The network reads the continual embedded Reber stream one symbol at a time and predicts
the set of symbols that may come next; nothing tells it where one string ends and the
next begins. Training is truncated backpropagation through time: each training step
sees the next ``K`` symbols of B parallel streams, and the state is carried from one
chunk to the next (detached). Each row of the batch is a sequence of independent
streams ("episodes", as in the paper, where a training stream starts anew after an
error); the state of a row is reset to zero where its next stream begins, and the rows
are staggered so that every chunk holds a few fresh starts.

:class:`ContinualPredictor` holds E independent networks (:class:`EnsembleLSTM`), each
with or without a forget gate, all reading the same symbols.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..data import long_lag
from .lstm_variants import EnsembleLSTM

__all__ = ["ContinualPredictor", "training_streams", "test_stream",
           "first_errors", "ERROR_THRESHOLD"]

# A prediction is correct if every output is within this of its target (Gers et al.
# 2000 use 0.49; whether on the absolute or squared error is not stated: absolute here).
ERROR_THRESHOLD = 0.49
N_SYMBOLS = len(long_lag.REBER_SYMBOLS)


def training_streams(batch_size, chunk, steps, episode_chunks, rng):
    """Inputs, targets and reset flags for ``steps`` training chunks of ``chunk``
    symbols.

    Row b is a run of independent continual streams of ``episode_chunks`` chunks each
    (the first one shortened by b mod episode_chunks chunks, which staggers the rows).
    Returns x (steps * chunk, B, 7) one-hot, y (steps * chunk, B, 7) the next-symbol
    sets, and starts (steps, B) bool: a new stream begins in that row at that chunk.
    """
    x = np.zeros((steps * chunk, batch_size, N_SYMBOLS), np.float32)
    y = np.zeros_like(x)
    starts = np.zeros((steps, batch_size), bool)
    for b in range(batch_size):
        j = 0
        while j < steps:
            n = min(episode_chunks - (j + b) % episode_chunks, steps - j)
            stream = long_lag.continual_reber_stream(n * chunk + 1, rng)
            x[j * chunk:(j + n) * chunk, b] = long_lag.encode(stream[:-1])
            y[j * chunk:(j + n) * chunk, b] = long_lag.next_symbol_sets(stream)[:-1]
            starts[j, b] = True
            j += n
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(starts)


def test_stream(length, n_streams, rng):
    """``n_streams`` fresh streams of ``length`` symbols: x, y (length, n, 7)."""
    streams = [long_lag.continual_reber_stream(length + 1, rng)
               for _ in range(n_streams)]
    x = np.stack([long_lag.encode(s[:-1]) for s in streams], 1).astype(np.float32)
    y = np.stack([long_lag.next_symbol_sets(s)[:-1] for s in streams], 1)
    return torch.from_numpy(x), torch.from_numpy(y.astype(np.float32))


class ContinualPredictor(nn.Module):
    """E next-symbol predictors: an :class:`EnsembleLSTM` and a sigmoid readout each.

    forget_gate: one bool per member (False: the 1997 cell). forward(x (T, B, 7),
    starts (B,) bool or None) -> logits (T, E, B, 7); the state is kept in
    ``self.state`` between calls (detached, so gradients stop at the chunk boundary),
    zeroed for the rows where ``starts`` is True. ``self.cells`` holds the cell states
    of the last call, (T, E, B, H).
    """

    def __init__(self, forget_gate, hidden_size, forget_bias=2.0):
        super().__init__()
        E, H = len(forget_gate), hidden_size
        self.lstm = EnsembleLSTM(E, N_SYMBOLS, H, forget_gate=list(forget_gate))
        with torch.no_grad():   # Gers et al. start forget gates open (biases +0.5..+2)
            self.lstm.bias[:, H:2 * H] = forget_bias
        bound = 1 / H ** 0.5
        self.W_hy = nn.Parameter(torch.empty(E, H, N_SYMBOLS).uniform_(-bound, bound))
        self.b_y = nn.Parameter(torch.zeros(E, 1, N_SYMBOLS))
        self.state, self.cells = None, None

    def reset(self):
        self.state = None

    def forward(self, x, starts=None):
        E = self.lstm.n_members
        if x.dim() != 3 or x.shape[2] != N_SYMBOLS:
            raise ValueError(f"x must have shape (T, B, {N_SYMBOLS}), got "
                             f"{tuple(x.shape)}")
        state = self.state
        if state is not None and starts is not None:
            keep = (~starts).to(x.dtype)[None, :, None]
            state = (state[0] * keep, state[1] * keep)
        T, B, D = x.shape
        outputs, self.cells, state = self.lstm(x[:, None].expand(T, E, B, D), state)
        self.state = tuple(s.detach() for s in state)
        return torch.einsum("tebh,ehk->tebk", outputs, self.W_hy) + self.b_y

    def loss(self, x, y, starts=None):
        """Mean binary cross-entropy per member, summed over members (each member
        gets exactly the gradient of its own loss)."""
        logits = self(x, starts)
        losses = F.binary_cross_entropy_with_logits(
            logits, y[:, None].expand_as(logits), reduction="none")
        return losses.mean(dim=(0, 2, 3)).sum()


def first_errors(logits, y, threshold=ERROR_THRESHOLD):
    """Symbols predicted correctly before the first error, per member and stream.

    logits: (T, E, n, 7); y: (T, n, 7). A step is wrong if any output σ(logit) is
    ``threshold`` or more away from its target. Returns (E, n) int64, T where no error
    occurred.
    """
    wrong = ((torch.sigmoid(logits) - y[:, None]).abs() >= threshold).any(-1)
    T = wrong.shape[0]
    return torch.where(wrong.any(0), wrong.to(torch.int64).argmax(0),
                       torch.full(wrong.shape[1:], T))
