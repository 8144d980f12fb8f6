"""Gated recurrent units in NumPy: one step and whole sequences, forward and backward.

Two GRUs are in use, and they differ only in where the reset gate acts.

**torch's GRU** (``torch.nn.GRU``, also cuDNN's), used by ``gru_step_*``,
``gru_forward`` and ``gru_backward``: r_t scales the hidden contribution *after*
the matrix product (the "reset-after" form)::

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate
    n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))    candidate
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

**Cho et al. (2014)'s GRU**, used by ``gru_cho_step_*``: r_t scales h_{t-1}
*before* the product (the "reset-before" form), so the candidate reads a reset
hidden state::

    n_t = tanh(W_in x_t + b_in + W_hn (r_t ⊙ h_{t-1}) + b_hn)

Cho et al. write their equations without biases; here b_hn is added after the
product, where r_t cannot reach it. The two forms agree when W_hn = 0 and b_hn = 0,
and in general differ.

Both use torch's update convention h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}: z_t near 1
keeps the old state. Cho et al. (2014) write their update the same way. Chung et al.
(2014) and the appendix of Bahdanau et al. (2015) swap z_t and 1 − z_t, so that their
z_t near 1 takes the candidate; the two conventions describe the same family of
models, with the sign of the update gate's pre-activation (its weights and biases)
flipped.

The candidate has recurrent weights of its own, W_hn (rows 2H..3H of ``W_hh``); a
candidate written with the update gate's W_hz is a common typo, not another variant.

The gate blocks are stacked in the order r, z, n: ``W_ih`` is (3H, D) with
``W_ih[0:H]`` = W_ir, ``W_ih[H:2H]`` = W_iz, ``W_ih[2H:3H]`` = W_in, and likewise
``W_hh`` (3H, H), ``b_ih`` (3H,), ``b_hh`` (3H,). The equations treat x_t and h_t
as column vectors; the step functions stack a batch as rows, x_t (B, D) and h_t (B, H).

Backward of torch's GRU, with dh the gradient on h_t and hn = W_hn h_{t-1} + b_hn::

    da_n = dh ⊙ (1 − z_t) ⊙ (1 − n_t²)        gradient on n_t's pre-activation
    da_z = dh ⊙ (h_{t-1} − n_t) ⊙ z_t(1 − z_t)
    da_r = da_n ⊙ hn ⊙ r_t(1 − r_t)
    dhn  = da_n ⊙ r_t                         what reaches hn through r_t ⊙ hn
    dh_{t-1} = dh ⊙ z_t + W_hhᵀ [da_r; da_z; dhn]
    dx_t     = W_ihᵀ [da_r; da_z; da_n]

so the input side and the hidden side see different gradients in the n block.
"""

import numpy as np

from ._checks import check_cache, check_cell_inputs, check_upstream
from .lstm import sigmoid
from .rnn import (
    input_grads,
    project_inputs,
    recurrent_weight_grad,
    stack_over_time,
    to_columns,
    to_rows,
)

__all__ = [
    "gru_step_forward",
    "gru_step_backward",
    "gru_forward",
    "gru_backward",
    "gru_cho_step_forward",
    "gru_cho_step_backward",
]


def _split3(a, H, axis=-1):
    """Views of the three blocks r, z, n (H each) stacked along ``axis``."""
    index = [slice(None)] * a.ndim
    blocks = []
    for k in range(3):
        index[axis] = slice(k * H, (k + 1) * H)
        blocks.append(a[tuple(index)])
    return tuple(blocks)


def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """One step of torch's GRU (reset gate applied after W_hn h_{t-1} + b_hn).

    Parameters
    ----------
    x : (B, D) input x_t
    h_prev : (B, H) hidden state h_{t-1}
    W_ih : (3H, D), W_hh : (3H, H), b_ih : (3H,), b_hh : (3H,)
        Gate blocks stacked in the order r, z, n (``torch.nn.GRU``'s layout).

    Returns
    -------
    h : (B, H) h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
    cache : dict
        What :func:`gru_step_backward` needs.
    """
    x, (h_prev,), W_ih, W_hh, b_ih, b_hh = check_cell_inputs(
        "GRU", x, {"h_prev": h_prev}, W_ih, W_hh, b_ih, b_hh, sequence=False)
    H = h_prev.shape[1]
    a_x = x @ W_ih.T + b_ih                     # (B, 3H) input side of all three blocks
    a_h = h_prev @ W_hh.T + b_hh                # (B, 3H) hidden side
    ax_r, ax_z, ax_n = _split3(a_x, H)
    ah_r, ah_z, hn = _split3(a_h, H)
    r = sigmoid(ax_r + ah_r)
    z = sigmoid(ax_z + ah_z)
    n = np.tanh(ax_n + r * hn)
    h = (1 - z) * n + z * h_prev
    cache = {"cell": "GRU step", "x": x, "h_prev": h_prev, "W_ih": W_ih, "W_hh": W_hh,
             "r": r, "z": z, "n": n, "hn": hn}
    return h, cache


def gru_step_backward(dh, cache):
    """Backward pass of :func:`gru_step_forward`.

    Parameters
    ----------
    dh : (B, H) gradient of the loss with respect to h_t
    cache : dict from :func:`gru_step_forward`

    Returns
    -------
    grads : dict
        ``x`` (B, D), ``h_prev`` (B, H), ``W_ih`` (3H, D), ``W_hh`` (3H, H),
        ``b_ih`` (3H,), ``b_hh`` (3H,).
    """
    check_cache(cache, "GRU step", "gru_step_forward", "gru_step_backward")
    x, h_prev, r, z, n, hn = (cache[k] for k in ("x", "h_prev", "r", "z", "n", "hn"))
    dh = check_upstream(
        "dh", dh, h_prev.shape, h_prev.dtype, "the hidden state h (B, H)"
    )
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)          # (B, 3H) input side
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)      # (B, 3H) hidden side
    return {
        "x": da_x @ cache["W_ih"],
        "h_prev": dh * z + da_h @ cache["W_hh"],
        "W_ih": da_x.T @ x,
        "W_hh": da_h.T @ h_prev,
        "b_ih": da_x.sum(axis=0),
        "b_hh": da_h.sum(axis=0),
    }


def gru_cho_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """One step of Cho et al. (2014)'s GRU (reset gate applied to h_{t-1} before W_hn).

    Same gates r_t, z_t and update h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1} as
    :func:`gru_step_forward`; only the candidate differs::

        n_t = tanh(W_in x_t + b_in + W_hn (r_t ⊙ h_{t-1}) + b_hn)

    Parameters
    ----------
    x : (B, D) input x_t
    h_prev : (B, H) hidden state h_{t-1}
    W_ih : (3H, D), W_hh : (3H, H), b_ih : (3H,), b_hh : (3H,)
        Gate blocks stacked in the order r, z, n, as for :func:`gru_step_forward`.

    Returns
    -------
    h : (B, H) the new hidden state h_t
    cache : dict
        What :func:`gru_cho_step_backward` needs.
    """
    x, (h_prev,), W_ih, W_hh, b_ih, b_hh = check_cell_inputs(
        "GRU", x, {"h_prev": h_prev}, W_ih, W_hh, b_ih, b_hh, sequence=False)
    H = h_prev.shape[1]
    W_hr, W_hz, W_hn = _split3(W_hh, H, axis=0)
    b_hr, b_hz, b_hn = _split3(b_hh, H)
    ax_r, ax_z, ax_n = _split3(x @ W_ih.T + b_ih, H)
    r = sigmoid(ax_r + h_prev @ W_hr.T + b_hr)
    z = sigmoid(ax_z + h_prev @ W_hz.T + b_hz)
    # (B, H) the hidden state the candidate sees
    reset_h = r * h_prev
    n = np.tanh(ax_n + reset_h @ W_hn.T + b_hn)
    h = (1 - z) * n + z * h_prev
    cache = {
        "cell": "GRU Cho step",
        "x": x,
        "h_prev": h_prev,
        "W_ih": W_ih,
        "W_hh": W_hh,
        "r": r,
        "z": z,
        "n": n,
        "reset_h": reset_h,
    }
    return h, cache


def gru_cho_step_backward(dh, cache):
    """Backward pass of :func:`gru_cho_step_forward`.

    With da_n = dh ⊙ (1 − z_t) ⊙ (1 − n_t²), the gradient on the reset state
    r_t ⊙ h_{t-1} is d(rh) = da_n W_hn; it splits into da_r = d(rh) ⊙ h_{t-1} ⊙
    r_t(1 − r_t) and a path d(rh) ⊙ r_t into h_{t-1}.

    Parameters
    ----------
    dh : (B, H) gradient of the loss with respect to h_t
    cache : dict from :func:`gru_cho_step_forward`

    Returns
    -------
    grads : dict
        ``x`` (B, D), ``h_prev`` (B, H), ``W_ih`` (3H, D), ``W_hh`` (3H, H),
        ``b_ih`` (3H,), ``b_hh`` (3H,).
    """
    check_cache(cache, "GRU Cho step", "gru_cho_step_forward", "gru_cho_step_backward")
    x, h_prev, r, z, n, reset_h = (
        cache[k] for k in ("x", "h_prev", "r", "z", "n", "reset_h")
    )
    W_hh = cache["W_hh"]
    H = h_prev.shape[1]
    W_hr, W_hz, W_hn = _split3(W_hh, H, axis=0)
    dh = check_upstream(
        "dh", dh, h_prev.shape, h_prev.dtype, "the hidden state h (B, H)"
    )
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    d_reset_h = da_n @ W_hn                     # (B, H) gradient on r_t ⊙ h_{t-1}
    da_r = d_reset_h * h_prev * r * (1 - r)
    da = np.concatenate([da_r, da_z, da_n], axis=1)             # (B, 3H)
    dh_prev = dh * z + d_reset_h * r + da_r @ W_hr + da_z @ W_hz
    # Each block of W_hh multiplies its own hidden input: h_{t-1} for r and z,
    # the reset state r_t ⊙ h_{t-1} for n.
    dW_hh = np.concatenate([da_r.T @ h_prev, da_z.T @ h_prev, da_n.T @ reset_h], axis=0)
    db = da.sum(axis=0)
    return {
        "x": da @ cache["W_ih"],
        "h_prev": dh_prev,
        "W_ih": da.T @ x,
        "W_hh": dW_hh,
        "b_ih": db,
        "b_hh": db.copy(),
    }


def gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run torch's GRU over a whole sequence.

    Parameters
    ----------
    x : (T, B, D) inputs x_1 ... x_T, time first
    h0 : (B, H) initial hidden state
    W_ih : (3H, D), W_hh : (3H, H), b_ih : (3H,), b_hh : (3H,)
        Gate blocks stacked in the order r, z, n (``torch.nn.GRU``'s layout).

    Returns
    -------
    out : (T, B, H) the hidden states h_1 ... h_T (the last one is the final state)
    cache : dict
        What :func:`gru_backward` needs.

    Notes
    -----
    The equations of :func:`gru_step_forward`, arranged for speed as described in
    :mod:`rnncourse.np.rnn` (one input projection, states as columns (H, B)).
    The biases b_hr and b_hz are folded into the input projection; b_hn cannot
    be, because r_t multiplies it. As in :func:`rnncourse.np.lstm_forward`, the
    r and z rows are halved beforehand so that σ(a) = (1 + tanh(a/2)) / 2.
    """
    x, (h0,), W_ih, W_hh, b_ih, b_hh = check_cell_inputs(
        "GRU", x, {"h0": h0}, W_ih, W_hh, b_ih, b_hh, sequence=True)
    T, B, D = x.shape
    H = h0.shape[1]
    dtype = x.dtype
    half = np.ones((3 * H, 1), dtype)
    half[:2 * H] = 0.5                           # r and z rows; n keeps its plain tanh
    input_bias = b_ih.copy()
    input_bias[:2 * H] += b_hh[:2 * H]
    gates = project_inputs(x, W_ih * half, input_bias * half[:, 0])   # (T, 3H, B)
    W_hh_half = W_hh * half
    b_hn = np.broadcast_to(b_hh[2 * H:, None], (H, B)).copy()         # tiled (H, B)

    # h[t] is the column block h_t; h[0] = h0
    h = np.empty((T + 1, H, B), dtype)
    h[0] = h0.T
    # W_hn h_{t-1} + b_hn, kept for backward
    hn = np.empty((T, H, B), dtype)
    recurrent = np.empty((3 * H, B), dtype)
    scratch = np.empty((H, B), dtype)

    for t in range(T):
        np.matmul(W_hh_half, h[t], out=recurrent)
        rz = gates[t, :2 * H]                    # r and z: sigmoids
        rz += recurrent[:2 * H]
        np.tanh(rz, out=rz)
        rz *= 0.5
        rz += 0.5
        r, z, n = _split3(gates[t], H, axis=0)
        np.add(recurrent[2 * H:], b_hn, out=hn[t])
        np.multiply(r, hn[t], out=scratch)       # n_t = tanh(W_in x + b_in + r ⊙ hn)
        n += scratch
        np.tanh(n, out=n)
        np.subtract(h[t], n, out=h[t + 1])       # h_t = n + z ⊙ (h_{t-1} − n)
        h[t + 1] *= z
        h[t + 1] += n

    cache = {"cell": "GRU", "x": x, "h": h, "gates": gates, "hn": hn,
             "W_ih": W_ih, "W_hh": W_hh}
    return to_rows(h[1:]), cache


def _gru_factors(gates, h, hn, H, dtype):
    """What the backward loop multiplies dh by, for all steps at once (columns).

    Returns ``hidden_factors`` (T, 3H, B) and ``input_n_factor`` (T, H, B) with, at
    step t and for the gradient dh on h_t,

        da_h = dh ⊙ hidden_factors[t]   = [da_r, da_z, dhn]   (hidden side)
        da_n = dh ⊙ input_n_factor[t]                         (input side of n)
    """
    # In-place arithmetic on views of preallocated arrays: few temporaries.
    r, z, n = _split3(gates, H, axis=1)
    one_minus_z = np.subtract(1, z, dtype=dtype)
    input_n_factor = np.multiply(n, n, dtype=dtype)     # (1 − z)(1 − n²)
    np.subtract(1, input_n_factor, out=input_n_factor)
    input_n_factor *= one_minus_z

    hidden_factors = np.empty(gates.shape, dtype)
    k_r, k_z, k_n = _split3(hidden_factors, H, axis=1)
    # k_r = (1 − z)(1 − n²) ⊙ hn ⊙ r(1 − r)
    np.subtract(1, r, out=k_r)
    k_r *= r
    k_r *= hn
    k_r *= input_n_factor
    np.subtract(h[:-1], n, out=k_z)                     # k_z = (h_{t-1} − n) ⊙ z(1 − z)
    k_z *= z
    k_z *= one_minus_z
    np.multiply(input_n_factor, r, out=k_n)             # k_n = (1 − z)(1 − n²) ⊙ r
    return hidden_factors, input_n_factor


def gru_backward(dout, cache):
    """Backward pass of :func:`gru_forward` (backpropagation through time).

    Parameters
    ----------
    dout : (T, B, H)
        Upstream gradient on every output h_t; the gradient on the final state
        h_T is ``dout[-1]``.
    cache : dict from :func:`gru_forward`

    Returns
    -------
    grads : dict
        ``x`` (T, B, D), ``h0`` (B, H), ``W_ih`` (3H, D), ``W_hh`` (3H, H),
        ``b_ih`` (3H,), ``b_hh`` (3H,).

    Notes
    -----
    The loop computes only the hidden-side gradients [da_r, da_z, dhn] of every
    step (one (T, 3H, B) array), dh_{t-1}, and keeps the dh of every step. The
    input side differs only in its n block, da_n = dh ⊙ (1 − z_t) ⊙ (1 − n_t²),
    formed for all steps at once after the loop. Then each weight gradient is
    one matrix product.
    """
    check_cache(cache, "GRU", "gru_forward", "gru_backward")
    x, h, gates, hn = cache["x"], cache["h"], cache["gates"], cache["hn"]
    W_ih, W_hh = cache["W_ih"], cache["W_hh"]
    T, B, D = x.shape
    H = h.shape[1]
    dout = check_upstream("dout", dout, (T, B, H), x.dtype, "the output out (T, B, H)")
    dout = to_columns(dout)
    dtype = dout.dtype

    da_hidden, input_n_factor = _gru_factors(gates, h, hn, H, dtype)
    da_hidden_blocks = da_hidden.reshape(T, 3, H, B)
    z = gates[:, H:2 * H]
    W_hh_T = np.ascontiguousarray(W_hh.T)
    dh = np.empty((T, H, B), dtype)              # gradient on h_t, for every step
    dh_recurrent = np.zeros((H, B), dtype)       # what reaches h_t from step t+1
    scratch = np.empty((H, B), dtype)

    for t in reversed(range(T)):
        np.add(dout[t], dh_recurrent, out=dh[t])
        da_hidden_blocks[t] *= dh[t]
        np.matmul(W_hh_T, da_hidden[t], out=dh_recurrent)
        # the direct path h_t = ... + z ⊙ h_{t-1}
        np.multiply(dh[t], z[t], out=scratch)
        dh_recurrent += scratch

    da_input = da_hidden.copy()
    np.multiply(dh, input_n_factor, out=da_input[:, 2 * H:])
    da_input = stack_over_time(da_input)
    da_hidden = stack_over_time(da_hidden)
    dx, dW_ih, db_ih = input_grads(da_input, x, W_ih)
    return {
        "x": dx,
        "h0": dh_recurrent.T.copy(),
        "W_ih": dW_ih,
        "W_hh": recurrent_weight_grad(da_hidden, h[:T]),
        "b_ih": db_ih,
        "b_hh": da_hidden @ np.ones(T * B, dtype),
    }
