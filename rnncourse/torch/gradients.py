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
    "cliff_unit", "cliff_loss", "cliff_wall", "descend_cliff",
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


def error_rate(params, lengths, n_sequences, rng, chunk=250):
    """Fraction of n_sequences fresh test sequences misclassified, per member -> (E,).

    The sequences are drawn at once and run through the network ``chunk`` at a time,
    keeping only the last state, so that memory stays small for large test sets.
    """
    x, y, mask = temporal_order_batch(lengths, n_sequences, rng)
    T, E, B, _ = x.shape
    logits = []
    with torch.no_grad():
        for start in range(0, B, chunk):
            xs = x[:, :, start:start + chunk]
            h = xs.new_zeros(E, xs.shape[2], params["W_hh"].shape[1])
            for t in range(T):
                pre = torch.baddbmm(params["b"], xs[t], params["W_ih"])
                h = torch.tanh(torch.baddbmm(pre, h, params["W_hh"])) * mask[t]
            logits.append(torch.baddbmm(params["b_y"], h, params["W_hy"]))
    logits = torch.cat(logits, dim=1)
    wrong = (logits.argmax(-1) != y).float().mean(1)
    return torch.where(
        torch.isfinite(logits).all(-1).all(-1), wrong, torch.ones_like(wrong)
    )


def train_temporal_order(params, lengths, max_norm, steps, lr, batch_size, rng):
    """Plain SGD on the temporal order problem, every member at once, in place.

    Each step draws a fresh minibatch for every member, computes each member's loss and
    gradients (:func:`ensemble_loss_and_grads`), clips each member by its own global
    norm (:func:`clip_members`) and takes the step p ← p − lr_e ĝ_e.

    max_norm : (E,) clipping threshold κ per member (inf: no clipping).
    lr : a float, or (E,) learning rates, one per member.
    Returns the global gradient norms before clipping, (steps, E).
    """
    E = len(lengths)
    lr = torch.as_tensor(lr, dtype=torch.float32)
    if lr.dim() == 0:
        lr = lr.expand(E)
    if tuple(lr.shape) != (E,):
        raise ValueError(
            f"lr must be a float or have shape (E,) = ({E},), got {tuple(lr.shape)}"
        )
    history = torch.empty(steps, E)
    for step in range(steps):
        x, y, mask = temporal_order_batch(lengths, batch_size, rng)
        _, grads, _ = ensemble_loss_and_grads(params, x, y, mask)
        grads, history[step] = clip_members(grads, max_norm)
        for name in PARAMETER_NAMES:
            rate = lr.view(-1, *([1] * (params[name].dim() - 1)))
            params[name] -= rate * torch.nan_to_num(grads[name], nan=0.0)
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
    is (h_t, c_t) and the norm is taken over both. x: (T, B, D), in the module's dtype:
    use float64 (``module.double()``, ``x.double()``) when the gradient falls below
    float32's smallest number (about 1e-45), which a vanishing gradient does within a
    few hundred steps. Returns (T + 1,) mean over the batch.
    """
    T, B, _ = x.shape
    H = module.hidden_size
    lstm = isinstance(module, torch.nn.LSTM)
    if state is None:
        state = (
            (x.new_zeros(1, B, H), x.new_zeros(1, B, H))
            if lstm
            else x.new_zeros(1, B, H)
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
    v = torch.randn(H, generator=torch.Generator().manual_seed(seed)).to(x.dtype)
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


# --------------------------------------------------------------------------------------
# Pascanu et al.'s single-unit cliff
# --------------------------------------------------------------------------------------

def cliff_unit(w, b, steps=50, h0=0.5):
    """h_T of the unit h_t = w σ(h_{t-1}) + b after ``steps`` steps from h_0 = ``h0``.

    Pascanu et al. (2013, Sec. 2.2) write it x_t = w σ(x_{t-1}) + b. w, b: tensors of
    one shape, one unit per entry; returns h_T with that shape. For large w the map has
    two stable fixed points, and where one of them appears or disappears (a
    bifurcation) h_T jumps: the loss surface has a cliff there.
    """
    h = torch.full_like(w, h0)
    for _ in range(steps):
        h = w * torch.sigmoid(h) + b
    return h


def cliff_loss(w, b, steps=50, h0=0.5, target=0.7):
    """(h_T − target)² for :func:`cliff_unit`, elementwise over w and b."""
    return (cliff_unit(w, b, steps, h0) - target) ** 2


def cliff_wall(w, b_low, b_high, n_grid=4001, **unit):
    """Where the cliff crosses the line of fixed w: the b of the largest loss jump.

    For each w, the loss is evaluated at ``n_grid`` equally spaced b in [b_low,
    b_high]; the wall is the midpoint of the two neighbouring grid points between which
    the loss changes most. Returns b (len(w),) float64; its error is at most half the
    grid spacing. ``unit``: steps, h0, target of :func:`cliff_loss`.
    """
    w = torch.as_tensor(w, dtype=torch.float64).reshape(-1, 1)
    b = torch.linspace(b_low, b_high, n_grid, dtype=torch.float64).reshape(1, -1)
    loss = cliff_loss(w.expand(-1, n_grid), b.expand(len(w), -1), **unit)
    jump = loss.diff(dim=1).abs().argmax(dim=1)
    return ((b[0, jump] + b[0, jump + 1]) / 2).numpy()


def descend_cliff(w, b, lr, n_steps, max_norm=None, **unit):
    """Gradient descent on :func:`cliff_loss` from many starts at once.

    w, b: (M,) starting points. Each start is its own run: its gradient g = (∂L/∂w,
    ∂L/∂b) is clipped by its own norm, ĝ = g · min(1, κ/‖g‖) with κ = ``max_norm``
    (None: no clipping), and p ← p − lr ĝ. Returns the path (n_steps + 1, 2, M) and the
    norms ‖g‖ before clipping (n_steps, M), both float64 tensors.
    """
    p = torch.stack([torch.as_tensor(w, dtype=torch.float64),
                     torch.as_tensor(b, dtype=torch.float64)]).requires_grad_(True)
    path, norms = [p.detach().clone()], []
    for _ in range(n_steps):
        g, = torch.autograd.grad(cliff_loss(p[0], p[1], **unit).sum(), p)
        norm = g.norm(dim=0)
        norms.append(norm)
        if max_norm is not None:
            g = g * torch.clamp(max_norm / norm.clamp(min=1e-300), max=1.0)
        with torch.no_grad():
            p -= lr * g
        path.append(p.detach().clone())
    return torch.stack(path), torch.stack(norms)
