"""Jordan's (1986) network in PyTorch, trained through time, with don't-care targets.

The network is the one of chapter 3 (:mod:`rnncourse.np.elman`), with K output
units fed back into K state units that decay with weight μ::

    s_t = μ s_{t-1} + ŷ_{t-1}            (s_1 = μ s_0; ŷ_0 = 0)
    h_t = σ(W_ih x_t + W_sh s_t + b_h)
    ŷ_t = σ(W_hy h_t + b_y)

Here it is a ``torch.nn.Module`` so that it can be trained with the full gradient
through time and a *masked* loss: a target entry whose mask is 0 is a **don't-care**,
it contributes nothing to the loss and the network may output anything there. Jordan
used such targets to model coarticulation, and found that the unconstrained outputs
take values anticipating the next specified ones. ``teacher`` feeds targets back
instead of outputs (teacher forcing, where a target is a don't-care the output is fed
back).

Shapes: x (T, B, D) time-major (the plan, usually constant over a sequence), targets
and mask (T, B, K), s0 (B, K). Parameters as in :func:`rnncourse.np.elman.init_jordan`
(``W_ih`` (H, D), ``W_sh`` (H, K), ``b_h`` (H,), ``W_hy`` (K, H), ``b_y`` (K,)).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = ["JordanNetwork", "masked_mse", "distance_to_cycle", "dont_care_targets",
           "anticipation"]


class JordanNetwork(nn.Module):
    """Jordan's network: D plan inputs, H hidden units, K outputs and K state units.

    ``decay`` is μ (fixed, 0 <= μ < 1); ``init_scale``: weights uniform in ±scale.
    ``n_networks`` = M trains M independent networks side by side (one per random
    initialisation) on the same inputs: every parameter gets a leading axis M and the
    outputs an axis M after time, (T, M, B, K). Summing their losses keeps their
    gradients separate. With ``n_networks=None`` (one network) there is no such axis.
    """

    def __init__(self, input_size, hidden_size, output_size, decay=0.5,
                 init_scale=0.5, n_networks=None):
        super().__init__()
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size),
                            ("output_size", output_size)):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if n_networks is not None and (int(n_networks) != n_networks
                                       or n_networks < 1):
            raise ValueError(
                f"n_networks must be a positive integer or None, got {n_networks!r}"
            )
        if not 0 <= decay < 1:
            raise ValueError(f"decay μ must be in [0, 1), got {decay!r}")
        H, D, K = int(hidden_size), int(input_size), int(output_size)
        self.decay = float(decay)
        self.single = n_networks is None
        M = 1 if self.single else int(n_networks)
        shapes = {"W_ih": (H, D), "W_sh": (H, K), "b_h": (H,), "W_hy": (K, H),
                  "b_y": (K,)}
        for name, shape in shapes.items():
            self.register_parameter(name, nn.Parameter(
                torch.empty((M, *shape)).uniform_(-init_scale, init_scale)))

    @property
    def sizes(self):
        M, H, D = self.W_ih.shape
        return D, H, self.W_hy.shape[1]

    def load_numpy(self, params, network=0):
        """Copy a dict of NumPy arrays (chapter 3's layout) into one network."""
        with torch.no_grad():
            for name, value in params.items():
                getattr(self, name)[network].copy_(torch.as_tensor(np.asarray(value)))
        return self

    def step(self, x, s):
        """One step from the state s_t (M, B, K) and input x (B, D): h_t (M, B, H)
        and ŷ_t (M, B, K)."""
        # (B, D) @ (M, D, H) broadcasts to (M, B, H)
        a = (x @ self.W_ih.transpose(1, 2) + s @ self.W_sh.transpose(1, 2)
             + self.b_h[:, None])
        h = torch.sigmoid(a)
        y = torch.sigmoid(h @ self.W_hy.transpose(1, 2) + self.b_y[:, None])
        return h, y

    def forward(self, x, s0=None, teacher=None, teacher_mask=None):
        """Run over x (T, B, D) from the state s0 ((B, K), or (M, B, K) with M
        networks; zeros by default). Returns outputs and states, each (T, B, K), or
        (T, M, B, K) with M networks. ``teacher`` (T, B, K): targets fed back instead
        of the outputs, except where ``teacher_mask`` is 0."""
        D, H, K = self.sizes
        M = self.W_ih.shape[0]
        if x.dim() != 3 or x.shape[2] != D:
            raise ValueError(
                f"x must have shape (T, B, D) with D = {D} (from W_ih), got "
                f"{tuple(x.shape)}"
            )
        T, B, _ = x.shape
        if s0 is None:
            s = x.new_zeros(M, B, K)
        else:
            s = s0 if s0.dim() == 3 else s0.expand(M, *s0.shape)
            if s.shape != (M, B, K):
                raise ValueError(
                    f"s0 must have shape (B, K) = {(B, K)} or (M, B, K) = "
                    f"{(M, B, K)}, got {tuple(s0.shape)}"
                )
        if teacher is not None and teacher.shape != (T, B, K):
            raise ValueError(f"teacher must have shape (T, B, K) = {(T, B, K)}, got "
                             f"{tuple(teacher.shape)}")
        fed = x.new_zeros(M, B, K)
        outputs, states = [], []
        for t in range(T):
            s = self.decay * s + fed
            _, y = self.step(x[t], s)
            outputs.append(y)
            states.append(s)
            fed = y
            if teacher is not None:
                keep = 1.0 if teacher_mask is None else teacher_mask[t]
                fed = keep * teacher[t] + (1 - keep) * y
        outputs, states = torch.stack(outputs), torch.stack(states)
        if self.single:
            return outputs[:, 0], states[:, 0]
        return outputs, states


def masked_mse(outputs, targets, mask):
    """Mean of (ŷ − y)² over the entries where mask is 1 (the don't-cares are out).

    outputs: (T, B, K), or (T, M, B, K) for M networks, whose mean errors are summed
    (so that each network's gradient is its own); targets and mask: (T, B, K).
    """
    if not targets.shape == mask.shape or outputs.shape[-2:] != targets.shape[-2:] \
            or outputs.dim() not in (3, 4):
        raise ValueError(
            f"outputs (T, B, K) or (T, M, B, K), targets and mask (T, B, K) must "
            f"agree, got {tuple(outputs.shape)}, {tuple(targets.shape)}, "
            f"{tuple(mask.shape)}"
        )
    if outputs.dim() == 4:
        targets, mask = targets[:, None], mask[:, None]
        per_network = (mask * (outputs - targets) ** 2).sum(dim=(0, 2, 3))
        return per_network.sum() / mask.sum().clamp(min=1)
    return (mask * (outputs - targets) ** 2).sum() / mask.sum().clamp(min=1)


def distance_to_cycle(outputs, cycle):
    """How far each output (T, K) is from a periodic sequence ``cycle`` (P, K).

    The cycle may be entered at any phase: for each phase φ, the RMS distance of the
    last P outputs from the cycle shifted by φ; the smallest over φ. Returns the
    distance of every window of P consecutive steps, (T − P + 1,).
    """
    outputs = np.asarray(outputs, dtype=float)
    cycle = np.asarray(cycle, dtype=float)
    P = len(cycle)
    if outputs.ndim != 2 or cycle.ndim != 2 or outputs.shape[1] != cycle.shape[1] \
            or len(outputs) < P:
        raise ValueError(
            f"outputs (T, K) with T >= P and cycle (P, K) must share K, got "
            f"{outputs.shape} and {cycle.shape}"
        )
    windows = np.stack([outputs[t:t + P] for t in range(len(outputs) - P + 1)])
    shifts = np.stack([np.roll(cycle, -phi, axis=0) for phi in range(P)])
    rms = np.sqrt(((windows[:, None] - shifts[None]) ** 2).mean(axis=(2, 3)))
    return rms.min(axis=1)


def dont_care_targets(n_steps, n_features, rng, leading_max=3, interior=0.25):
    """Random binary targets (T, K) with don't-care entries, and their mask (T, K).

    Each feature is unspecified for its first 1 ... ``leading_max`` steps (drawn at
    random); after that, each entry except the last step is a don't-care with
    probability ``interior``. Every feature is specified at the last step.
    """
    T, K = int(n_steps), int(n_features)
    if not 1 <= leading_max < T - 1:
        raise ValueError(
            f"leading_max must be between 1 and T - 2 = {T - 2}, got {leading_max!r}"
        )
    if not 0 <= interior < 1:
        raise ValueError(f"interior must be a probability in [0, 1), got {interior!r}")
    targets = rng.integers(0, 2, size=(T, K)).astype(float)
    mask = (rng.random((T, K)) >= interior).astype(float)
    mask[-1] = 1.0
    for k in range(K):
        lead = int(rng.integers(1, leading_max + 1))
        mask[:lead, k] = 0.0
        mask[lead, k] = 1.0
    return targets, mask


def anticipation(outputs, targets, mask):
    """What the outputs do where the targets do not care.

    outputs: (T, ..., K); targets, mask: (T, ..., K) or (T, B, K) against outputs
    (T, M, B, K). For every don't-care entry, the next specified value of its feature
    (v_next) and, for interior don't-cares, the previous one (v_prev).

    Returns a dict of fractions over the don't-care entries (and networks):
    ``leading_side``: before a feature's first specification, the output is on the
    side of 0.5 of v_next; ``leading_next``: closer to v_next than to the specified
    value after it, where the two differ; ``interior_next``: between two different
    specified values, closer to v_next than to v_prev. The counts of entries behind
    each fraction are under ``n_leading``, ``n_leading_next``, ``n_interior``.
    """
    outputs = np.asarray(outputs, dtype=float)
    targets, mask = np.asarray(targets, dtype=float), np.asarray(mask, dtype=float)
    if targets.shape != mask.shape:
        raise ValueError(f"targets and mask must have one shape, got {targets.shape} "
                         f"and {mask.shape}")
    if outputs.ndim == targets.ndim + 1:            # (T, M, B, K): M networks
        outputs = np.moveaxis(outputs, 1, -1)       # (T, B, K, M)
    else:
        outputs = outputs[..., None]
    if outputs.shape[:-1] != targets.shape:
        raise ValueError(f"outputs {outputs.shape[:-1]} and targets {targets.shape} "
                         "do not match")
    T = targets.shape[0]
    flat_y = targets.reshape(T, -1)
    flat_m = mask.reshape(T, -1)
    flat_o = outputs.reshape(T, flat_y.shape[1], -1)
    side, next_vs_after, interior = [], [], []
    for j in range(flat_y.shape[1]):
        specified = np.flatnonzero(flat_m[:, j] > 0)
        for t in np.flatnonzero(flat_m[:, j] == 0):
            later, earlier = specified[specified > t], specified[specified < t]
            if len(later) == 0:
                continue
            o, v_next = flat_o[t, j], flat_y[later[0], j]
            if len(earlier) == 0:
                side.append((o > 0.5) == (v_next > 0.5))
                if len(later) > 1 and flat_y[later[1], j] != v_next:
                    v_after = flat_y[later[1], j]
                    next_vs_after.append(np.abs(o - v_next) < np.abs(o - v_after))
            elif flat_y[earlier[-1], j] != v_next:
                v_prev = flat_y[earlier[-1], j]
                interior.append(np.abs(o - v_next) < np.abs(o - v_prev))

    def fraction(values):
        return float(np.mean(values)) if len(values) else float("nan")

    return {
        "leading_side": fraction(side), "n_leading": int(np.size(side)),
        "leading_next": fraction(next_vs_after),
        "n_leading_next": int(np.size(next_vs_after)),
        "interior_next": fraction(interior), "n_interior": int(np.size(interior)),
    }
