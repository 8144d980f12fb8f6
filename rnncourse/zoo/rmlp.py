"""The recurrent multilayer perceptron (RMLP) of the system-identification
literature.

An RMLP is a multilayer perceptron whose hidden layers each have recurrent
connections *within* the layer, delayed by one step (every unit of a layer feeds
every unit of the same layer, itself included), while the layers are connected to
each other only forwards. With L hidden layers, h_t^0 = x_t and a linear output::

    h_t^l = tanh(W_ih^l h_t^{l-1} + W_hh^l h_{t-1}^l + b^l),     l = 1 ... L
    ŷ_t   = W_hy h_t^L + b_y

That is exactly a stacked (deep) Elman RNN with a linear readout, the network
``torch.nn.RNN(num_layers=L)`` computes (chapter 9): :class:`RMLP` is that module
plus a ``torch.nn.Linear``. Parlos, Chong & Atiya (1994) used the name and trained
RMLPs to model a heat exchanger's dynamics from input-output data; Puskorius &
Feldkamp (1994) trained them with extended Kalman filters for control.

:func:`narendra_plant` simulates a nonlinear plant of the kind used to test such
models, y_{t+1} = y_t / (1 + y_t²) + u_t³: the model sees the input u and must
produce the plant's output y, which depends on the whole input history.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = ["RMLP", "rmlp_forward_numpy", "narendra_plant", "plant_batch", "nmse"]


class RMLP(nn.Module):
    """L recurrent hidden layers of H tanh units and a linear output layer.

    forward(x (T, B, D)) -> ŷ (T, B, K). ``layers`` is torch.nn.RNN(D, H, L) itself,
    so its parameters are named weight_ih_l{l}, weight_hh_l{l}, ...
    """

    def __init__(self, input_size, hidden_size, output_size, num_layers=2):
        super().__init__()
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size),
                            ("output_size", output_size), ("num_layers", num_layers)):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.layers = nn.RNN(int(input_size), int(hidden_size), int(num_layers))
        self.readout = nn.Linear(int(hidden_size), int(output_size))

    def forward(self, x, state=None):
        D = self.layers.input_size
        if x.dim() != 3 or x.shape[2] != D:
            raise ValueError(
                f"x must have shape (T, B, D) with D = {D}, got {tuple(x.shape)}"
            )
        h, _ = self.layers(x, state)
        return self.readout(h)


def rmlp_forward_numpy(x, layers, W_hy, b_y):
    """The RMLP's equations, one layer and one step at a time, in NumPy.

    x: (T, B, D); layers: a list of dicts with W_ih (H, D_l), W_hh (H, H), b_ih, b_hh
    (H,) (torch's two biases, added); W_hy (K, H), b_y (K,). Returns ŷ (T, B, K).
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (T, B, D), got {x.shape}")
    T, B, _ = x.shape
    below = x
    for k, p in enumerate(layers):
        H, D = np.shape(p["W_ih"])
        if below.shape[2] != D:
            raise ValueError(
                f"layer {k}: W_ih must have shape (H, {below.shape[2]}), got "
                f"{np.shape(p['W_ih'])}"
            )
        h = np.zeros((B, H))
        out = np.empty((T, B, H))
        for t in range(T):
            h = np.tanh(below[t] @ np.asarray(p["W_ih"]).T + h @ np.asarray(p["W_hh"]).T
                        + p["b_ih"] + p["b_hh"])
            out[t] = h
        below = out
    return below @ np.asarray(W_hy).T + b_y


def narendra_plant(u, y0=0.0):
    """y_{t+1} = y_t / (1 + y_t²) + u_t³ driven by inputs u (T, ...).

    Returns y (T, ...), where y[t] is the output after input u[t] (the plant starts at
    y0)."""
    u = np.asarray(u, dtype=float)
    y = np.empty_like(u)
    state = np.full(u.shape[1:], float(y0))
    for t in range(len(u)):
        state = state / (1 + state ** 2) + u[t] ** 3
        y[t] = state
    return y


def plant_batch(T, B, rng):
    """B random input sequences u ~ U(−1, 1) of length T and the plant's outputs,
    as float32 tensors (T, B, 1) each."""
    u = rng.uniform(-1, 1, size=(T, B))
    y = narendra_plant(u)
    as_tensor = lambda a: torch.tensor(a[:, :, None], dtype=torch.float32)  # noqa: E731
    return as_tensor(u), as_tensor(y)


def nmse(prediction, target):
    """Mean squared error divided by the target's variance (1: no better than its
    mean)."""
    prediction, target = np.asarray(prediction), np.asarray(target)
    return float(np.mean((prediction - target) ** 2) / np.var(target))
