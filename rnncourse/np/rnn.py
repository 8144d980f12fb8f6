"""The simple (Elman) recurrent network in NumPy: one step and whole sequences,
forward and backward, in the form and parameter layout of ``torch.nn.RNN``::

    a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh        pre-activation
    h_t = φ(a_t),    φ = tanh or relu

with ``W_ih`` (H, D), ``W_hh`` (H, H), ``b_ih`` (H,), ``b_hh`` (H,). The equations
treat x_t and h_t as column vectors; the step functions stack a batch as rows,
x_t (B, D) and h_t (B, H), so W_ih x_t is written ``x @ W_ih.T`` there.

Backward (backpropagation through time), with dh the gradient on h_t::

    da_t = dh ⊙ φ'(a_t)          φ' = 1 − h_t² for tanh, [h_t > 0] for relu
    dh_{t-1} = W_hhᵀ da_t        dx_t = W_ihᵀ da_t
    dW_ih = Σ_t da_t x_tᵀ        dW_hh = Σ_t da_t h_{t-1}ᵀ       db = Σ_t da_t
    (each sum also runs over the sequences of the batch)

How the sequence functions are made fast
----------------------------------------
The step functions are the equations, written plainly. ``rnn_forward`` and
``rnn_backward`` (and the LSTM and GRU ones, which reuse the helpers below) compute
the same thing arranged for speed:

* the input projection W_ih x_t + b for *every* step is one matrix product before
  the time loop; inside the loop only the recurrent product W_hh h_{t-1} remains
  (``lstm_forward`` instead stacks [W_ih W_hh b] into one matrix and multiplies it
  with [x_t; h_{t-1}; 1], one product per step: faster there, with 4H rows);
* inside the loop the states are kept as columns, h_t of shape (H, B), exactly as in
  the equations: a gate is then a contiguous block of rows, and W_hh h_{t-1} is a
  faster product than h_{t-1} W_hhᵀ for the usual H > B;
* elementwise work writes into preallocated arrays (``out=``) instead of
  allocating new ones at every step;
* backward stores the pre-activation gradients da_t of all steps in one array, so
  that dx, dW_ih, dW_hh and db are each one large matrix product after the loop.
"""

import numpy as np

from ._checks import check_cache, check_cell_inputs, check_nonlinearity, check_upstream

__all__ = ["rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward"]


def _activate(a, nonlinearity, out=None):
    """φ(a) for φ = tanh or relu, optionally in place."""
    if nonlinearity == "tanh":
        return np.tanh(a, out=out)
    return np.maximum(a, 0, out=out)


def _activation_derivative(h, nonlinearity, out=None):
    """φ'(a) written with the output h = φ(a): 1 − h² for tanh, [h > 0] for relu."""
    if nonlinearity == "tanh":
        out = np.multiply(h, h, out=out)
        return np.subtract(1, out, out=out)
    # relu outputs are ≥ 0, so sign(h) is exactly [h > 0] (0 at a = 0, as in torch).
    return np.sign(h, out=out)


def rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh, nonlinearity="tanh"):
    """One step of a simple RNN: h_t = φ(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh).

    Parameters
    ----------
    x : (B, D) input x_t
    h_prev : (B, H) hidden state h_{t-1}
    W_ih : (H, D), W_hh : (H, H), b_ih : (H,), b_hh : (H,)
    nonlinearity : "tanh" or "relu"

    Returns
    -------
    h : (B, H) the new hidden state h_t
    cache : dict
        What :func:`rnn_step_backward` needs.
    """
    check_nonlinearity(nonlinearity)
    x, (h_prev,), W_ih, W_hh, b_ih, b_hh = check_cell_inputs(
        "RNN", x, {"h_prev": h_prev}, W_ih, W_hh, b_ih, b_hh, sequence=False)
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh        # (B, H)
    h = _activate(a, nonlinearity)
    cache = {"cell": "RNN step", "x": x, "h_prev": h_prev, "h": h,
             "W_ih": W_ih, "W_hh": W_hh, "nonlinearity": nonlinearity}
    return h, cache


def rnn_step_backward(dh, cache):
    """Backward pass of :func:`rnn_step_forward`.

    Parameters
    ----------
    dh : (B, H) gradient of the loss with respect to h_t
    cache : dict from :func:`rnn_step_forward`

    Returns
    -------
    grads : dict
        ``x`` (B, D), ``h_prev`` (B, H), ``W_ih`` (H, D), ``W_hh`` (H, H),
        ``b_ih`` (H,), ``b_hh`` (H,).
    """
    check_cache(cache, "RNN step", "rnn_step_forward", "rnn_step_backward")
    x, h_prev, h = cache["x"], cache["h_prev"], cache["h"]
    dh = check_upstream("dh", dh, h.shape, h.dtype, "the hidden state h (B, H)")
    da = dh * _activation_derivative(h, cache["nonlinearity"])      # (B, H)
    db = da.sum(axis=0)
    return {
        "x": da @ cache["W_ih"],
        "h_prev": da @ cache["W_hh"],       # no φ' of h_{t-1}: it enters a_t linearly
        "W_ih": da.T @ x,
        "W_hh": da.T @ h_prev,
        "b_ih": db,
        "b_hh": db.copy(),
    }


# Helpers shared by the sequence functions of the RNN, LSTM and GRU. Inside the
# time loop a state is a column block (H, B) and a sequence of states (T, H, B).

def project_inputs(x, W_ih, bias, out=None):
    """W_ih x_t + bias for all steps in one product, as columns.

    x : (T, B, D), W_ih : (G·H, D), bias : (G·H,)  ->  (T, G·H, B), written into
    ``out`` when given.
    """
    B = x.shape[1]
    projection = np.matmul(W_ih, x.transpose(0, 2, 1), out=out)      # (T, G·H, B)
    # A tiled (G·H, B) bias adds along contiguous rows; bias[:, None] would not.
    projection += np.broadcast_to(bias[:, None], (len(bias), B)).copy()
    return projection


def to_columns(a):
    """(T, B, K) -> (T, K, B): rows to columns for every step (always a new array)."""
    return a.transpose(0, 2, 1).copy()


def to_rows(a):
    """(T, K, B) -> (T, B, K): columns back to rows for every step (always a new array).
    """
    return a.transpose(0, 2, 1).copy()


def stack_over_time(da):
    """(T, K, B) -> (K, T·B): one column per (step, sequence), for one big product."""
    T, K, B = da.shape
    return np.ascontiguousarray(da.transpose(1, 0, 2)).reshape(K, T * B)


def input_grads(da, x, W_ih):
    """dx, dW_ih and db from the pre-activation gradients of every step.

    da : (K, T·B) from :func:`stack_over_time`, x : (T, B, D), W_ih : (K, D)
    returns dx (T, B, D), dW_ih (K, D), db (K,)
    """
    T, B, D = x.shape
    dx = (da.T @ W_ih).reshape(T, B, D)
    dW_ih = da @ x.reshape(T * B, D)
    # Σ over steps and batch; faster than da.sum(1)
    db = da @ np.ones(T * B, da.dtype)
    return dx, dW_ih, db


def recurrent_weight_grad(da, h_columns):
    """dW_hh = Σ_t da_t h_{t-1}ᵀ, with da (K, T·B) and h_columns (T, H, B) = h_0 …
    h_{T-1}."""
    T, H, B = h_columns.shape
    return da @ to_rows(h_columns).reshape(T * B, H)


def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh, nonlinearity="tanh"):
    """Run a simple RNN over a whole sequence.

    Parameters
    ----------
    x : (T, B, D) inputs x_1 ... x_T, time first
    h0 : (B, H) initial hidden state
    W_ih : (H, D), W_hh : (H, H), b_ih : (H,), b_hh : (H,)
    nonlinearity : "tanh" or "relu"

    Returns
    -------
    out : (T, B, H) the hidden states h_1 ... h_T (the last one is the final state)
    cache : dict
        What :func:`rnn_backward` needs.
    """
    check_nonlinearity(nonlinearity)
    x, (h0,), W_ih, W_hh, b_ih, b_hh = check_cell_inputs(
        "RNN", x, {"h0": h0}, W_ih, W_hh, b_ih, b_hh, sequence=True)
    T, B, D = x.shape
    H = h0.shape[1]
    # h[t] is the column block h_t; h[0] = h0
    h = np.empty((T + 1, H, B), x.dtype)
    h[0] = h0.T
    project_inputs(x, W_ih, b_ih + b_hh, out=h[1:])  # a_t without its recurrent term
    recurrent = np.empty((H, B), x.dtype)
    for t in range(T):
        np.matmul(W_hh, h[t], out=recurrent)
        h[t + 1] += recurrent
        _activate(h[t + 1], nonlinearity, out=h[t + 1])
    cache = {"cell": "RNN", "x": x, "h": h, "W_ih": W_ih, "W_hh": W_hh,
             "nonlinearity": nonlinearity}
    return to_rows(h[1:]), cache


def rnn_backward(dout, cache):
    """Backward pass of :func:`rnn_forward` (backpropagation through time).

    Parameters
    ----------
    dout : (T, B, H)
        Upstream gradient on every output h_t; the gradient on the final state
        h_T is ``dout[-1]``.
    cache : dict from :func:`rnn_forward`

    Returns
    -------
    grads : dict
        ``x`` (T, B, D), ``h0`` (B, H), ``W_ih`` (H, D), ``W_hh`` (H, H),
        ``b_ih`` (H,), ``b_hh`` (H,).
    """
    check_cache(cache, "RNN", "rnn_forward", "rnn_backward")
    x, h, W_ih, W_hh = cache["x"], cache["h"], cache["W_ih"], cache["W_hh"]
    T, B, D = x.shape
    H = h.shape[1]
    dout = check_upstream("dout", dout, (T, B, H), x.dtype, "the output out (T, B, H)")
    dout = to_columns(dout)
    dtype = dout.dtype

    # da_t = dh_t ⊙ φ'(a_t): fill da with φ' for all steps, then scale it in the loop.
    da = _activation_derivative(
        h[1:], cache["nonlinearity"], out=np.empty((T, H, B), dtype)
    )
    W_hh_T = np.ascontiguousarray(W_hh.T)
    dh = np.empty((H, B), dtype)
    # W_hhᵀ da_{t+1}: what reaches h_t from step t+1
    dh_recurrent = np.zeros((H, B), dtype)
    for t in reversed(range(T)):
        np.add(dout[t], dh_recurrent, out=dh)
        da[t] *= dh
        np.matmul(W_hh_T, da[t], out=dh_recurrent)

    da = stack_over_time(da)
    dx, dW_ih, db = input_grads(da, x, W_ih)
    return {
        "x": dx,
        "h0": dh_recurrent.T.copy(),
        "W_ih": dW_ih,
        "W_hh": recurrent_weight_grad(da, h[:T]),
        "b_ih": db,
        "b_hh": db.copy(),
    }
