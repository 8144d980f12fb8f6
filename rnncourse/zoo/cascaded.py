"""Pollack's (1991) sequential cascaded network, a dynamical recogniser.

Two networks are cascaded: a **context network** reads the state and outputs the
weights of a **function network**, which reads the current input and produces the next
state. With the state z_{t-1} (N,), the input x_t (D,) and V the context network's
weights (linear, as the weights it outputs need no squashing)::

    W_t = reshape(V [z_{t-1}; 1])          the function network's weights, (N, D + 1)
    z_t = σ(W_t [x_t; 1])

so each state selects a different function of the input. A string is accepted when
the designated state unit z_T[0] is above 0.5 after its last symbol; z_0 = 0.5 in
every unit here. Pollack trained it by backpropagation with a one-step truncation;
here autograd computes the full gradient through time.

Written out, z_t[i] = σ(Σ_{j,k} V[i, k, j] [z_{t-1}; 1]_j [x_t; 1]_k): a
second-order network (:mod:`rnncourse.zoo.second_order`) over the augmented vectors.
With one-hot inputs and no bias units the two are the same model.

Shapes: x (T, B, D), mask (T, B); V (N, D + 1, N + 1): V[i, k, j] is the weight that
state unit j (j = N: the bias) gives to input k (k = D: the bias) of function unit i.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = ["CascadedNetwork", "limit_behaviour"]


class CascadedNetwork(nn.Module):
    """A sequential cascaded network with N state units reading D inputs."""

    def __init__(self, n_states, n_inputs=2, init_scale=1.0, z0=0.5):
        super().__init__()
        for name, value in (("n_states", n_states), ("n_inputs", n_inputs)):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        N, D = int(n_states), int(n_inputs)
        self.V = nn.Parameter(torch.empty(N, D + 1, N + 1).uniform_(-init_scale,
                                                                   init_scale))
        self.z0 = float(z0)

    def function_weights(self, z):
        """The context network: W_t = V [z; 1], (B, N, D + 1) for states z (B, N)."""
        z1 = torch.cat([z, torch.ones_like(z[:, :1])], dim=1)
        return torch.einsum("ikj,bj->bik", self.V, z1)

    def step(self, z, x):
        """The function network with the weights the context network set: (B, N)."""
        x1 = torch.cat([x, torch.ones_like(x[:, :1])], dim=1)
        return torch.sigmoid(torch.einsum("bik,bk->bi", self.function_weights(z), x1))

    def forward(self, x, mask=None):
        """States z_1 ... z_T (T, B, N) and the final states (B, N)."""
        N, D1, _ = self.V.shape
        if x.dim() != 3 or x.shape[2] != D1 - 1:
            raise ValueError(
                f"x must have shape (T, B, D) with D = {D1 - 1} (from V), got "
                f"{tuple(x.shape)}"
            )
        T, B, _ = x.shape
        if mask is not None and mask.shape != (T, B):
            raise ValueError(f"mask must have shape (T, B) = {(T, B)}, got "
                             f"{tuple(mask.shape)}")
        z = x.new_full((B, N), self.z0)
        states = []
        for t in range(T):
            new = self.step(z, x[t])
            z = new if mask is None else torch.where(mask[t, :, None] > 0, new, z)
            states.append(z)
        return torch.stack(states), z

    @property
    def n_weights(self):
        return self.V.numel()


def limit_behaviour(model, symbol, n_steps=200, period_max=8, tol=1e-4):
    """Feed one symbol over and over and see where the state goes.

    Returns (period, states): the smallest p <= ``period_max`` with
    ‖z_T − z_{T−p}‖ < tol at the end (1: a fixed point, 2: a two-cycle, ...; None if
    none), and the last ``period_max`` + 1 states (numpy).
    """
    N, D1, _ = model.V.shape
    if not 0 <= symbol < D1 - 1:
        raise ValueError(f"symbol must be in 0 ... {D1 - 2}, got {symbol!r}")
    x = torch.zeros(n_steps, 1, D1 - 1)
    x[:, 0, symbol] = 1.0
    with torch.no_grad():
        states, _ = model(x)
    states = states[:, 0].numpy()
    for p in range(1, period_max + 1):
        if np.linalg.norm(states[-1] - states[-1 - p]) < tol:
            return p, states[-period_max - 1:]
    return None, states[-period_max - 1:]
