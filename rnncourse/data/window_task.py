"""Framewise targets for chapter 9: one that depends on past *and* future inputs,
for bidirectional RNNs, and one that needs depth.

In the spirit of the artificial-data experiments of Schuster & Paliwal (1997, Section
IV), whose exact setup is not reproduced here: the input is a sequence of independent
standard normal numbers x_0 ... x_{T-1}, and the class at step t says whether the sum of
a window around t, ``past`` steps back and ``future`` steps ahead, is positive::

    y_t = 1  if  x_{t-past} + ... + x_t + ... + x_{t+future} > 0,  else 0

(inputs outside the sequence count as 0). A network that reads the sequence forwards
knows x_{t+1} ... x_{t+future} only ``future`` steps later: a forward RNN must either
answer at t with half the window unseen, or answer with a *delay* d, at step t + d,
and remember the window for longer; a bidirectional RNN sees both sides at step t.

:func:`delayed` lines up the outputs of a network that answers with delay d with the
targets, so that networks with different delays are scored on the same steps.
"""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["past_future_window", "two_frame_ball", "delayed"]


def past_future_window(n_sequences, length, past, future, rng):
    """A batch of the window task.

    n_sequences (B), length (T), past and future: the window's extent (ints >= 0);
    rng: a ``numpy.random.Generator``.
    Returns x (T, B, 1) float32 and y (T, B) float32 in {0, 1}, time-major.
    """
    for name, value, low in [("n_sequences", n_sequences, 1), ("length", length, 1),
                             ("past", past, 0), ("future", future, 0)]:
        if not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    x = rng.standard_normal((length, n_sequences)).astype(np.float32)
    padded = np.concatenate([np.zeros((past, n_sequences), np.float32), x,
                             np.zeros((future, n_sequences), np.float32)])
    window_sum = sum(padded[k: k + length] for k in range(past + future + 1))
    y = (window_sum > 0).astype(np.float32)
    return torch.from_numpy(x[..., None]), torch.from_numpy(y)


def two_frame_ball(n_sequences, length, dim, rng):
    """Framewise labels that need a deep function of the current and the previous frame.

    Frames x_t ~ N(0, I_dim); the label says whether the last two frames lie inside a
    ball: y_t = 1 if ‖x_{t-1}‖² + ‖x_t‖² < r² (x_{-1} = 0), with r² the median of the
    χ² distribution with 2·dim degrees of freedom, so that about half the labels are 1.
    A ball is a hard shape for one layer of tanh units (each unit is a half-space) and
    an easy one for two (squares first, then a threshold on their sum): a task on which
    a second layer helps at equal parameter count (chapter 9).

    Returns x (T, B, dim) float32 and y (T, B) float32 in {0, 1}.
    """
    from scipy.stats import chi2

    for name, value in [("n_sequences", n_sequences), ("length", length),
                        ("dim", dim)]:
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    x = rng.standard_normal((length, n_sequences, dim)).astype(np.float32)
    energy = (x ** 2).sum(-1)
    pair = energy + np.concatenate([np.zeros((1, n_sequences), np.float32),
                                    energy[:-1]])
    y = (pair < chi2.median(2 * dim)).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(y)


def delayed(outputs, delays, n_steps):
    """The outputs that answer targets 0 ... n_steps − 1, for networks with delays.

    outputs: (T', E, B) one output per step of E networks (T' >= n_steps + max delay);
    delays: (E,) int tensor, network e answers target t at step t + delays[e].
    Returns (n_steps, E, B): row t holds each network's answer for target t.
    """
    delays = torch.as_tensor(delays, dtype=torch.int64)
    if outputs.dim() != 3 or outputs.shape[1] != len(delays):
        raise ValueError(f"outputs must have shape (T, E, B) with E = len(delays) = "
                         f"{len(delays)}, got {tuple(outputs.shape)}")
    if n_steps + int(delays.max()) > outputs.shape[0]:
        raise ValueError(f"outputs has {outputs.shape[0]} steps; answering "
                         f"{n_steps} targets with delay up to {int(delays.max())} "
                         f"needs {n_steps + int(delays.max())}")
    index = torch.arange(n_steps)[:, None] + delays[None, :]             # (n, E)
    return outputs.gather(0, index[:, :, None].expand(-1, -1, outputs.shape[2]))
