"""Multi-layer, optionally bidirectional RNN, LSTM and GRU: drop-in for their torch.nn
namesakes.

Same constructor arguments, same ``forward`` signature and return values, same default
initialisation and the same ``state_dict`` keys and shapes, so a model can move between
``torch.nn.LSTM`` and ``rnncourse.torch.LSTM`` with ``load_state_dict``. The recurrence
itself is written with the step functions of :mod:`rnncourse.torch.cells`.

Layout (L layers, num_directions = 2 if bidirectional else 1)::

    input:  (T, B, D), or (B, T, D) with batch_first=True, or (T, D) unbatched
    h_0:    (L * num_directions, B, H)          (L * num_directions, H) unbatched
    output: (T, B, num_directions * H)          the last layer's h_t, both directions
    h_n:    (L * num_directions, B, H)          the final state of every layer/direction

    parameters of layer l (suffix "_reverse" for the backward direction):
    weight_ih_l{l}: (G*H, D if l == 0 else num_directions * H)
    weight_hh_l{l}: (G*H, H)       bias_ih_l{l}, bias_hh_l{l}: (G*H,)

Layer l + 1 reads the concatenated outputs of both directions of layer l; in training
mode, dropout with probability ``dropout`` is applied to those outputs, between layers
only (never to the last layer's output).

Sequences of different lengths: as torch.nn, the modules accept a
``torch.nn.utils.rnn.PackedSequence`` (from ``pack_padded_sequence`` or
``pack_sequence``) and then return the output as a PackedSequence and, in ``h_n``
(and ``c_n``), each sequence's state after *its own* last element; the backward
direction starts at that last element, not at the padding. Inside, the packed batch is
unpacked to a padded (T, B, D) tensor and the recurrence runs over all T steps with a
mask: a sequence's state stops changing after its last step (the RNN and the LSTM then
take the step-by-step path, not :func:`fused_rnn` or :func:`fused_lstm`). A plain padded
tensor, as in torch.nn, is read in full, padding included.
"""

import warnings

import torch
from torch import nn
from torch.nn import functional as F

from .cells import (
    check_nonlinearity,
    check_sizes,
    gru_step,
    lstm_step,
    reset_uniform,
    rnn_step,
)
from .fused_lstm import fused_lstm
from .fused_rnn import fused_rnn


class _RecurrentBase(nn.Module):
    """What RNN, LSTM and GRU share: parameters, input checks, the loop over layers.

    Subclasses set ``num_gates`` (G) and ``num_states`` (1, or 2 for the LSTM's (h, c))
    and implement ``_run_direction(x, states, params) -> (output, final_states)`` for
    one layer and one direction on time-major input.
    """

    num_gates = 1
    num_states = 1

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        device=None,
        dtype=None,
    ):
        super().__init__()
        check_sizes(input_size, hidden_size)
        if (
            not isinstance(num_layers, int)
            or isinstance(num_layers, bool)
            or num_layers < 1
        ):
            raise ValueError(f"num_layers must be an int >= 1, got {num_layers!r}")
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) \
                or not 0 <= dropout <= 1:
            raise ValueError(f"dropout must be a number in [0, 1], got {dropout!r}")
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                f"dropout={dropout} has no effect with num_layers=1: dropout "
                "is applied "
                "between layers, never after the last one",
                UserWarning,
                stacklevel=2,
            )
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.num_directions = 2 if bidirectional else 1

        factory = {"device": device, "dtype": dtype}
        gate_rows = self.num_gates * hidden_size
        # Registration order (layer, direction, w_ih, w_hh, b_ih, b_hh) is torch.nn's,
        # so the same seed draws the same initial weights.
        for layer in range(num_layers):
            layer_input_size = (
                input_size if layer == 0 else self.num_directions * hidden_size
            )
            for direction in range(self.num_directions):
                suffix = self._suffix(layer, direction)
                setattr(
                    self,
                    "weight_ih" + suffix,
                    nn.Parameter(torch.empty(gate_rows, layer_input_size, **factory)),
                )
                setattr(self, "weight_hh" + suffix,
                        nn.Parameter(torch.empty(gate_rows, hidden_size, **factory)))
                if bias:
                    setattr(self, "bias_ih" + suffix,
                            nn.Parameter(torch.empty(gate_rows, **factory)))
                    setattr(self, "bias_hh" + suffix,
                            nn.Parameter(torch.empty(gate_rows, **factory)))
        self.reset_parameters()

    @staticmethod
    def _suffix(layer, direction):
        return f"_l{layer}" + ("_reverse" if direction == 1 else "")

    def reset_parameters(self):
        """Every weight and bias ~ U(−1/√H, 1/√H), as in torch.nn."""
        reset_uniform(self, self.hidden_size)

    def flatten_parameters(self):
        """No-op, kept so code written for torch.nn (cuDNN weight packing) runs
        unchanged."""

    def layer_parameters(self, layer, direction=0):
        """``(W_ih, W_hh, b_ih, b_hh)`` of one layer and direction; biases None if
        bias=False."""
        suffix = self._suffix(layer, direction)
        return (
            getattr(self, "weight_ih" + suffix),
            getattr(self, "weight_hh" + suffix),
            getattr(self, "bias_ih" + suffix, None),
            getattr(self, "bias_hh" + suffix, None),
        )

    @property
    def all_weights(self):
        """Per layer and direction, the list of its parameters (as torch.nn's
        ``all_weights``)."""
        return [
            [p for p in self.layer_parameters(layer, direction) if p is not None]
            for layer in range(self.num_layers)
            for direction in range(self.num_directions)
        ]

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if not self.bias:
            text += ", bias=False"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if self.bidirectional:
            text += ", bidirectional=True"
        return text

    # -- input handling
    # ------------------------------------------------------------------

    def _check_input(self, input):
        name = type(self).__name__
        if isinstance(input, nn.utils.rnn.PackedSequence):
            data = input.data
            if data.dim() != 2 or data.shape[-1] != self.input_size:
                raise ValueError(
                    f"{name}: a PackedSequence's data must have shape (N, input_size "
                    f"= {self.input_size}), got {tuple(data.shape)}")
            return
        layout = "(B, T, input_size)" if self.batch_first else "(T, B, input_size)"
        if input.dim() not in (2, 3):
            raise ValueError(
                f"{name}: input must be 3-D {layout} or 2-D (T, input_size) unbatched, "
                f"got shape {tuple(input.shape)}")
        if input.shape[-1] != self.input_size:
            expected = (*input.shape[:-1], self.input_size)
            raise ValueError(
                f"{name}: input must have shape {expected} (last dimension = "
                "input_size "
                f"= {self.input_size}), got {tuple(input.shape)}"
            )

    def _initial_states(self, hx, input, batch_size, unbatched):
        """Batched initial states: a tuple of ``num_states`` tensors (L*dirs, B, H)."""
        name = type(self).__name__
        rows = self.num_layers * self.num_directions
        expected = (
            (rows, self.hidden_size)
            if unbatched
            else (rows, batch_size, self.hidden_size)
        )
        meaning = ("(num_layers * num_directions, hidden_size)" if unbatched else
                   "(num_layers * num_directions, batch, hidden_size)")
        if hx is None:
            zeros = input.new_zeros(rows, batch_size, self.hidden_size)
            return (zeros,) * self.num_states
        if self.num_states == 1:
            states, names = (hx,), ("hx",)
        else:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise ValueError(
                    f"{name}: hx must be a tuple (h_0, c_0) of two tensors of shape "
                    f"{meaning} = {expected}, got {type(hx).__name__}")
            states, names = tuple(hx), ("hx[0] (h_0)", "hx[1] (c_0)")
        for state, arg_name in zip(states, names):
            if tuple(state.shape) != expected:
                raise ValueError(
                    f"{name}: {arg_name} must have shape {meaning} = {expected}, "
                    f"got {tuple(state.shape)}"
                )
        if unbatched:
            states = tuple(s.unsqueeze(1) for s in states)
        return states

    # -- the loop over layers and directions
    # ---------------------------------------------

    def forward(self, input, hx=None):
        """Run all layers over the whole sequence.

        Returns ``(output, h_n)``, or for the LSTM ``(output, (h_n, c_n))``; shapes in
        the module docstring.
        """
        self._check_input(input)
        packed, lengths = None, None
        if isinstance(input, nn.utils.rnn.PackedSequence):
            # padded (T, B, D) in the caller's batch order, and each sequence's length
            packed, (input, lengths) = input, nn.utils.rnn.pad_packed_sequence(input)
        unbatched = input.dim() == 2
        if unbatched:
            input = input.unsqueeze(1)
        elif self.batch_first and packed is None:
            input = input.transpose(0, 1)
        states = self._initial_states(hx, input, input.shape[1], unbatched)

        final_states = [[] for _ in range(self.num_states)]
        layer_input = input
        for layer in range(self.num_layers):
            direction_outputs = []
            for direction in range(self.num_directions):
                row = layer * self.num_directions + direction
                start = tuple(s[row] for s in states)
                params = self.layer_parameters(layer, direction)
                if lengths is None:
                    x = layer_input if direction == 0 else layer_input.flip(0)
                    output, last = self._run_direction(x, start, params)
                    if direction == 1:
                        output = output.flip(0)
                else:
                    x = layer_input if direction == 0 else \
                        _reverse_within(layer_input, lengths)
                    output, last = self._run_direction_masked(x, start, params,
                                                              lengths)
                    if direction == 1:
                        output = _reverse_within(output, lengths)
                direction_outputs.append(output)
                for collected, state in zip(final_states, last):
                    collected.append(state)
            layer_input = torch.cat(direction_outputs, dim=2) \
                if self.num_directions == 2 else direction_outputs[0]
            if self.training and self.dropout > 0 and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, training=True)

        output = layer_input
        finals = tuple(torch.stack(collected, dim=0) for collected in final_states)
        if packed is not None:
            output = _pack_like(output, packed)
        elif unbatched:
            output = output.squeeze(1)
            finals = tuple(s.squeeze(1) for s in finals)
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, (finals[0] if self.num_states == 1 else finals)


    def _run_direction_masked(self, x, states, params, lengths):
        """One layer and direction over padded x (T, B, D) in which sequence b has
        ``lengths[b]`` steps: its state stops changing after its last step and its
        outputs beyond it are zero. Returns (output (T, B, H), final states)."""
        W_ih, W_hh, b_ih, b_hh = params
        gates_x = F.linear(x, W_ih, b_ih).unbind(0)
        active = (torch.arange(x.shape[0])[:, None] < lengths[None, :]).to(x.device)
        outputs = []
        for t, keep in enumerate(active[:, :, None]):
            new = self._step(gates_x[t], states, W_hh, b_hh)
            states = tuple(torch.where(keep, n, s) for n, s in zip(new, states))
            outputs.append(new[0] * keep)
        return torch.stack(outputs), states


def _reverse_within(x, lengths):
    """x (T, B, ...) with sequence b reversed in time over its first lengths[b] steps
    (the padding stays where it is)."""
    T = x.shape[0]
    t = torch.arange(T)[:, None]
    index = torch.where(t < lengths[None, :], lengths[None, :] - 1 - t, t).to(x.device)
    index = index.view(T, -1, *([1] * (x.dim() - 2))).expand_as(x)
    return x.gather(0, index)


def _pack_like(output, packed):
    """Padded output (T, B, F) in the caller's batch order as a PackedSequence with the
    batch sizes and orderings of ``packed``."""
    order = packed.sorted_indices
    if order is None:
        order = torch.arange(output.shape[1], device=output.device)
    data = torch.cat([output[t, order[:n]]
                      for t, n in enumerate(packed.batch_sizes.tolist())])
    return nn.utils.rnn.PackedSequence(data, packed.batch_sizes, packed.sorted_indices,
                                       packed.unsorted_indices)


class RNN(_RecurrentBase):
    """Elman RNN, drop-in for :class:`torch.nn.RNN`.

    For each layer and time step: ``h_t = φ(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)``,
    φ = tanh or ReLU, where ``x_t`` is the input (layer 0) or the previous layer's
    output.

    Args:
        input_size (D), hidden_size (H), num_layers=1, nonlinearity='tanh' | 'relu',
        bias=True, batch_first=False, dropout=0.0, bidirectional=False, device, dtype.
        fused (keyword only, default True): run each layer with :func:`fused_rnn`, one
            autograd node with a hand-written backward pass (fast). ``fused=False`` runs
            :func:`rnn_step` in a Python loop and lets autograd differentiate it (the
            textbook version). Both give the same numbers; the attribute can be changed
            at any time.

    Shapes: ``forward(input, hx=None) -> (output, h_n)``, see the module docstring.
    """

    num_gates = 1

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        nonlinearity="tanh",
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        device=None,
        dtype=None,
        *,
        fused=True,
    ):
        check_nonlinearity(nonlinearity)
        super().__init__(
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device,
            dtype,
        )
        self.nonlinearity = nonlinearity
        self.fused = fused

    def extra_repr(self):
        text = super().extra_repr()
        if self.nonlinearity != "tanh":
            text += f", nonlinearity={self.nonlinearity!r}"
        return text

    def _step(self, gates_x, states, W_hh, b_hh):
        return (rnn_step(gates_x, states[0], W_hh, b_hh, self.nonlinearity),)

    def _run_direction(self, x, states, params):
        W_ih, W_hh, b_ih, b_hh = params
        (h,) = states
        if self.fused:
            output, h = fused_rnn(x, h, W_ih, W_hh, b_ih, b_hh, self.nonlinearity)
            return output, (h,)
        # (T, B, H): the input part of every step at once
        gates_x = F.linear(x, W_ih, b_ih)
        outputs = []
        for t in range(x.shape[0]):
            h = rnn_step(gates_x[t], h, W_hh, b_hh, self.nonlinearity)
            outputs.append(h)
        return torch.stack(outputs), (h,)


class LSTM(_RecurrentBase):
    """Long short-term memory, drop-in for :class:`torch.nn.LSTM` (gate order i, f, g,
    o).

    For each layer and time step::

        i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)     input gate
        f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)     forget gate
        g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)  candidate
        o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)     output gate
        c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
        h_t = o_t ⊙ tanh(c_t)

    Args:
        input_size (D), hidden_size (H), num_layers=1, bias=True, batch_first=False,
        dropout=0.0, bidirectional=False, proj_size=0 (only 0 is supported), device,
        dtype.
        fused (keyword only, default True): run each layer with :func:`fused_lstm`, one
            autograd node with a hand-written backward pass (fast). ``fused=False`` runs
            :func:`lstm_step` in a Python loop and lets autograd differentiate it (the
            textbook version). Both give the same numbers; the attribute can be changed
            at any time.

    Shapes: ``forward(input, hx=None) -> (output, (h_n, c_n))``, ``hx = (h_0, c_0)``;
    see the module docstring.
    """

    num_gates = 4
    num_states = 2

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        proj_size=0,
        device=None,
        dtype=None,
        *,
        fused=True,
    ):
        if proj_size != 0:
            raise NotImplementedError(
                f"proj_size={proj_size!r}: LSTM with projections is not "
                "implemented here; "
                "use proj_size=0 (or torch.nn.LSTM)"
            )
        super().__init__(
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device,
            dtype,
        )
        self.proj_size = 0
        self.fused = fused

    def _step(self, gates_x, states, W_hh, b_hh):
        return lstm_step(gates_x, *states, W_hh, b_hh)

    def _run_direction(self, x, states, params):
        W_ih, W_hh, b_ih, b_hh = params
        h, c = states
        if self.fused:
            output, h, c = fused_lstm(x, h, c, W_ih, W_hh, b_ih, b_hh)
            return output, (h, c)
        gates_x = F.linear(x, W_ih, b_ih)  # (T, B, 4H)
        outputs = []
        for t in range(x.shape[0]):
            h, c = lstm_step(gates_x[t], h, c, W_hh, b_hh)
            outputs.append(h)
        return torch.stack(outputs), (h, c)


class GRU(_RecurrentBase):
    """Gated recurrent unit, drop-in for :class:`torch.nn.GRU` (gate order r, z, n).

    For each layer and time step (torch's variant: r multiplies ``W_hn h + b_hn``)::

        r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)          reset gate
        z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)          update gate
        n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn)) candidate
        h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}

    Args:
        input_size (D), hidden_size (H), num_layers=1, bias=True, batch_first=False,
        dropout=0.0, bidirectional=False, device, dtype.

    Shapes: ``forward(input, hx=None) -> (output, h_n)``, see the module docstring.
    """

    num_gates = 3

    def _step(self, gates_x, states, W_hh, b_hh):
        return (gru_step(gates_x, states[0], W_hh, b_hh),)

    def _run_direction(self, x, states, params):
        W_ih, W_hh, b_ih, b_hh = params
        (h,) = states
        gates_x = F.linear(x, W_ih, b_ih)  # (T, B, 3H)
        outputs = []
        for t in range(x.shape[0]):
            h = gru_step(gates_x[t], h, W_hh, b_hh)
            outputs.append(h)
        return torch.stack(outputs), (h,)
