"""The fully recurrent network of Williams & Zipser (1989), trained in real time.

Every unit reads every unit (itself included), every external input and a bias, and
some of the units are the network's outputs: there is no separate output layer. With
N units, D inputs and the first K units as outputs, in the book's notation::

    h_t = σ(W_hh h_{t-1} + W_ih x_t + b),       ŷ_t = h_t[:K]

σ is the logistic function, as in the paper. Every other recurrent topology is a
special case, with some of these weights fixed at zero.

Williams & Zipser trained it with **real-time recurrent learning** (RTRL): instead of
storing the past and running backwards through it (BPTT, chapter 4), carry forward the
sensitivities P_t[k, i, j] = ∂h_t[k]/∂W[i, j] of every unit to every weight, with
W = [W_hh  W_ih  b] acting on z_t = [h_{t-1}; x_t; 1]::

    P_t[k, i, j] = σ'(a_t[k]) (Σ_l W_hh[k, l] P_{t-1}[l, i, j] + [k = i] z_t[j])

and the gradient of the error at step t is Σ_k e_t[k] P_t[k]. P has N·N·(N + D + 1)
entries and each step costs O(N⁴): cheap for the tiny networks of 1989, hopeless for
large ones. In exchange the gradient is available at every step, so the weights can be
updated online, while the network runs ("continually running" networks).

Parameters are a dict ``{"W_hh": (N, N), "W_ih": (N, D), "b": (N,)}``; one sequence is
x (T, D) with targets y (T, K) and a mask (T, K) (1 where a target is given). The loss
of a sequence is E = ½ Σ_t Σ_k mask · (ŷ_t − y_t)².
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "init_params", "check_params", "forward", "sequence_loss", "bptt_gradient",
    "rtrl_gradient", "train_rtrl", "delayed_recall", "accuracy",
]


def sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def init_params(n_units, n_inputs, rng, scale=0.5):
    """Weights uniform in [−scale, scale]: W_hh (N, N), W_ih (N, D), b (N,)."""
    if int(n_units) != n_units or n_units < 1 or int(n_inputs) != n_inputs \
            or n_inputs < 1:
        raise ValueError(
            f"n_units and n_inputs must be positive integers, got {n_units!r} and "
            f"{n_inputs!r}"
        )
    N, D = int(n_units), int(n_inputs)
    return {
        "W_hh": rng.uniform(-scale, scale, (N, N)),
        "W_ih": rng.uniform(-scale, scale, (N, D)),
        "b": rng.uniform(-scale, scale, N),
    }


def check_params(params):
    """The parameters as float arrays and (N, D); ValueError naming a wrong one."""
    missing = [k for k in ("W_hh", "W_ih", "b") if k not in params]
    if missing:
        raise ValueError(f"params must contain W_hh, W_ih and b, missing {missing}")
    p = {k: np.asarray(params[k], dtype=float) for k in ("W_hh", "W_ih", "b")}
    if p["W_hh"].ndim != 2 or p["W_hh"].shape[0] != p["W_hh"].shape[1]:
        raise ValueError(f"W_hh must have shape (N, N), got {p['W_hh'].shape}")
    N = p["W_hh"].shape[0]
    if p["W_ih"].ndim != 2 or p["W_ih"].shape[0] != N:
        raise ValueError(
            f"W_ih must have shape (N, D) = ({N}, D) for N = {N} units (from W_hh), "
            f"got {p['W_ih'].shape}"
        )
    if p["b"].shape != (N,):
        raise ValueError(f"b must have shape (N,) = ({N},), got {p['b'].shape}")
    return p, N, p["W_ih"].shape[1]


def _check_sequence(x, y, mask, D, N):
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != D:
        raise ValueError(
            f"x must have shape (T, D) = (T, {D}) (D from W_ih), got {x.shape}"
        )
    y = np.asarray(y, dtype=float)
    if y.ndim != 2 or y.shape[0] != x.shape[0] or not 1 <= y.shape[1] <= N:
        raise ValueError(
            f"y must have shape (T, K) = ({x.shape[0]}, K) with 1 <= K <= N = {N} "
            f"output units, got {y.shape}"
        )
    mask = np.ones_like(y) if mask is None else np.asarray(mask, dtype=float)
    if mask.shape != y.shape:
        raise ValueError(f"mask must have the shape of y, {y.shape}, got {mask.shape}")
    return x, y, mask


def forward(params, x, h0=None):
    """Run the network over x (T, D) from h0 (N,) (zeros by default): h (T + 1, N),
    with h[0] = h0 and h[t] the state after input t."""
    p, N, D = check_params(params)
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != D:
        raise ValueError(
            f"x must have shape (T, D) = (T, {D}) (D from W_ih), got {x.shape}"
        )
    h = np.zeros((len(x) + 1, N))
    if h0 is not None:
        h[0] = h0
    for t in range(len(x)):
        h[t + 1] = sigmoid(p["W_hh"] @ h[t] + p["W_ih"] @ x[t] + p["b"])
    return h


def sequence_loss(params, x, y, mask=None):
    """E = ½ Σ_t Σ_k mask (ŷ_t − y_t)² for one sequence."""
    p, N, D = check_params(params)
    x, y, mask = _check_sequence(x, y, mask, D, N)
    out = forward(p, x)[1:, : y.shape[1]]
    return 0.5 * float(np.sum(mask * (out - y) ** 2))


def bptt_gradient(params, x, y, mask=None):
    """∂E/∂params by backpropagation through time (for checking RTRL)."""
    p, N, D = check_params(params)
    x, y, mask = _check_sequence(x, y, mask, D, N)
    K = y.shape[1]
    h = forward(p, x)
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    dh = np.zeros(N)                                   # ∂E/∂h_t from later steps
    for t in range(len(x), 0, -1):
        dh[:K] += mask[t - 1] * (h[t, :K] - y[t - 1])
        da = dh * h[t] * (1 - h[t])                     # through σ
        grads["W_hh"] += np.outer(da, h[t - 1])
        grads["W_ih"] += np.outer(da, x[t - 1])
        grads["b"] += da
        dh = p["W_hh"].T @ da
    return grads


def _rtrl_step(p, P, h_prev, x_t):
    """One step of the network and of its sensitivities P (N, N, N + D + 1)."""
    z = np.concatenate([h_prev, x_t, [1.0]])
    W = np.hstack([p["W_hh"], p["W_ih"], p["b"][:, None]])
    h = sigmoid(W @ z)
    # P_t[k] = σ'(a_k) (Σ_l W_hh[k, l] P_{t-1}[l] + e_k z_tᵀ)
    P = np.tensordot(p["W_hh"], P, axes=(1, 0))
    P[np.arange(len(h)), np.arange(len(h))] += z
    P *= (h * (1 - h))[:, None, None]
    return h, P


def _split(grad_W, N, D):
    return {"W_hh": grad_W[:, :N], "W_ih": grad_W[:, N:N + D], "b": grad_W[:, -1]}


def rtrl_gradient(params, x, y, mask=None):
    """∂E/∂params by real-time recurrent learning, for fixed weights: equal to
    :func:`bptt_gradient` up to rounding."""
    p, N, D = check_params(params)
    x, y, mask = _check_sequence(x, y, mask, D, N)
    K = y.shape[1]
    P = np.zeros((N, N, N + D + 1))
    h = np.zeros(N)
    total = np.zeros((N, N + D + 1))
    for t in range(len(x)):
        h, P = _rtrl_step(p, P, h, x[t])
        error = mask[t] * (h[:K] - y[t])
        total += np.tensordot(error, P[:K], axes=(0, 0))
    return _split(total, N, D)


def train_rtrl(params, x, y, learning_rate, mask=None):
    """Williams & Zipser's online RTRL: after every step, W ← W − lr Σ_k e_k P[k].

    One continually running stream x (T, D), targets y (T, K); the network is never
    reset. ``params`` is one dict or a list of M dicts of the same sizes: M networks
    (e.g. M random initialisations) trained side by side on the same stream, in one
    vectorised loop. Returns the trained params in the same form (new arrays) and the
    squared error of every step, (T,) or (T, M).
    """
    many = isinstance(params, (list, tuple))
    checked = [check_params(q) for q in (params if many else [params])]
    N, D = checked[0][1:]
    if any(c[1:] != (N, D) for c in checked):
        raise ValueError(
            f"all networks must have the sizes (N, D) = {(N, D)}, got "
            f"{[c[1:] for c in checked]}"
        )
    x, y, mask = _check_sequence(x, y, mask, D, N)
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    K, M = y.shape[1], len(checked)
    # W[m] = [W_hh W_ih b] of network m, (M, N, N + D + 1), acting on z = [h; x; 1]
    W = np.stack([np.hstack([c[0]["W_hh"], c[0]["W_ih"], c[0]["b"][:, None]])
                  for c in checked])
    P = np.zeros((M, N, N, N + D + 1))
    z = np.zeros((M, N + D + 1))
    z[:, -1] = 1.0
    units = np.arange(N)
    errors = np.zeros((len(x), M))
    for t in range(len(x)):
        z[:, N:N + D] = x[t]
        h = sigmoid(np.einsum("mij,mj->mi", W, z))
        # P_t[k] = σ'(a_k) (Σ_l W_hh[k, l] P_{t-1}[l] + e_k z_tᵀ)
        P = np.einsum("mkl,mlij->mkij", W[:, :, :N], P)
        P[:, units, units] += z[:, None, :]
        P *= (h * (1 - h))[:, :, None, None]
        error = mask[t] * (h[:, :K] - y[t])                         # (M, K)
        errors[t] = (error ** 2).sum(axis=1)
        W -= learning_rate * np.einsum("mk,mkij->mij", error, P[:, :K])
        z[:, :N] = h
    trained = [_split(w.copy(), N, D) for w in W]
    return (trained, errors) if many else (trained[0], errors[:, 0])


def delayed_recall(T, delay, rng):
    """A random bit stream x_t and the target y_t = x_{t − delay} (0 before).

    Returns x (T, 1), y (T, 1) and the mask (T, 1), which is 0 for the first ``delay``
    steps, where no earlier bit exists.
    """
    if int(delay) != delay or delay < 0 or int(T) != T or T <= delay:
        raise ValueError(
            f"delay must be a non-negative integer below T, got delay={delay!r}, "
            f"T={T!r}"
        )
    bits = rng.integers(0, 2, size=int(T)).astype(float)
    target = np.zeros(int(T))
    target[delay:] = bits[: T - delay]
    mask = np.ones(int(T))
    mask[:delay] = 0
    return bits[:, None], target[:, None], mask[:, None]


def accuracy(params, x, y, mask=None):
    """Fraction of masked-in targets whose output unit is on the right side of 0.5."""
    p, N, D = check_params(params)
    x, y, mask = _check_sequence(x, y, mask, D, N)
    out = forward(p, x)[1:, : y.shape[1]]
    right = ((out > 0.5) == (y > 0.5)) & (mask > 0)
    return float(right.sum() / mask.sum())
