"""Schmidhuber's (1992) neural history compressor: a hierarchy of predictors.

The lowest level, the *automatizer*, is a recurrent network trained to predict its
next input. Whatever it predicts adds no information, so only the inputs it fails to
predict are passed up: the next level, the *chunker*, sees a shorter sequence made of
the unexpected events alone, and learns to predict *those*. A dependency that spans
many steps at the bottom, where most steps are predictable, spans few steps at the
top: "history compression".

Here an input counts as *unpredicted* when the probability that the automatizer gave
it one step earlier is below a threshold (0.9 by default: a symbol given even odds was
not predicted), and the first input of a stream always is. Schmidhuber also gives the
chunker the time at which each event happened; we leave it out.

The demonstration task (:func:`chain_stream`): episodes of a start symbol (X or Y,
at random), a fixed chain c_1 ... c_L that never varies, and an end symbol that
depends on the start (X ... p, Y ... q), concatenated into one stream. The chain is
predictable step by step; the end symbol is predictable only from a symbol L + 1
steps back; the start symbol is not predictable at all.

Both levels are :class:`Predictor` networks trained with truncated backpropagation
through time (:class:`rnncourse.torch.word_lm.TruncatedBPTT`): with windows shorter
than L + 1 the automatizer cannot learn the end symbol; the chunker, whose events are
one step apart, can.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from rnncourse.data.corpus import batchify
from rnncourse.torch.word_lm import TruncatedBPTT, window_batches
from rnncourse.train import train

__all__ = ["chain_stream", "symbol_names", "Predictor", "train_predictor",
           "predicted_probabilities", "unpredicted", "compress"]

START = (0, 1)   # X, Y


def chain_stream(n_episodes, chain_length, rng):
    """A stream of ``n_episodes`` episodes [start, c_1 ... c_L, end].

    Symbols: 0 = X, 1 = Y (the start, fair coin), 2 ... L + 1 = the chain, L + 2 = p
    (the end after X), L + 3 = q (after Y). Returns the ids (n_episodes (L + 2),)
    as a LongTensor and the vocabulary size K = L + 4.
    """
    if int(chain_length) != chain_length or chain_length < 1:
        raise ValueError(f"chain_length must be a positive integer, got "
                         f"{chain_length!r}")
    if int(n_episodes) != n_episodes or n_episodes < 1:
        raise ValueError(f"n_episodes must be a positive integer, got {n_episodes!r}")
    L = int(chain_length)
    starts = rng.integers(0, 2, size=int(n_episodes))
    chain = np.arange(2, L + 2)
    episodes = [np.concatenate([[s], chain, [L + 2 + s]]) for s in starts]
    return torch.as_tensor(np.concatenate(episodes), dtype=torch.long), L + 4


def symbol_names(chain_length):
    """Readable names of the symbols of :func:`chain_stream`."""
    L = int(chain_length)
    return ["X", "Y"] + [f"c{k}" for k in range(1, L + 1)] + ["p", "q"]


class Predictor(nn.Module):
    """Next-symbol predictor: embedding, a tanh RNN and a linear output layer.

    forward(x (T, B) ids, state (1, B, H) or None) -> logits (T, B, K), state.
    """

    def __init__(self, vocab_size, hidden_size):
        super().__init__()
        for name, value in (("vocab_size", vocab_size), ("hidden_size", hidden_size)):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.embed = nn.Embedding(int(vocab_size), int(hidden_size))
        self.rnn = nn.RNN(int(hidden_size), int(hidden_size))
        self.out = nn.Linear(int(hidden_size), int(vocab_size))

    def forward(self, x, state=None):
        if x.dim() != 2:
            raise ValueError(f"x must be (T, B) symbol ids, got {tuple(x.shape)}")
        h, state = self.rnn(self.embed(x), state)
        return self.out(h), state


def train_predictor(model, ids, *, steps, unroll, batch_size=16, lr=1e-2, seed=0,
                    progress=False):
    """Train ``model`` to predict the next symbol of the stream ``ids`` (N,).

    The stream is cut into ``batch_size`` streams read side by side; each step takes
    the next ``unroll`` symbols, starting from the previous window's state, detached
    (truncated BPTT: no gradient spans more than ``unroll`` steps). Adam, learning rate
    ``lr``. Returns the history of :func:`rnncourse.train.train`.
    """
    data = batchify(torch.as_tensor(ids), batch_size)
    return train(model, TruncatedBPTT(), window_batches(data, unroll), steps=steps,
                 lr=lr, seed=seed, progress=progress, clip=1.0)


@torch.no_grad()
def predicted_probabilities(model, ids):
    """The probability the model gave each symbol one step before it came, reading
    the whole stream (N,) with its state carried: (N,), with nan for the first."""
    ids = torch.as_tensor(ids)
    logits, _ = model(ids[:-1, None])
    p = torch.softmax(logits[:, 0], dim=-1).gather(1, ids[1:, None])[:, 0]
    return torch.cat([torch.tensor([float("nan")]), p]).numpy()


def unpredicted(model, ids, threshold=0.9):
    """Which symbols of the stream the model failed to predict: (N,) bool, True where
    the probability it gave the symbol was below ``threshold`` (and for the first)."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    p = predicted_probabilities(model, ids)
    surprise = ~(p >= threshold)          # nan (the first symbol) counts as surprise
    return surprise


def compress(ids, surprise):
    """The chunker's sequence: the unpredicted symbols, and where they were.

    Returns (ids[surprise] as a LongTensor, their positions (M,))."""
    ids = torch.as_tensor(ids)
    surprise = np.asarray(surprise, dtype=bool)
    if surprise.shape != tuple(ids.shape):
        raise ValueError(f"surprise must have the shape of ids, {tuple(ids.shape)}, "
                         f"got {surprise.shape}")
    positions = np.flatnonzero(surprise)
    return ids[torch.as_tensor(positions, dtype=torch.long)], positions
