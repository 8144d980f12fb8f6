"""One time step of a tanh/ReLU RNN, an LSTM and a GRU, written with elementary tensor
ops.

Each architecture comes twice:

* a **step function** (``rnn_step``, ``lstm_step``, ``gru_step``) that takes the input
  part of the pre-activations already computed, ``gates_x = x W_ihᵀ + b_ih``. The
  sequence modules in :mod:`rnncourse.torch.rnn` compute that part for all time steps
  with one matrix product and then call the step function once per step;
* a **cell module** (``RNNCell``, ``LSTMCell``, ``GRUCell``) with the constructor,
  parameters, ``state_dict`` keys, initialisation and ``forward`` of its ``torch.nn``
  namesake, so ``ours.load_state_dict(torch.nn.LSTMCell(...).state_dict())`` works.

Notation (shapes for a batch of B examples, input size D, hidden size H, G gates)::

    x:    (B, D)        input at one time step
    h, c: (B, H)        hidden state and (LSTM only) cell state
    W_ih: (G*H, D)      input-to-hidden weights, the G gates stacked along dim 0
    W_hh: (G*H, H)      hidden-to-hidden weights
    b_ih, b_hh: (G*H,)  biases (both are kept, as torch does, so state dicts match)

with G = 1 (RNN), 4 (LSTM, gate order i, f, g, o) or 3 (GRU, gate order r, z, n).
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

NONLINEARITIES = ("tanh", "relu")


# --------------------------------------------------------------------------------------
# Step functions: the equations, nothing else
# --------------------------------------------------------------------------------------


def rnn_step(gates_x, h, W_hh, b_hh=None, nonlinearity="tanh"):
    """One step of an Elman RNN: ``h' = φ(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)``.

    Args:
        gates_x: (B, H) the input part ``x W_ihᵀ + b_ih``.
        h: (B, H) previous hidden state.
        W_hh: (H, H); b_hh: (H,) or None.
        nonlinearity: ``"tanh"`` or ``"relu"`` (φ).

    Returns:
        h': (B, H).
    """
    pre_activation = gates_x + F.linear(h, W_hh, b_hh)
    return (
        torch.tanh(pre_activation)
        if nonlinearity == "tanh"
        else torch.relu(pre_activation)
    )


def lstm_step(gates_x, h, c, W_hh, b_hh=None):
    """One LSTM step (with forget gate, no peepholes), torch's gate order i, f, g, o::

        [a_i, a_f, a_g, a_o] = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh
        i = σ(a_i)   input gate          f = σ(a_f)   forget gate
        g = tanh(a_g) candidate          o = σ(a_o)   output gate
        c' = f ⊙ c + i ⊙ g               h' = o ⊙ tanh(c')

    Args:
        gates_x: (B, 4H) the input part ``x W_ihᵀ + b_ih``.
        h, c: (B, H) previous hidden and cell state.
        W_hh: (4H, H); b_hh: (4H,) or None.

    Returns:
        (h', c'): each (B, H).
    """
    gates = gates_x + F.linear(h, W_hh, b_hh)
    a_i, a_f, a_g, a_o = gates.chunk(4, dim=-1)
    input_gate, forget_gate = torch.sigmoid(a_i), torch.sigmoid(a_f)
    candidate, output_gate = torch.tanh(a_g), torch.sigmoid(a_o)
    c_next = forget_gate * c + input_gate * candidate
    h_next = output_gate * torch.tanh(c_next)
    return h_next, c_next


def gru_step(gates_x, h, W_hh, b_hh=None):
    """One GRU step in torch's convention (reset gate applied *after* the hidden
    matmul)::

        [x_r, x_z, x_n] = x W_ihᵀ + b_ih      [h_r, h_z, h_n] = h W_hhᵀ + b_hh
        r = σ(x_r + h_r)                      reset gate
        z = σ(x_z + h_z)                      update gate
        n = tanh(x_n + r ⊙ h_n)               candidate
        h' = (1 − z) ⊙ n + z ⊙ h

    Note ``z`` weighs the *old* state here; some texts swap the roles of z and 1 − z.

    Args:
        gates_x: (B, 3H) the input part ``x W_ihᵀ + b_ih``.
        h: (B, H) previous hidden state.
        W_hh: (3H, H); b_hh: (3H,) or None.

    Returns:
        h': (B, H).
    """
    x_r, x_z, x_n = gates_x.chunk(3, dim=-1)
    h_r, h_z, h_n = F.linear(h, W_hh, b_hh).chunk(3, dim=-1)
    reset_gate = torch.sigmoid(x_r + h_r)
    update_gate = torch.sigmoid(x_z + h_z)
    candidate = torch.tanh(x_n + reset_gate * h_n)
    return candidate + update_gate * (h - candidate)  # = (1 − z) ⊙ n + z ⊙ h


# --------------------------------------------------------------------------------------
# Shared checks and initialisation
# --------------------------------------------------------------------------------------


def check_nonlinearity(nonlinearity):
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(
            f"nonlinearity must be one of {NONLINEARITIES}, got {nonlinearity!r}")


def check_sizes(input_size, hidden_size):
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{name} must be a positive int, got {value!r}")


def reset_uniform(module, hidden_size):
    """torch.nn's default: every parameter ~ U(−1/√H, 1/√H), drawn in registration
    order.

    Drawing in the same order as torch.nn means that after ``torch.manual_seed(s)`` our
    module and its torch.nn namesake start from the very same numbers.
    """
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0.0
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.uniform_(-bound, bound)


# --------------------------------------------------------------------------------------
# Cell modules
# --------------------------------------------------------------------------------------


class _CellBase(nn.Module):
    """Parameters ``weight_ih (G*H, D)``, ``weight_hh (G*H, H)``, ``bias_ih``,
    ``bias_hh (G*H,)``.

    Subclasses set ``num_gates`` (G) and implement ``_step(x, state)`` on batched input.
    """

    num_gates = 1

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__()
        check_sizes(input_size, hidden_size)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        factory = {"device": device, "dtype": dtype}
        gate_rows = self.num_gates * hidden_size
        self.weight_ih = nn.Parameter(torch.empty(gate_rows, input_size, **factory))
        self.weight_hh = nn.Parameter(torch.empty(gate_rows, hidden_size, **factory))
        if bias:
            self.bias_ih = nn.Parameter(torch.empty(gate_rows, **factory))
            self.bias_hh = nn.Parameter(torch.empty(gate_rows, **factory))
        else:  # registered as None, like torch.nn, so the state dict has no bias keys
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        reset_uniform(self, self.hidden_size)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        return text

    # -- input handling shared by all cells
    # ----------------------------------------------

    def _check_input(self, input):
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(
                f"{name}: input must be 1-D (input_size,) = "
                f"({self.input_size},) unbatched or "
                f"2-D (batch, input_size) = (B, {self.input_size}), got shape "
                f"{tuple(input.shape)}"
            )
        if input.shape[-1] != self.input_size:
            expected = (
                (self.input_size,)
                if input.dim() == 1
                else (input.shape[0], self.input_size)
            )
            raise ValueError(
                f"{name}: input must have shape {expected} (last dimension = "
                "input_size), "
                f"got {tuple(input.shape)}"
            )

    def _check_state(self, state, arg_name, batch_shape):
        expected = (*batch_shape, self.hidden_size)
        if tuple(state.shape) != expected:
            raise ValueError(
                f"{type(self).__name__}: {arg_name} must have shape {expected} "
                f"(batch dims of the input, hidden_size), got {tuple(state.shape)}")

    def _initial_state(self, input, hx, num_states):
        """Return a tuple of ``num_states`` batched (B, H) tensors, zeros where hx is
        None."""
        batch_shape = input.shape[:-1]
        if hx is None:
            zeros = input.new_zeros(*batch_shape, self.hidden_size)
            return (zeros,) * num_states
        states = (hx,) if num_states == 1 else hx
        if num_states > 1 and (
            not isinstance(hx, (tuple, list)) or len(hx) != num_states
        ):
            raise ValueError(
                f"{type(self).__name__}: hx must be a tuple (h, c) of two "
                "tensors of shape "
                f"{(*batch_shape, self.hidden_size)}, got {type(hx).__name__}"
            )
        names = ("hx",) if num_states == 1 else ("hx[0] (h)", "hx[1] (c)")
        for state, arg_name in zip(states, names):
            self._check_state(state, arg_name, batch_shape)
        return tuple(states)

    def _forward(self, input, hx, num_states):
        self._check_input(input)
        unbatched = input.dim() == 1
        states = self._initial_state(input, hx, num_states)
        if unbatched:
            input = input.unsqueeze(0)
            states = tuple(s.unsqueeze(0) for s in states)
        gates_x = F.linear(input, self.weight_ih, self.bias_ih)
        new_states = self._step(gates_x, states)
        if unbatched:
            new_states = tuple(s.squeeze(0) for s in new_states)
        return new_states


class RNNCell(_CellBase):
    """Elman RNN cell, drop-in for :class:`torch.nn.RNNCell`.

    ``h' = φ(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)`` with φ = tanh or ReLU.

    Args:
        input_size (D), hidden_size (H), bias, nonlinearity ('tanh' | 'relu'), device,
        dtype.

    Shapes:
        forward(input (B, D) or (D,), hx (B, H) or (H,) or None) -> h' (B, H) or (H,).
    """

    num_gates = 1

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh",
                 device=None, dtype=None):
        check_nonlinearity(nonlinearity)
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def extra_repr(self):
        text = super().extra_repr()
        if self.nonlinearity != "tanh":
            text += f", nonlinearity={self.nonlinearity!r}"
        return text

    def _step(self, gates_x, states):
        (h,) = states
        return (rnn_step(gates_x, h, self.weight_hh, self.bias_hh, self.nonlinearity),)

    def forward(self, input, hx=None):
        (h_next,) = self._forward(input, hx, num_states=1)
        return h_next


class LSTMCell(_CellBase):
    """LSTM cell, drop-in for :class:`torch.nn.LSTMCell` (gate order i, f, g, o)::

        i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
        g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
        c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')

    Shapes:
        forward(input (B, D) or (D,), hx = (h, c) each (B, H) or (H,), or None)
        -> (h', c') each (B, H) or (H,).
        weight_ih (4H, D), weight_hh (4H, H), bias_ih and bias_hh (4H,).
    """

    num_gates = 4

    def _step(self, gates_x, states):
        h, c = states
        return lstm_step(gates_x, h, c, self.weight_hh, self.bias_hh)

    def forward(self, input, hx=None):
        return self._forward(input, hx, num_states=2)


class GRUCell(_CellBase):
    """GRU cell, drop-in for :class:`torch.nn.GRUCell` (gate order r, z, n)::

        r = σ(W_ir x + b_ir + W_hr h + b_hr)         reset gate
        z = σ(W_iz x + b_iz + W_hz h + b_hz)         update gate
        n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) candidate
        h' = (1 − z) ⊙ n + z ⊙ h

    Shapes:
        forward(input (B, D) or (D,), hx (B, H) or (H,) or None) -> h' (B, H) or (H,).
        weight_ih (3H, D), weight_hh (3H, H), bias_ih and bias_hh (3H,).
    """

    num_gates = 3

    def _step(self, gates_x, states):
        (h,) = states
        return (gru_step(gates_x, h, self.weight_hh, self.bias_hh),)

    def forward(self, input, hx=None):
        (h_next,) = self._forward(input, hx, num_states=1)
        return h_next
