"""Measuring and training through vanishing and exploding gradients, in PyTorch.

Many small independent networks are trained at once: every parameter has a leading
*ensemble* dimension E (one member per seed, sequence length, and with or without
clipping), and one batched matrix product (``torch.bmm``) runs all members' time step.
Members never share parameters, so the sum of their losses has exactly each member's own
gradient.

The ensemble RNN uses row vectors, as in Pascanu et al.'s code::

    h_t = tanh(x_t W_ih + h_{t-1} W_hh + b)   W_ih (E, D, H), W_hh (E, H, H)
    logits = h_T W_hy + b_y                   W_hy (E, H, K), b (E, 1, H), b_y (E, 1, K)

(W_hh here is the transpose of torch.nn.RNN's ``weight_hh_l0``.) Its backward pass
through time is written out by hand (:func:`ensemble_backward`): per step one
multiplication by tanh' and one batched product with W_hhᵀ, which is several times
faster than autograd for networks this small, and tested against autograd.

Sequences of different lengths share one ensemble: a shorter sequence is padded at the
*start*, and a mask m_t ∈ {0, 1} sets h_t = m_t tanh(...), so the state stays exactly
zero until the sequence begins and nothing flows back into the padding.
"""

import numpy as np
import torch
from torch.nn import functional as F

from ..data import synthetic

__all__ = [
    "init_ensemble", "ensemble_forward", "ensemble_backward", "ensemble_loss_and_grads",
    "member_norms", "clip_members", "temporal_order_batch", "train_temporal_order",
    "error_rate", "latch_unit", "train_latch", "hidden_gradient_norms",
]

PARAMETER_NAMES = ("W_ih", "W_hh", "b", "W_hy", "b_y")


def init_ensemble(n_members, input_size, hidden_size, output_size, generator, std=0.1):
    """Parameters of E independent tanh RNNs, every weight N(0, std²), biases zero.

    std = 0.1 is Pascanu et al.'s "basic tanh" initialisation (their code,
    ``init='basic_tanh'``).
    Returns a dict of float32 tensors with the shapes in the module docstring.
    """
    E, D, H, K = n_members, input_size, hidden_size, output_size
    return {
        "W_ih": torch.randn(E, D, H, generator=generator) * std,
        "W_hh": torch.randn(E, H, H, generator=generator) * std,
        "b": torch.zeros(E, 1, H),
        "W_hy": torch.randn(E, H, K, generator=generator) * std,
        "b_y": torch.zeros(E, 1, K),
    }


def _check_ensemble_input(params, x, mask):
    E, D, H = params["W_ih"].shape
    if x.dim() != 4 or x.shape[1] != E or x.shape[3] != D:
        raise ValueError(
            f"x must have shape (T, E, B, D) = (T, {E}, B, {D}), got {tuple(x.shape)}"
        )
    if mask is not None and tuple(mask.shape) != (x.shape[0], E, 1, 1):
        raise ValueError(
            f"mask must have shape (T, E, 1, 1) = {(x.shape[0], E, 1, 1)}, got "
            f"{tuple(mask.shape)}"
        )


def ensemble_forward(params, x, mask=None):
    """All hidden states of every member: x (T, E, B, D) -> hs (T + 1, E, B, H), hs[0] =
    0.

    mask : (T, E, 1, 1) of 0/1 or None (no padding).
    """
    _check_ensemble_input(params, x, mask)
    T, E, B, _ = x.shape
    H = params["W_hh"].shape[1]
    # input part, all steps
    pre = torch.einsum("tebd,edh->tebh", x, params["W_ih"]) + params["b"]
    hs = x.new_zeros(T + 1, E, B, H)
    for t in range(T):
        h = torch.tanh(torch.baddbmm(pre[t], hs[t], params["W_hh"]))
        hs[t + 1] = h if mask is None else h * mask[t]
    return hs


def ensemble_backward(params, x, hs, dh_last, mask=None):
    """Backpropagation through time for :func:`ensemble_forward`.

    dh_last : (E, B, H) gradient of the loss on h_T. With da_t = dh_t ⊙ (1 − h_t²) ⊙
    m_t: dh_{t-1} = da_t W_hhᵀ, dW_hh = Σ_t h_{t-1}ᵀ da_t, dW_ih = Σ_t x_tᵀ da_t, db =
    Σ_t da_t.
    Returns dict with W_ih, W_hh, b.
    """
    T = x.shape[0]
    W_hh_T = params["W_hh"].transpose(1, 2)
    da = torch.empty_like(hs[1:])
    dh = dh_last
    for t in range(T - 1, -1, -1):
        h = hs[t + 1]
        da[t] = dh * (1 - h * h) if mask is None else dh * (1 - h * h) * mask[t]
        dh = torch.bmm(da[t], W_hh_T)
    return {
        "W_ih": torch.einsum("tebd,tebh->edh", x, da),
        "W_hh": torch.einsum("tebi,tebh->eih", hs[:-1], da),
        "b": da.sum(dim=(0, 2)).unsqueeze(1),
    }


def ensemble_loss_and_grads(params, x, y, mask=None):
    """Mean cross-entropy of each member at the last step, and its gradients.

    x (T, E, B, D), y (E, B) class indices -> (loss (E,), grads dict, hs).
    """
    hs = ensemble_forward(params, x, mask)
    h_last = hs[-1].clone().requires_grad_(True)
    W_hy = params["W_hy"].detach().requires_grad_(True)
    b_y = params["b_y"].detach().requires_grad_(True)
    logits = torch.baddbmm(b_y, h_last, W_hy)                           # (E, B, K)
    E, B, K = logits.shape
    loss = (
        F.cross_entropy(logits.reshape(E * B, K), y.reshape(E * B), reduction="none")
        .view(E, B)
        .mean(1)
    )
    dh_last, dW_hy, db_y = torch.autograd.grad(loss.sum(), (h_last, W_hy, b_y))
    grads = ensemble_backward(params, x, hs, dh_last, mask)
    grads.update(W_hy=dW_hy, b_y=db_y)
    return loss.detach(), grads, hs


def member_norms(grads):
    """Global gradient norm of each member: sqrt(Σ over its parameters of Σ g²) -> (E,).
    """
    first = next(iter(grads.values()))
    return torch.sqrt(
        sum(g.reshape(first.shape[0], -1).pow(2).sum(1) for g in grads.values())
    )


def clip_members(grads, max_norm):
    """Clip each member's gradients by its own global norm (Pascanu et al. 2013,
    Algorithm 1).

    max_norm : (E,) thresholds, ``inf`` for members trained without clipping.
    Returns (clipped grads dict, norms before clipping (E,)).
    """
    norms = member_norms(grads)
    scale = torch.clamp(max_norm / torch.clamp(norms, min=1e-12), max=1.0)
    scale = torch.where(torch.isfinite(norms), scale, torch.zeros_like(scale))
    return {
        k: g * scale.view(-1, *([1] * (g.dim() - 1))) for k, g in grads.items()
    }, norms


def temporal_order_batch(lengths, batch_size, rng):
    """A temporal-order batch for an ensemble whose member e has sequence length
    lengths[e].

    Every member gets its own sequences; shorter ones are padded at the start.
    Returns x (T_max, E, B, 6), y (E, B) long, mask (T_max, E, 1, 1) float32 tensors.
    """
    lengths = np.asarray(lengths)
    E, T_max = len(lengths), int(lengths.max())
    x = np.zeros((T_max, E, batch_size, 6), dtype=np.float32)
    y = np.zeros((E, batch_size), dtype=np.int64)
    mask = np.zeros((T_max, E, 1, 1), dtype=np.float32)
    for length in np.unique(lengths):
        members = np.flatnonzero(lengths == length)
        xs, ys = synthetic.temporal_order(len(members) * batch_size, int(length), rng)
        x[T_max - length:, members] = xs.reshape(length, len(members), batch_size, 6)
        y[members] = ys.reshape(len(members), batch_size)
        mask[T_max - length:, members] = 1.0
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(mask)


def error_rate(params, lengths, n_sequences, rng):
    """Fraction of n_sequences fresh test sequences misclassified, per member -> (E,).
    """
    x, y, mask = temporal_order_batch(lengths, n_sequences, rng)
    with torch.no_grad():
        h_last = ensemble_forward(params, x, mask)[-1]
        logits = torch.baddbmm(params["b_y"], h_last, params["W_hy"])
    wrong = (logits.argmax(-1) != y).float().mean(1)
    return torch.where(
        torch.isfinite(logits).all(-1).all(-1), wrong, torch.ones_like(wrong)
    )


def train_temporal_order(params, lengths, max_norm, steps, lr, batch_size, rng):
    """Plain SGD on the temporal order problem, every member at once, in place.

    max_norm : (E,) clipping threshold per member (inf: no clipping).
    Returns the global gradient norms before clipping, (steps, E).
    """
    history = torch.empty(steps, len(lengths))
    for step in range(steps):
        x, y, mask = temporal_order_batch(lengths, batch_size, rng)
        _, grads, _ = ensemble_loss_and_grads(params, x, y, mask)
        grads, history[step] = clip_members(grads, max_norm)
        for name in PARAMETER_NAMES:
            params[name] -= lr * torch.nan_to_num(grads[name], nan=0.0)
    return history


def latch_unit(w, u, noise):
    """The latching unit h_t = tanh(w h_{t-1} + u_t + noise_t), h_0 = 0, for many units.

    w : (N,) recurrent weights; u : (T, N, C) inputs per class (zero after the free
    steps);
    noise : (T, N, C, B). Returns all states (T + 1, N, C, B).
    """
    T = noise.shape[0]
    states = [noise.new_zeros(noise.shape[1:])]
    for t in range(T):
        states.append(
            torch.tanh(w[:, None, None] * states[-1] + u[t][..., None] + noise[t])
        )
    return torch.stack(states)


def train_latch(
    lengths, n_seeds, n_free, steps, lr, batch_size, rng, target=0.8, w_init=(0.5, 1.5)
):
    """Bengio et al.'s latching problem for every (length, seed) at once.

    A unit of length T gets its trainable inputs u_1 ... u_L (one sequence per class,
    target ±0.8) at the last T steps of a T_max-step run (zero padding keeps h = 0
    before them, exactly, since the unit has no bias). Gradient descent on the squared
    error of h_T with fresh noise (variance 0.2) every step. Initial w ~ U(w_init), u ~
    N(0, 0.1²).

    Returns a dict: w (N,), u (N, 2, L) trained values, lengths (N,) with N =
    len(lengths) * n_seeds.
    """
    lengths = np.repeat(np.asarray(lengths), n_seeds)
    N, T_max = len(lengths), int(lengths.max())
    starts = T_max - lengths
    # place[t, n, l] = 1 at t = start_n + l
    place = np.zeros((T_max, N, n_free), dtype=np.float32)
    for l in range(n_free):
        place[starts + l, np.arange(N), l] = 1.0
    place = torch.from_numpy(place)
    active = torch.from_numpy(
        (np.arange(T_max)[:, None] >= (starts + n_free)[None, :]).astype(np.float32)
    )
    w = torch.tensor(
        rng.uniform(*w_init, size=N), dtype=torch.float32, requires_grad=True
    )
    u = torch.tensor(
        rng.normal(0, 0.1, size=(N, 2, n_free)), dtype=torch.float32, requires_grad=True
    )
    targets = torch.tensor([-target, target])[None, :, None]
    for _ in range(steps):
        noise = torch.from_numpy(
            synthetic.latch_noise(N * 2 * batch_size, T_max, 0, rng).astype(np.float32)
        )
        noise = noise.view(T_max, N, 2, batch_size) * active[:, :, None, None]
        inputs = torch.einsum("tnl,ncl->tnc", place, u)
        h_last = latch_unit(w, inputs, noise)[-1]
        loss = ((h_last - targets) ** 2).mean(dim=(1, 2)).sum()
        gw, gu = torch.autograd.grad(loss, (w, u))
        with torch.no_grad():
            w -= lr * gw
            u -= lr * gu
    return {
        "w": w.detach(),
        "u": u.detach(),
        "lengths": lengths,
        "place": place,
        "active": active,
    }


def hidden_gradient_norms(module, x, state=None, seed=0):
    """‖∂L/∂(state at t)‖ for t = 0 ... T, for a one-layer torch.nn.RNN or
    torch.nn.LSTM.

    The module runs one step at a time, so that every state is a node of the graph; the
    loss is L = Σ_b v · h_T[b] for a fixed random unit vector v. For an LSTM the state
    is (h_t, c_t)
    and the norm is taken over both. x: (T, B, D). Returns (T + 1,) mean over the batch.
    """
    T, B, _ = x.shape
    H = module.hidden_size
    lstm = isinstance(module, torch.nn.LSTM)
    if state is None:
        state = (
            (torch.zeros(1, B, H), torch.zeros(1, B, H))
            if lstm
            else torch.zeros(1, B, H)
        )
    states = [
        tuple(s.clone().requires_grad_(True) for s in state)
        if lstm
        else state.clone().requires_grad_(True)
    ]
    for t in range(T):
        _, new = module(x[t:t + 1], states[-1])
        for s in (new if lstm else (new,)):
            s.retain_grad()
        states.append(new)
    v = torch.randn(H, generator=torch.Generator().manual_seed(seed))
    last_h = states[-1][0] if lstm else states[-1]
    (last_h[0] @ (v / v.norm())).sum().backward()
    norms = []
    for s in states:
        parts = s if lstm else (s,)
        # the last c_T is an output nothing reads (h_T comes out of the same fused step)
        # (B,)
        squared = sum(p.grad[0].pow(2).sum(-1) for p in parts if p.grad is not None)
        norms.append(squared.sqrt().mean().item())
    return np.array(norms)

