"""A whole-sequence LSTM layer as one autograd node, with backpropagation through time
by hand.

Autograd records every little op of every time step (a T = 100 sequence is about a
thousand nodes) and replays them one by one in the backward pass. Knowing the
structure of the LSTM we can do much better:

* forward: the input part of the pre-activations, ``x W_ihᵀ + b``, does not depend on
  the recurrence, so it is **one** matrix product over all T·B rows; only
  ``h W_hhᵀ`` stays inside the loop;
* backward: the loop only carries ``dh`` and ``dc`` backwards and writes the gradient of
  the pre-activations of every step into one (T, B, 4H) tensor ``d_gates``. The weight,
  bias and input gradients are then sums over time, i.e. **one** matrix product each::

      [dW_ih | dW_hh] = d_gatesᵀ [x | h_prev]   (4H, T·B) @ (T·B, D + H)
      db              = Σ_{t,b} d_gates         (4H,)
      dx              = d_gates W_ih            (T·B, 4H) @ (4H, D)

The backward pass of one step (gate order i, f, g, o; ``dh`` and ``dc`` are the total
gradients reaching ``h_t`` and ``c_t``, the latter including what flows in through
``h_t = o ⊙ tanh(c_t)``)::

    dc_t  += dh_t ⊙ o ⊙ (1 − tanh²(c_t))
    da_i   = dc_t ⊙ g ⊙ i(1 − i)          da_f = dc_t ⊙ c_{t−1} ⊙ f(1 − f)
    da_g   = dc_t ⊙ i ⊙ (1 − g²)          da_o = dh_t ⊙ tanh(c_t) ⊙ o(1 − o)
    dc_{t−1} = dc_t ⊙ f                   (the constant error carousel)
    dh_{t−1} = da W_hh + dout_{t−1}       (da = [da_i, da_f, da_g, da_o]: (B, 4H))

The factors that multiply ``dc_t`` and ``dh_t`` do not depend on the gradient, so they
are computed for all time steps at once before the loop; each step then costs one small
matrix product and four elementwise ops.
"""

import torch
from torch.autograd.function import once_differentiable


def _sum_biases(b_ih, b_hh):
    if b_ih is None:
        return b_hh
    if b_hh is None:
        return b_ih
    return b_ih + b_hh


def _tanh_(input, out, one):
    """``out = tanh(input)`` computed as ``2σ(2·input) − 1``; ``one`` is a 0-dim tensor
    1.

    On CPU, ``torch.tanh`` already splits a (B, H) = (32, 128) tensor over all threads
    (its kernel parallelises from 2048 elements), while ``torch.sigmoid`` stays on one
    thread at these sizes. Splitting so little work costs more than it saves, and on a
    busy machine every call waits for a descheduled thread: milliseconds instead of
    microseconds.
    (``x + x`` and a 0-dim tensor ``one`` instead of ``2 * x`` and ``1``: a Python
    number is wrapped into a new tensor at every call, which costs more than the
    arithmetic.)
    """
    torch.add(input, input, out=out).sigmoid_()
    return out.add_(out).sub_(one)


class LSTMFunction(torch.autograd.Function):
    """``LSTMFunction.apply(x, h0, c0, W_ih, W_hh, b_ih, b_hh) -> (output, h_T, c_T)``.

    Shapes: x (T, B, D), h0 and c0 (B, H), W_ih (4H, D), W_hh (4H, H), b_ih and b_hh
    (4H,) or None; output (T, B, H), h_T and c_T (B, H). Use :func:`fused_lstm`, which
    checks the shapes first.

    Speed notes: each step's work is a few thousand numbers, so the cost of calling an
    op matters as much as the arithmetic. The loops therefore use views made once before
    the loop (``unbind``), and ops that write into preallocated buffers (``out=``, in
    place) rather than indexing and allocating at every step.
    """

    @staticmethod
    def forward(ctx, x, h0, c0, W_ih, W_hh, b_ih, b_hh):
        T, B, D = x.shape
        H = W_hh.shape[1]
        bias = _sum_biases(b_ih, b_hh)

        # tanh(a) = 2σ(2a) − 1. Doubling the g rows of the weights once lets a single
        # sigmoid per step cover all four gates (see _tanh_ for why we avoid
        # torch.tanh).
        gate_scale = x.new_ones(4 * H, 1)
        gate_scale[2 * H: 3 * H] = 2.0
        W_ih2, W_hh2 = W_ih * gate_scale, W_hh * gate_scale
        bias2 = None if bias is None else bias * gate_scale[:, 0]

        # All input projections in one matmul; the buffer is then overwritten in place,
        # step by step, with the gate activations [i, f, g, o].
        x_rows = x.reshape(T * B, D)
        if bias2 is None:
            gates = torch.mm(x_rows, W_ih2.t())
        else:
            gates = torch.addmm(bias2, x_rows, W_ih2.t())
        gates = gates.view(T, B, 4 * H)

        output = x.new_empty(T, B, H)  # output[t] = h_t
        cs = x.new_empty(T + 1, B, H)  # cs[0] = c0, cs[t + 1] = c_t
        tanh_cs = x.new_empty(T, B, H)
        cs[0] = c0

        W_hh2_t = W_hh2.t()
        one = x.new_ones(())
        i, f, g, o = gates.split(H, dim=2)
        # one tuple of per-step views per quantity, made once (see the class docstring)
        h_prevs = (h0, *output[:-1])
        per_step = zip(gates, i, f, g, o, h_prevs, cs[:-1], output, cs[1:], tanh_cs)
        for a, i_t, f_t, g_t, o_t, h_prev, c_prev, h_t, c_t, tanh_c_t in per_step:
            a.addmm_(h_prev, W_hh2_t)          # [a_i, a_f, 2 a_g, a_o]
            a.sigmoid_()                       # [i, f, σ(2 a_g), o]
            g_t.add_(g_t).sub_(one)            # g = 2σ(2 a_g) − 1 = tanh(a_g)
            torch.mul(f_t, c_prev, out=c_t)
            c_t.addcmul_(i_t, g_t)             # c_t = f ⊙ c_{t-1} + i ⊙ g
            _tanh_(c_t, tanh_c_t, one)
            torch.mul(o_t, tanh_c_t, out=h_t)  # h_t = o ⊙ tanh(c_t)

        ctx.save_for_backward(x, h0, W_ih, W_hh, gates, output, cs, tanh_cs)
        ctx.has_bias = (b_ih is not None, b_hh is not None)
        return output, output[T - 1].clone(), cs[T].clone()

    @staticmethod
    @once_differentiable
    def backward(ctx, d_out, d_h_T, d_c_T):
        x, h0, W_ih, W_hh, gates, output, cs, tanh_cs = ctx.saved_tensors
        T, B, D = x.shape
        H = W_hh.shape[1]
        i, f, g, o = gates.split(H, dim=2)

        # Step-independent factors, for all t at once:
        # coef = [g·i(1−i), c_{t−1}·f(1−f), i(1−g²), tanh(c_t)·o(1−o)], so that
        # d_gates[t] = [dc_t, dc_t, dc_t, dh_t] ⊙ coef[t].
        coef = torch.empty_like(gates)
        coef_i, coef_f, coef_g, coef_o = coef.split(H, dim=2)
        sigmoid_if = gates[..., : 2 * H]
        torch.addcmul(sigmoid_if, sigmoid_if, sigmoid_if, value=-1,
                      out=coef[..., : 2 * H])                   # s − s² = σ'
        torch.addcmul(o, o, o, value=-1, out=coef_o)
        coef_i.mul_(g)
        coef_f.mul_(cs[:-1])
        coef_o.mul_(tanh_cs)
        torch.mul(i, g, out=coef_g)
        torch.addcmul(i, coef_g, g, value=-1, out=coef_g)      # i − i g²
        dc_per_dh = o * tanh_cs
        torch.addcmul(o, dc_per_dh, tanh_cs, value=-1, out=dc_per_dh)  # o(1 − tanh²c)

        d_gates = torch.empty_like(gates)
        # the i, f, g slots all scale dc_t: viewed as (B, 3, H), one op fills them
        d_ifg = d_gates[..., : 3 * H].view(T, B, 3, H)
        coef_ifg = coef[..., : 3 * H].view(T, B, 3, H)
        d_out_prev = (None, *d_out[:-1])       # dout_{t−1}, added to dh_{t−1}
        per_step = list(zip(d_gates, d_ifg, coef_ifg, d_gates[..., 3 * H:], coef_o, f,
                            dc_per_dh, d_out_prev))

        # dh and dc live in two buffers that every step updates in place; the (B, 1, H)
        # view of dc broadcasts over the three gate slots it scales.
        dh = (d_out[T - 1] + d_h_T).contiguous()
        dc = d_c_T.clone(memory_format=torch.contiguous_format)
        dc_3 = dc.view(B, 1, H)
        for (
            d_gates_t,
            d_ifg_t,
            coef_ifg_t,
            d_o_t,
            coef_o_t,
            f_t,
            dc_per_dh_t,
            d_out_before,
        ) in reversed(per_step):
            dc.addcmul_(dh, dc_per_dh_t)       # dc_t += dh_t ⊙ o ⊙ (1 − tanh²c_t)
            torch.mul(coef_ifg_t, dc_3, out=d_ifg_t)
            torch.mul(dh, coef_o_t, out=d_o_t)
            dc.mul_(f_t)                       # dc_{t−1} = dc_t ⊙ f_t
            if d_out_before is not None:       # dh_{t−1} = da_t W_hh + dout_{t−1}
                torch.addmm(d_out_before, d_gates_t, W_hh, out=dh)
        needs = ctx.needs_input_grad
        dh0 = torch.mm(d_gates[0], W_hh) if needs[1] else None
        dc0 = dc if needs[2] else None

        # Sums over time and batch: one matmul each. Row t·B + b of [x | h_prev] is the
        # input of step t for example b, so both weight gradients come from one product.
        d_rows = d_gates.view(T * B, 4 * H)
        dx = torch.mm(d_rows, W_ih).view(T, B, D) if needs[0] else None
        x_rows = x.reshape(T * B, D)
        h_prev_rows = torch.cat([h0.unsqueeze(0), output[:-1]]).view(T * B, H)
        dW_ih = dW_hh = None
        if needs[3] and needs[4]:
            dW = torch.mm(d_rows.t(), torch.cat([x_rows, h_prev_rows], dim=1))
            dW_ih, dW_hh = dW[:, :D], dW[:, D:]
        elif needs[3]:
            dW_ih = torch.mm(d_rows.t(), x_rows)
        elif needs[4]:
            dW_hh = torch.mm(d_rows.t(), h_prev_rows)
        db_ih, db_hh = _bias_grads(d_rows, ctx.has_bias, needs[5], needs[6])
        return dx, dh0, dc0, dW_ih, dW_hh, db_ih, db_hh


def _bias_grads(d_rows, has_bias, need_ih, need_hh):
    """The gradients of b_ih and b_hh: both are Σ over the rows of d_rows (the
    pre-activation gradients), or None where a bias is absent or needs none."""
    want_ih, want_hh = has_bias[0] and need_ih, has_bias[1] and need_hh
    db = d_rows.sum(0) if want_ih or want_hh else None
    db_ih = db if want_ih else None
    db_hh = (db.clone() if want_ih else db) if want_hh else None
    return db_ih, db_hh


def _check_shape(name, tensor, expected, meaning, function="fused_lstm"):
    if tuple(tensor.shape) != expected:
        raise ValueError(f"{function}: {name} must have shape {meaning} = {expected}, "
                         f"got {tuple(tensor.shape)}")


def fused_lstm(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    """Run a one-layer, one-direction LSTM over a whole sequence with a hand-written
    backward.

    Same equations as :func:`rnncourse.torch.cells.lstm_step` (gate order i, f, g, o).

    Args:
        x: (T, B, D) inputs, time-major.
        h0, c0: (B, H) initial hidden and cell state.
        W_ih: (4H, D); W_hh: (4H, H); b_ih, b_hh: (4H,) or None.

    Returns:
        output (T, B, H) = h_1 … h_T, h_T (B, H), c_T (B, H).
    """
    if x.dim() != 3:
        raise ValueError(
            f"fused_lstm: x must be 3-D (T, B, D), got shape {tuple(x.shape)}"
        )
    T, B, D = x.shape
    if W_hh.dim() != 2 or W_hh.shape[0] != 4 * W_hh.shape[1]:
        raise ValueError(
            "fused_lstm: W_hh must have shape (4*H, H) for an LSTM (4 gates), "
            f"got {tuple(W_hh.shape)}"
        )
    H = W_hh.shape[1]
    _check_shape("W_ih", W_ih, (4 * H, D), "(4*H, D)")
    _check_shape("h0", h0, (B, H), "(B, H)")
    _check_shape("c0", c0, (B, H), "(B, H)")
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            _check_shape(name, b, (4 * H,), "(4*H,)")
    return LSTMFunction.apply(x, h0, c0, W_ih, W_hh, b_ih, b_hh)
