"""Long short-term memory in NumPy: one step and whole sequences, forward and backward.

The cell follows Hochreiter & Schmidhuber (1997) with the forget gate of Gers et al.
(2000), in the form and parameter layout of ``torch.nn.LSTM``::

    i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)        input gate
    f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)        forget gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)     candidate cell
    o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)        output gate
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

The four gate blocks are stacked in the order i, f, g, o: ``W_ih`` is (4H, D) with
``W_ih[0:H]`` = W_ii, ``W_ih[H:2H]`` = W_if, ..., and likewise ``W_hh`` (4H, H),
``b_ih`` (4H,) and ``b_hh`` (4H,). The equations treat x_t and h_t as column vectors;
the step functions stack a batch as rows, x_t (B, D), h_t and c_t (B, H), so W x
is written ``x @ W.T`` there.

Backward, with dh and dc the upstream gradients on h_t and c_t and da the gradient
on the pre-activation a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh (all four blocks)::

    dc ← dc + dh ⊙ o_t ⊙ (1 − tanh²(c_t))       the cell also reaches the loss via h_t
    da_i = dc ⊙ g_t ⊙ i_t(1 − i_t)
    da_f = dc ⊙ c_{t-1} ⊙ f_t(1 − f_t)
    da_g = dc ⊙ i_t ⊙ (1 − g_t²)
    da_o = dh ⊙ tanh(c_t) ⊙ o_t(1 − o_t)
    dc_{t-1} = dc ⊙ f_t                          the constant error carousel
    dh_{t-1} = W_hhᵀ da      dx_t = W_ihᵀ da
    dW_ih = Σ_t da x_tᵀ      dW_hh = Σ_t da h_{t-1}ᵀ

h_{t-1} enters the gates only through the matrix product, so dh_{t-1} has no extra
activation-derivative factor.
"""

import numpy as np

from . import _workspace
from ._checks import check_cache, check_cell_inputs, check_upstream

__all__ = [
    "sigmoid",
    "lstm_step_forward",
    "lstm_step_backward",
    "lstm_forward",
    "lstm_backward",
]


def sigmoid(a):
    """Logistic function σ(a) = 1 / (1 + e^(−a)), elementwise, any shape and float
    dtype.

    Written with e^(−|a|) ≤ 1, which never overflows: σ(a) = 1 / (1 + e^(−a)) for
    a ≥ 0 and e^(a) / (1 + e^(a)) for a < 0 (the same function, multiplied by
    e^(a) / e^(a)). Both forms keep full relative precision in their tail.
    """
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def _split_gates(gates, H, axis=-1):
    """Views of the four gate blocks (H each) stacked along ``axis``, in stored
    order."""
    index = [slice(None)] * gates.ndim
    blocks = []
    for k in range(4):
        index[axis] = slice(k * H, (k + 1) * H)
        blocks.append(gates[tuple(index)])
    return tuple(blocks)


def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step: (x_t, h_{t-1}, c_{t-1}) -> (h_t, c_t).

    Parameters
    ----------
    x : (B, D) input x_t
    h_prev : (B, H) hidden state h_{t-1}
    c_prev : (B, H) cell state c_{t-1}
    W_ih : (4H, D), W_hh : (4H, H), b_ih : (4H,), b_hh : (4H,)
        Gate blocks stacked in the order i, f, g, o (``torch.nn.LSTM``'s layout).

    Returns
    -------
    h : (B, H) h_t = o_t ⊙ tanh(c_t)
    c : (B, H) c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    cache : dict
        What :func:`lstm_step_backward` needs.
    """
    x, (h_prev, c_prev), W_ih, W_hh, b_ih, b_hh = check_cell_inputs(
        "LSTM", x, {"h_prev": h_prev, "c_prev": c_prev}, W_ih, W_hh, b_ih, b_hh,
        sequence=False)
    H = h_prev.shape[1]
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh        # (B, 4H) pre-activations
    a_i, a_f, a_g, a_o = _split_gates(a, H)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    cache = {
        "cell": "LSTM step",
        "x": x,
        "h_prev": h_prev,
        "c_prev": c_prev,
        "W_ih": W_ih,
        "W_hh": W_hh,
        "i": i,
        "f": f,
        "g": g,
        "o": o,
        "tanh_c": tanh_c,
    }
    return h, c, cache


def lstm_step_backward(dh, dc, cache):
    """Backward pass of :func:`lstm_step_forward`.

    Parameters
    ----------
    dh : (B, H) gradient of the loss with respect to h_t (None means zeros)
    dc : (B, H) gradient of the loss with respect to c_t (None means zeros)
    cache : dict from :func:`lstm_step_forward`

    Returns
    -------
    grads : dict
        ``x`` (B, D), ``h_prev`` (B, H), ``c_prev`` (B, H), ``W_ih`` (4H, D),
        ``W_hh`` (4H, H), ``b_ih`` (4H,), ``b_hh`` (4H,).
    """
    check_cache(cache, "LSTM step", "lstm_step_forward", "lstm_step_backward")
    i, f, g, o, tanh_c = (cache[k] for k in ("i", "f", "g", "o", "tanh_c"))
    x, h_prev, c_prev = cache["x"], cache["h_prev"], cache["c_prev"]
    shape, dtype = h_prev.shape, h_prev.dtype
    dh = np.zeros(shape, dtype) if dh is None else check_upstream(
        "dh", dh, shape, dtype, "the hidden state h (B, H)")
    dc = np.zeros(shape, dtype) if dc is None else check_upstream(
        "dc", dc, shape, dtype, "the cell state c (B, H)")

    # h_t = o_t ⊙ tanh(c_t) also depends on c_t
    dc = dc + dh * o * (1 - tanh_c ** 2)
    da = np.concatenate([
        dc * g * i * (1 - i),                   # input gate
        dc * c_prev * f * (1 - f),              # forget gate
        dc * i * (1 - g ** 2),                  # candidate
        dh * tanh_c * o * (1 - o),              # output gate
    ], axis=1)                                  # (B, 4H)
    db = da.sum(axis=0)
    return {
        "x": da @ cache["W_ih"],
        "h_prev": da @ cache["W_hh"],
        "c_prev": dc * f,
        "W_ih": da.T @ x,
        "W_hh": da.T @ h_prev,
        "b_ih": db,
        "b_hh": db.copy(),
    }


# The sequence functions keep the gate blocks in the order o, i, f, g internally (rows
# permuted once): the three sigmoid gates are then one block of rows, and so are the
# three gates whose gradients scale with dc in backward.
_INTERNAL_ORDER = (3, 0, 1, 2)          # o, i, f, g as blocks of the public i, f, g, o


def _to_internal(rows, H):
    """Permute the gate blocks of a (4H, ...) array from i, f, g, o to o, i, f, g."""
    return np.concatenate([rows[k * H:(k + 1) * H] for k in _INTERNAL_ORDER])


def _to_public(rows, H):
    """Permute the gate blocks of a (4H, ...) array from o, i, f, g back to i, f, g, o.
    """
    o, i, f, g = (rows[k * H:(k + 1) * H] for k in range(4))
    return np.concatenate([i, f, g, o])


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """Run an LSTM over a whole sequence.

    Parameters
    ----------
    x : (T, B, D) inputs x_1 ... x_T, time first
    h0 : (B, H) initial hidden state
    c0 : (B, H) initial cell state
    W_ih : (4H, D), W_hh : (4H, H), b_ih : (4H,), b_hh : (4H,)
        Gate blocks stacked in the order i, f, g, o (``torch.nn.LSTM``'s layout).

    Returns
    -------
    out : (T, B, H) the hidden states h_1 ... h_T
    (h_T, c_T) : ((B, H), (B, H)) the final hidden and cell states
    cache : dict
        What :func:`lstm_backward` needs.

    Notes
    -----
    The equations of :func:`lstm_step_forward`, arranged for speed:

    * The weights and biases are stacked into one matrix and the inputs into one
      column block per step, so that the whole pre-activation is one product::

          W = [W_ih  W_hh  b_ih + b_hh]   (4H, D + H + 1)
          z_t = [x_t; h_{t-1}; 1]          (D + H + 1, B)
          a_t = W z_t                      (4H, B)

      The x_t and the ones of every z_t are written before the loop; the loop
      writes each new h_t into z_{t+1}.
    * States are columns (H, B), so each gate is a contiguous block of rows
      (see :mod:`rnncourse.np.rnn`), and elementwise work goes into preallocated
      arrays.
    * One exponential gives all four gates: σ(a) = 1 / (1 + e^(−a)) for o, i, f
      and tanh(a) = 2σ(2a) − 1 for g, so the rows of W are multiplied by −1 and
      −2 beforehand (exact in floating point) and each step runs ``exp``, ``+ 1``
      and ``1 / ·`` over all 4H rows, then ``2 · − 1`` over the g rows: NumPy's
      ``exp`` is several times faster than its ``tanh``. σ keeps full relative
      precision; g is exact to rounding in absolute terms (near 0, not
      relatively), which is what the products it enters see. (e^(−a) overflows
      to inf for a strongly negative a, and 1 / inf = 0 is then the right gate:
      the overflow warning is silenced.)
    * Temporaries come from a pool of arrays reused across calls
      (:mod:`rnncourse.np._workspace`): fresh large arrays cost a page fault per
      4 KB page on first touch.
    """
    x, (h0, c0), W_ih, W_hh, b_ih, b_hh = check_cell_inputs(
        "LSTM", x, {"h0": h0, "c0": c0}, W_ih, W_hh, b_ih, b_hh, sequence=True)
    T, B, D = x.shape
    H = h0.shape[1]
    dtype = x.dtype
    empty = _workspace.empty                     # np.empty, reused across calls
    W = empty((4 * H, D + H + 1), dtype)         # [W_ih  W_hh  b], rows o, i, f, g
    for k, public in enumerate(_INTERNAL_ORDER):
        rows, src = slice(k * H, (k + 1) * H), slice(public * H, (public + 1) * H)
        W[rows, :D], W[rows, D:D + H] = W_ih[src], W_hh[src]
        np.add(b_ih[src], b_hh[src], out=W[rows, D + H])
    # σ(a) = 1 / (1 + e^(−a)) for o, i, f; tanh(a) = 2σ(2a) − 1 for g
    W[:3 * H] *= -1
    W[3 * H:] *= -2

    # Loop step t (from 0) reads x[t], h[t], c[t] and writes h[t + 1], c[t + 1].
    z = empty((T + 1, D + H + 1, B), dtype)      # z[t] = [x[t]; h[t]; 1] as columns
    z[:T, :D] = x.transpose(0, 2, 1)
    z[T, :D] = 0                                 # z[T] only holds the final state h_T
    z[0, D:D + H] = h0.T
    z[:, D + H] = 1
    h = z[:, D:D + H]                            # (T + 1, H, B) view; h[0] = h0
    c = empty((T + 1, H, B), dtype)              # c[0] = c0
    c[0] = c0.T
    gates = empty((T, 4 * H, B), dtype)          # a_t, then the gates o, i, f, g
    tanh_c = empty((T, H, B), dtype)             # tanh(c_t), kept for backward
    input_part = np.empty((H, B), dtype)
    o, i, f, g = _split_gates(gates, H, axis=1)  # (T, H, B) views, one per gate

    with np.errstate(over="ignore"):             # e^(−a) = inf: σ = 0, exactly
        for t in range(T):
            a = gates[t]
            np.matmul(W, z[t], out=a)            # (4H, B): −a (o, i, f), −2a (g)
            np.exp(a, out=a)
            a += 1
            np.divide(1, a, out=a)               # σ of o, i, f and σ(2 a_g) ...
            g[t] *= 2
            g[t] -= 1                            # ... g = 2σ(2 a_g) − 1 = tanh(a_g)
            np.multiply(f[t], c[t], out=c[t + 1])    # c_t = f ⊙ c_{t-1} + i ⊙ g
            np.multiply(i[t], g[t], out=input_part)
            c[t + 1] += input_part
            np.tanh(c[t + 1], out=tanh_c[t])     # h_t = o ⊙ tanh(c_t)
            np.multiply(o[t], tanh_c[t], out=h[t + 1])

    cache = {"cell": "LSTM", "x": x, "z": z, "c": c, "tanh_c": tanh_c, "gates": gates,
             "W_ih": W_ih, "W_hh": W_hh}
    final = (h[T].T.copy(), c[T].T.copy())
    out = empty((T, B, H), dtype)
    np.copyto(out, h[1:].transpose(0, 2, 1))
    return out, final, cache


def _gate_factors(gates, c, h, tanh_c, dtype):
    """What the backward loop multiplies by, for all steps at once (columns).

    ``gates`` (T, 4H, B) holds o, i, f, g of every step; c and h (T + 1, H, B) the
    states, c[t] before step t and c[t + 1] after it; tanh_c (T, H, B) is
    tanh(c[t + 1]). Returns ``factors``
    (T, 4H, B) and ``cell_from_h`` (T, H, B) such that at step t, with dh the
    gradient on h_t and dc the one on c_t (including the path through h_t)::

        da_t[0:H]  = dh ⊙ factors[t, 0:H]       (rows of o)
        da_t[H:4H] = dc ⊙ factors[t, H:4H]      (rows of i, f, g)
        dc        += dh ⊙ cell_from_h[t]

    The loop then scales ``factors`` in place, turning it into da. Using
    h_t = o ⊙ tanh(c_t) saves a multiplication in k_o and cell_from_h.
    """
    # In-place arithmetic on views of preallocated arrays: no temporaries.
    H = c.shape[1]
    o, i, f, g = _split_gates(gates, H, axis=1)
    factors = _workspace.empty(gates.shape, dtype)
    k_o, k_i, k_f, k_g = _split_gates(factors, H, axis=1)

    np.subtract(1, o, out=k_o)          # k_o = tanh(c_t) ⊙ o(1 − o) = h_t ⊙ (1 − o)
    k_o *= h[1:]                        # (c_t, h_t: the states after the step)
    np.subtract(1, i, out=k_i)          # k_i = g ⊙ i(1 − i)
    k_i *= i
    k_i *= g
    np.subtract(1, f, out=k_f)          # k_f = c_{t-1} ⊙ f(1 − f)
    k_f *= f
    k_f *= c[:-1]
    np.multiply(g, g, out=k_g)          # k_g = i ⊙ (1 − g²)
    np.subtract(1, k_g, out=k_g)
    k_g *= i

    cell_from_h = _workspace.empty(tanh_c.shape, dtype)
    np.multiply(h[1:], tanh_c, out=cell_from_h)              # o ⊙ (1 − tanh²(c_t))
    np.subtract(o, cell_from_h, out=cell_from_h)             # = o − h_t ⊙ tanh(c_t)
    return factors, cell_from_h


def lstm_backward(dout, cache, dc_T=None):
    """Backward pass of :func:`lstm_forward` (backpropagation through time).

    Parameters
    ----------
    dout : (T, B, H)
        Upstream gradient on every output h_t; the gradient on the final hidden
        state h_T is ``dout[-1]`` (add to it there if h_T feeds a loss of its own).
    cache : dict from :func:`lstm_forward`
    dc_T : (B, H), optional
        Upstream gradient on the final cell state c_T (None means zeros).

    Returns
    -------
    grads : dict
        ``x`` (T, B, D), ``h0`` (B, H), ``c0`` (B, H), ``W_ih`` (4H, D),
        ``W_hh`` (4H, H), ``b_ih`` (4H,), ``b_hh`` (4H,).

    Notes
    -----
    The loop runs backwards in time and computes only the pre-activation
    gradients da_t (see the module docstring), kept for all steps in one
    (T, 4H, B) array, and dh_{t-1} = W_hhᵀ da_t. Everything else is a sum over
    steps and batch, so it is one matrix product after the loop: with
    W = [W_ih  W_hh  b] and z_t = [x_t; h_{t-1}; 1] as in :func:`lstm_forward`,

        dW = Σ_t da_t z_tᵀ          (W_ih, W_hh and the bias at once)
        dx_t = W_ihᵀ da_t           (all steps at once)
    """
    check_cache(cache, "LSTM", "lstm_forward", "lstm_backward")
    x, z, c, gates = cache["x"], cache["z"], cache["c"], cache["gates"]
    T, B, D = x.shape
    H = c.shape[1]
    dout = check_upstream("dout", dout, (T, B, H), x.dtype, "the output out (T, B, H)")
    if dc_T is None:
        dc = np.zeros((H, B), dout.dtype)
    else:
        dc_T = check_upstream(
            "dc_T", dc_T, (B, H), dout.dtype, "the final cell state c_T (B, H)"
        )
        dc = dc_T.T.copy()                       # updated in place below
    dtype = dc.dtype
    empty = _workspace.empty                     # np.empty, reused across calls
    dout_rows = dout
    dout = empty((T, H, B), dtype)               # columns, like the states
    np.copyto(dout, dout_rows.transpose(0, 2, 1))
    W_ih = _to_internal(cache["W_ih"], H)        # rows o, i, f, g, like da
    W_hh_T = _to_internal(cache["W_hh"], H).T.copy()

    h = z[:, D:D + H]
    da, cell_from_h = _gate_factors(gates, c, h, cache["tanh_c"], dtype)
    # views of the rows that scale with dh ...
    da_o = da[:, :H]
    da_ifg = da[:, H:].reshape(T, 3, H, B)       # ... and with dc
    forget = gates[:, 2 * H:3 * H]
    dh = np.empty((H, B), dtype)
    # W_hhᵀ da_{t+1}: what reaches h_t from step t+1
    dh_recurrent = np.zeros((H, B), dtype)
    scratch = np.empty((H, B), dtype)

    for t in reversed(range(T)):
        np.add(dout[t], dh_recurrent, out=dh)
        np.multiply(dh, cell_from_h[t], out=scratch)
        dc += scratch
        da_o[t] *= dh
        da_ifg[t] *= dc
        dc *= forget[t]                          # dc_{t-1} = dc ⊙ f_t
        np.matmul(W_hh_T, da[t], out=dh_recurrent)

    # one column per (step, sequence): (4H, T·B), and z_t as rows: (T·B, D + H + 1)
    da_columns = empty((4 * H, T, B), dtype)
    np.copyto(da_columns, da.transpose(1, 0, 2))
    da = da_columns.reshape(4 * H, T * B)
    z_rows = empty((T, B, D + H + 1), dtype)
    np.copyto(z_rows, z[:T].transpose(0, 2, 1))
    dW = _to_public(da @ z_rows.reshape(T * B, D + H + 1), H)
    db = dW[:, D + H]
    dx = empty((T * B, D), dtype)
    np.matmul(da.T, W_ih, out=dx)
    return {
        "x": dx.reshape(T, B, D),
        "h0": dh_recurrent.T.copy(),
        "c0": dc.T.copy(),
        "W_ih": dW[:, :D].copy(),
        "W_hh": dW[:, D:D + H].copy(),
        "b_ih": db.copy(),
        "b_hh": db.copy(),
    }
