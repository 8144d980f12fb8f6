"""LSTM variants from scratch: the 1997 cell without a forget gate, peepholes, and many
independent LSTMs trained at once.

Each cell keeps the layout of :mod:`rnncourse.torch.cells` (parameters ``weight_ih``
(G·H, D), ``weight_hh`` (G·H, H), ``bias_ih`` and ``bias_hh`` (G·H,), batches as rows
(B, D), states (B, H)) so that it can be compared with ``torch.nn.LSTMCell`` weight for
weight.

NoForgetLSTMCell — the cell of Hochreiter & Schmidhuber (1997), G = 3 blocks i, g, o::

    i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)   candidate
    o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate
    c_t = c_{t-1} + i_t ⊙ g_t                            the constant error carousel
    h_t = o_t ⊙ tanh(c_t)

  It is the LSTM of ``torch.nn.LSTMCell`` with the forget gate held at f_t ≡ 1. (The
  1997 paper squashed the candidate into [−2, 2] and the cell output with its own
  function h; here both are tanh, as in the modern cell, so that the two differ in the
  forget gate only.)

PeepholeLSTMCell — Gers & Schmidhuber (2000): the gates also see the cell state,
through diagonal ("peephole") weights w_ci, w_cf, w_co (H,)::

    i_t = σ(W_ii x_t + W_hi h_{t-1} + w_ci ⊙ c_{t-1} + b_i)
    f_t = σ(W_if x_t + W_hf h_{t-1} + w_cf ⊙ c_{t-1} + b_f)
    g_t = tanh(W_ig x_t + W_hg h_{t-1} + b_g)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    o_t = σ(W_io x_t + W_ho h_{t-1} + w_co ⊙ c_t + b_o)    (the *new* cell state)
    h_t = o_t ⊙ tanh(c_t)

  With zero peephole weights it is ``torch.nn.LSTMCell``.

EnsembleLSTM — E independent one-layer LSTMs, each with or without a forget gate, run
with one batched matrix product per step (as the ensemble RNN of chapter 5): inputs
(T, E, B, D), every member its own weights. It returns the cell states of every step,
so that a chapter can plot |c_t|.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from .cells import _CellBase, check_sizes, reset_uniform
from .fused_lstm import _tanh_

__all__ = [
    "lstm1997_step", "NoForgetLSTMCell", "peephole_lstm_step", "PeepholeLSTMCell",
    "unroll", "EnsembleLSTM", "chrono_init",
]


# --------------------------------------------------------------------------------------
# Step functions
# --------------------------------------------------------------------------------------

def lstm1997_step(gates_x, h, c, W_hh, b_hh=None):
    """One step of the LSTM without a forget gate, gate order i, g, o::

        [a_i, a_g, a_o] = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh
        c' = c + σ(a_i) ⊙ tanh(a_g)        h' = σ(a_o) ⊙ tanh(c')

    Args:
        gates_x: (B, 3H) the input part ``x W_ihᵀ + b_ih``.
        h, c: (B, H) previous hidden and cell state.
        W_hh: (3H, H); b_hh: (3H,) or None.

    Returns:
        (h', c'): each (B, H).
    """
    a_i, a_g, a_o = (gates_x + F.linear(h, W_hh, b_hh)).chunk(3, dim=-1)
    c_next = c + torch.sigmoid(a_i) * torch.tanh(a_g)
    return torch.sigmoid(a_o) * torch.tanh(c_next), c_next


def peephole_lstm_step(gates_x, h, c, W_hh, b_hh, w_ci, w_cf, w_co):
    """One step of the peephole LSTM (Gers & Schmidhuber 2000), gate order i, f, g, o.

    Args:
        gates_x: (B, 4H) the input part ``x W_ihᵀ + b_ih``.
        h, c: (B, H) previous hidden and cell state.
        W_hh: (4H, H); b_hh: (4H,) or None; w_ci, w_cf, w_co: (H,) peephole weights.

    Returns:
        (h', c'): each (B, H). The input and forget gates see c, the output gate c'.
    """
    a_i, a_f, a_g, a_o = (gates_x + F.linear(h, W_hh, b_hh)).chunk(4, dim=-1)
    input_gate = torch.sigmoid(a_i + w_ci * c)
    forget_gate = torch.sigmoid(a_f + w_cf * c)
    c_next = forget_gate * c + input_gate * torch.tanh(a_g)
    output_gate = torch.sigmoid(a_o + w_co * c_next)
    return output_gate * torch.tanh(c_next), c_next


# --------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------

class NoForgetLSTMCell(_CellBase):
    """The 1997 LSTM cell, without a forget gate (gate order i, g, o).

    Shapes:
        forward(input (B, D) or (D,), hx = (h, c) each (B, H) or (H,), or None)
        -> (h', c') each (B, H) or (H,).
        weight_ih (3H, D), weight_hh (3H, H), bias_ih and bias_hh (3H,).

    ``NoForgetLSTMCell.from_lstm_cell(cell)`` takes the i, g, o rows of a
    ``torch.nn.LSTMCell`` (or :class:`rnncourse.torch.LSTMCell`).
    """

    num_gates = 3

    def _step(self, gates_x, states):
        h, c = states
        return lstm1997_step(gates_x, h, c, self.weight_hh, self.bias_hh)

    def forward(self, input, hx=None):
        return self._forward(input, hx, num_states=2)

    @classmethod
    def from_lstm_cell(cls, cell):
        """A cell with the input, candidate and output weights of an LSTM cell (its
        forget-gate rows are dropped)."""
        H = cell.hidden_size
        ours = cls(cell.input_size, H, bias=cell.bias is not False,
                   dtype=cell.weight_ih.dtype)
        keep = torch.cat([torch.arange(0, H), torch.arange(2 * H, 4 * H)])
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                source = getattr(cell, name)
                if source is not None:
                    getattr(ours, name).copy_(source[keep])
        return ours


class PeepholeLSTMCell(_CellBase):
    """LSTM cell with peephole connections (Gers & Schmidhuber 2000), gate order
    i, f, g, o.

    Parameters: those of ``torch.nn.LSTMCell`` (same names and shapes, so its state
    dict loads with ``strict=False``) plus ``weight_ci``, ``weight_cf``, ``weight_co``
    (H,), the diagonal peephole weights. Every parameter starts ~ U(−1/√H, 1/√H), the
    peepholes drawn last; ``peepholes=False`` in the constructor starts them at zero,
    which makes the cell equal to ``torch.nn.LSTMCell`` until they are trained.

    Shapes: as :class:`NoForgetLSTMCell`, with 4H rows.
    """

    num_gates = 4

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None,
                 peepholes=True):
        super().__init__(input_size, hidden_size, bias, device, dtype)
        factory = {"device": device, "dtype": dtype}
        bound = 1.0 / math.sqrt(hidden_size)
        for name in ("weight_ci", "weight_cf", "weight_co"):
            weight = torch.empty(hidden_size, **factory)
            with torch.no_grad():
                weight.uniform_(-bound, bound) if peepholes else weight.zero_()
            self.register_parameter(name, nn.Parameter(weight))

    def _step(self, gates_x, states):
        h, c = states
        return peephole_lstm_step(gates_x, h, c, self.weight_hh, self.bias_hh,
                                  self.weight_ci, self.weight_cf, self.weight_co)

    def forward(self, input, hx=None):
        return self._forward(input, hx, num_states=2)


def unroll(cell, x, state=None):
    """Run an LSTM-like cell over a sequence and keep every state.

    cell: any module ``cell(x_t, (h, c)) -> (h', c')``; x: (T, B, D); state: (h_0, c_0)
    each (B, H), or None for zeros.
    Returns outputs (T, B, H) = h_1 ... h_T, cells (T, B, H) = c_1 ... c_T, and the
    final (h_T, c_T).
    """
    if x.dim() != 3:
        raise ValueError(f"x must be a sequence (T, B, D), got shape {tuple(x.shape)}")
    outputs, cells = [], []
    for t in range(x.shape[0]):
        state = cell(x[t], state)
        outputs.append(state[0])
        cells.append(state[1])
    return torch.stack(outputs), torch.stack(cells), state


def chrono_init(lstm, T_max, generator=None):
    """Chrono initialisation (Tallec & Ollivier 2018) of a ``torch.nn.LSTM`` or
    ``LSTMCell``, in place: for every unit j of every layer,

        b_f[j] = log(u_j),  u_j ~ U(1, T_max − 1),      b_i[j] = −b_f[j].

    A forget gate then starts at f = σ(log u) = u / (1 + u): the cell keeps a fraction
    1 − 1/(1 + u) of its content per step, i.e. it remembers for about 1 + u steps, and
    the units' memories spread over the range of time lags up to T_max. The input gate
    starts nearly closed where the memory is long. torch keeps two biases whose sum is
    the bias of the equations: the values go into ``bias_hh`` and the forget and input
    rows of ``bias_ih`` are set to 0. Weights and the other gates' biases are not
    touched.

    lstm: torch.nn.LSTM (every layer and direction) or torch.nn.LSTMCell;
    T_max: the longest time lag to expect, > 2; generator: torch.Generator or None.
    Returns ``lstm``.
    """
    if not T_max > 2:
        raise ValueError(f"T_max must be larger than 2 (u ~ U(1, T_max - 1)), got "
                         f"{T_max!r}")
    H = lstm.hidden_size
    names = [n for n, _ in lstm.named_parameters() if n.startswith("bias_hh")]
    if not names:
        raise ValueError("chrono_init needs an LSTM with biases (bias=True)")
    with torch.no_grad():
        for name in names:
            bias_hh = getattr(lstm, name)
            bias_ih = getattr(lstm, name.replace("bias_hh", "bias_ih"))
            u = torch.rand(H, generator=generator, dtype=bias_hh.dtype) * \
                (T_max - 2) + 1
            bias_ih[:2 * H] = 0.0
            bias_hh[H:2 * H] = torch.log(u)         # forget gate, rows H:2H
            bias_hh[:H] = -torch.log(u)             # input gate, rows 0:H
    return lstm


# --------------------------------------------------------------------------------------
# Many independent LSTMs at once
# --------------------------------------------------------------------------------------

class _EnsembleLSTMFunction(torch.autograd.Function):
    """The recurrence of :class:`EnsembleLSTM` as one autograd node, with the backward
    pass of :func:`rnncourse.np.lstm_step_backward` written out for all members at
    once (several times faster than letting autograd record every step).

    forward(gates_x (T, E, B, 4H), h0, c0 (E, B, H), W_hh (E, 4H, H), keep (E, 1, 1))
    -> outputs (T, E, B, H), cells (T, E, B, H), h_T, c_T. ``keep`` is 1 for a member
    with a forget gate and 0 for one with f ≡ 1.

    Speed notes: tanh is computed as 2σ(2x) − 1 (``fused_lstm._tanh_``, several times
    faster than ``torch.tanh`` on the CPU at these sizes), so that one sigmoid per step
    gives all four gates; the backward loop updates its buffers in place, and the
    gradient of W_hh is accumulated step by step, each product reading its operands
    where they lie (one product over all T·B rows would first copy ``da`` into another
    layout, which costs more than the products).
    """

    @staticmethod
    def forward(ctx, gates_x, h0, c0, W_hh, keep):
        ctx.set_materialize_grads(False)      # outputs nobody uses get no gradient
        T, E, B, G = gates_x.shape
        H = G // 4
        # a_t, then i, f, g, o of every step: the input parts are copied in once, and
        # each step adds h_{t-1} W_hhᵀ in place. One sigmoid per step covers all four
        # gates: the g rows are doubled (tanh(a) = 2σ(2a) − 1), and a member without a
        # forget gate has its f pre-activations raised by 10⁴, where σ is exactly 1.
        gates = gates_x.clone(memory_format=torch.contiguous_format)
        gates[..., 2 * H:3 * H] *= 2
        gates[..., H:2 * H] += (1 - keep) * 1e4
        W_hh2 = W_hh.clone()
        W_hh2[:, 2 * H:3 * H] *= 2
        W_hh2_T = W_hh2.transpose(1, 2)
        h = gates_x.new_empty(T + 1, E, B, H)
        c = gates_x.new_empty(T + 1, E, B, H)
        tanh_c = gates_x.new_empty(T, E, B, H)
        h[0], c[0] = h0, c0
        one = gates.new_ones(())
        for t in range(T):
            a = gates[t]
            a.baddbmm_(h[t], W_hh2_T)                # [a_i, a_f (+10⁴), 2 a_g, a_o]
            a.sigmoid_()
            i, f = a[..., :H], a[..., H:2 * H]
            g, o = a[..., 2 * H:3 * H], a[..., 3 * H:]
            g.add_(g).sub_(one)                       # g = 2σ(2 a_g) − 1 = tanh(a_g)
            torch.mul(f, c[t], out=c[t + 1])
            c[t + 1].addcmul_(i, g)
            _tanh_(c[t + 1], tanh_c[t], one)
            torch.mul(o, tanh_c[t], out=h[t + 1])
        ctx.save_for_backward(gates, h, c, tanh_c, W_hh)
        return h[1:].clone(), c[1:].clone(), h[T].clone(), c[T].clone()

    @staticmethod
    def backward(ctx, grad_out, grad_cells, grad_h_T, grad_c_T):
        gates, h, c, tanh_c, W_hh = ctx.saved_tensors
        T, E, B, G = gates.shape
        H = G // 4
        i, f, g, o = gates[..., :H], gates[..., H:2 * H], gates[..., 2 * H:3 * H], \
            gates[..., 3 * H:]
        # what the loop multiplies by, all steps at once (see lstm_step_backward)
        k_o = tanh_c * o * (1 - o)                    # da_o = dh ⊙ k_o
        k_ifg = torch.stack([g * i * (1 - i),         # da_i = dc ⊙ k_i
                             c[:-1] * f * (1 - f),    # da_f = dc ⊙ k_f
                             i * (1 - g * g)], dim=-2)  # da_g = dc ⊙ k_g
        cell_from_h = o * (1 - tanh_c * tanh_c)       # dc += dh ⊙ o ⊙ tanh'(c_t)
        # da is stored members first, (E, T, B, 4H), the layout of the input
        # projection in EnsembleLSTM.forward: its gradient then needs no copy
        da_members = gates.new_empty(E, T, B, G)
        da = da_members.transpose(0, 1)               # (T, E, B, 4H) view
        da_ifg = da_members[..., :3 * H].view(E, T, B, 3, H).transpose(0, 1)
        # dh_next, dh and dc are buffers that every step updates in place
        dh_next = torch.zeros_like(h[0]) if grad_h_T is None else grad_h_T.clone()
        dc = torch.zeros_like(c[0]) if grad_c_T is None else grad_c_T.clone()
        dh = dh_next if grad_out is None else torch.empty_like(dh_next)
        for t in reversed(range(T)):
            if grad_out is not None:
                torch.add(dh_next, grad_out[t], out=dh)
            if grad_cells is not None:
                dc.add_(grad_cells[t])
            dc.addcmul_(dh, cell_from_h[t])
            torch.mul(dh, k_o[t], out=da[t, ..., 3 * H:])
            torch.mul(dc.unsqueeze(-2), k_ifg[t], out=da_ifg[t])
            dc.mul_(f[t])                             # dc_{t-1} = dc_t ⊙ f_t
            torch.bmm(da[t], W_hh, out=dh_next)       # dh_{t-1} = W_hhᵀ da_t
        grad_W_hh = torch.bmm(da[0].transpose(1, 2), h[0])
        for t in range(1, T):
            grad_W_hh.baddbmm_(da[t].transpose(1, 2), h[t])
        return da, dh_next, dc, grad_W_hh, None       # da: a view of da_members


class EnsembleLSTM(nn.Module):
    """E independent one-layer LSTMs (gate order i, f, g, o), trained side by side.

    Member e has its own ``weight_ih[e]`` (4H, D), ``weight_hh[e]`` (4H, H) and
    ``bias[e]`` (4H,) (one bias: the sum b_ih + b_hh of torch.nn.LSTM). Members never
    share a parameter, so the sum of their losses gives each exactly its own gradient,
    and an elementwise optimiser such as Adam updates each as if it were alone.

    forget_gate: one bool for all members or one per member. A member without a forget
    gate is the 1997 LSTM: c_t = c_{t-1} + i_t ⊙ g_t (its forget rows are unused and
    get no gradient).

    Parameters start ~ U(−1/√H, 1/√H), torch.nn.LSTM's default.

    forward(x (T, E, B, D), state = (h_0, c_0) each (E, B, H) or None) ->
    (outputs (T, E, B, H), cells (T, E, B, H), (h_T, c_T)).

    fused (default True): run the recurrence as one autograd node with a hand-written
    backward pass (fast); ``fused=False`` loops over the steps and lets autograd
    differentiate them (the reference the tests compare with).
    """

    def __init__(self, n_members, input_size, hidden_size, forget_gate=True,
                 dtype=None, fused=True):
        super().__init__()
        check_sizes(input_size, hidden_size)
        if not isinstance(n_members, int) or n_members < 1:
            raise ValueError(f"n_members must be a positive int, got {n_members!r}")
        flags = [bool(forget_gate)] * n_members if isinstance(forget_gate, bool) \
            else [bool(f) for f in forget_gate]
        if len(flags) != n_members:
            raise ValueError(f"forget_gate must be one bool or one per member "
                             f"({n_members}), got {len(flags)}")
        E, D, H = n_members, input_size, hidden_size
        self.n_members, self.input_size, self.hidden_size = E, D, H
        self.weight_ih = nn.Parameter(torch.empty(E, 4 * H, D, dtype=dtype))
        self.weight_hh = nn.Parameter(torch.empty(E, 4 * H, H, dtype=dtype))
        self.bias = nn.Parameter(torch.empty(E, 4 * H, dtype=dtype))
        self.register_buffer(
            "has_forget_gate", torch.tensor(flags, dtype=torch.bool)
        )
        reset_uniform(self, H)
        self.fused = fused

    def extra_repr(self):
        flags = self.has_forget_gate.tolist()
        return (f"{self.n_members} members, {self.input_size}, {self.hidden_size}, "
                f"forget_gate={flags if len(set(flags)) > 1 else flags[0]}")

    def load_member(self, e, lstm):
        """Copy a one-layer ``torch.nn.LSTM`` or ``LSTMCell`` into member e."""
        suffix = "_l0" if isinstance(lstm, nn.LSTM) else ""
        with torch.no_grad():
            self.weight_ih[e] = getattr(lstm, "weight_ih" + suffix)
            self.weight_hh[e] = getattr(lstm, "weight_hh" + suffix)
            self.bias[e] = getattr(lstm, "bias_ih" + suffix) + \
                getattr(lstm, "bias_hh" + suffix)

    def forward(self, x, state=None):
        E, D, H = self.n_members, self.input_size, self.hidden_size
        if x.dim() != 4 or x.shape[1] != E or x.shape[3] != D:
            raise ValueError(f"x must have shape (T, E, B, D) = (T, {E}, B, {D}), got "
                             f"{tuple(x.shape)}")
        T, _, B, _ = x.shape
        if state is None:
            h = c = x.new_zeros(E, B, H)
        else:
            h, c = state
            for name, s in (("h_0", h), ("c_0", c)):
                if tuple(s.shape) != (E, B, H):
                    raise ValueError(f"{name} must have shape (E, B, H) = "
                                     f"{(E, B, H)}, got {tuple(s.shape)}")
        # input part of every step at once, bias included: one batched product over
        # the T·B rows of each member, viewed as (T, E, B, 4H)
        x_rows = x.transpose(0, 1).reshape(E, T * B, D)
        gates_x = torch.baddbmm(self.bias[:, None, :], x_rows,
                                self.weight_ih.transpose(1, 2))
        gates_x = gates_x.view(E, T, B, 4 * H).transpose(0, 1)
        keep = self.has_forget_gate.to(x.dtype)[:, None, None]       # 1: f_t, 0: f ≡ 1
        if self.fused:
            outputs, cells, h, c = _EnsembleLSTMFunction.apply(
                gates_x, h, c, self.weight_hh, keep)
            return outputs, cells, (h, c)
        W_hh_T = self.weight_hh.transpose(1, 2)                      # (E, H, 4H)
        outputs, cells = [], []
        for t in range(T):
            a = torch.baddbmm(gates_x[t], h, W_hh_T)                 # (E, B, 4H)
            s = torch.sigmoid(a)
            i, f, o = s[..., :H], s[..., H:2 * H], s[..., 3 * H:]
            g = torch.tanh(a[..., 2 * H:3 * H])
            f = f * keep + (1 - keep)
            c = f * c + i * g
            h = o * torch.tanh(c)
            outputs.append(h)
            cells.append(c)
        return torch.stack(outputs), torch.stack(cells), (h, c)
