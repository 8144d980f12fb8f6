"""Many small tanh RNNs trained at once: stacked, bidirectional, with an output per
step.

A chapter that compares architectures over several seeds and settings trains dozens of
networks with a few hundred parameters each. One such network keeps a CPU core busy
with bookkeeping, not arithmetic; E of them side by side cost little more than one.
:class:`EnsembleRNN` holds E independent members of the same shape: every parameter has
a leading member dimension, and one batched matrix product (``torch.baddbmm``) runs the
time step of all members. Members share no parameters, so the sum of their losses has
exactly each member's own gradient, and Adam (an elementwise update) trains each member
as if it were alone. (Clipping by the *global* norm would couple them: don't.)

Each member is a :class:`torch.nn.RNN` (tanh) with a linear output layer per step::

    h_t^{l,→} = tanh(W_ih x_t^l + b_ih + W_hh h_{t-1}^{l,→} + b_hh)   forward
    h_t^{l,←} = tanh(W_ih x_t^l + b_ih + W_hh h_{t+1}^{l,←} + b_hh)   backward
    x_t^{l+1} = [h_t^{l,→}; h_t^{l,←}]                                input of layer l+1
    ℓ_t      = W_hy x_t^{L} + b_y                                     logits, (K,)

(each direction and layer with its own weights), and :meth:`EnsembleRNN.member` returns
member e as a ``torch.nn.RNN`` plus a ``torch.nn.Linear`` with the same weights, so
the page can check one against the other.

Shapes: x (T, B, D), the same input for every member, or (T, E, B, D); logits
(T, E, B, K).
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["EnsembleRNN", "rnn_parameter_count"]


def rnn_parameter_count(input_size, hidden_size, output_size, num_layers=1,
                        bidirectional=False):
    """Parameters of one ``torch.nn.RNN`` (two biases per layer, as torch has) with a
    linear output layer on its outputs."""
    dirs = 2 if bidirectional else 1
    count = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else dirs * hidden_size
        count += dirs * (hidden_size * (layer_input + hidden_size) + 2 * hidden_size)
    return count + output_size * (dirs * hidden_size + 1)


class EnsembleRNN(nn.Module):
    """E independent tanh RNNs of one shape (layers, directions, sizes), with a linear
    output layer applied at every step.

    n_members (E), input_size (D), hidden_size (H), output_size (K), num_layers (L),
    bidirectional. Initialisation as ``torch.nn.RNN`` and ``torch.nn.Linear``: every
    weight and bias ~ U(−1/√fan, 1/√fan) with fan = H for the recurrent layers and the
    output layer's input size for the output layer.
    """

    def __init__(self, n_members, input_size, hidden_size, output_size, num_layers=1,
                 bidirectional=False):
        super().__init__()
        for name, value in [("n_members", n_members), ("input_size", input_size),
                            ("hidden_size", hidden_size), ("output_size", output_size),
                            ("num_layers", num_layers)]:
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        E, D, H, K = n_members, input_size, hidden_size, output_size
        self.n_members, self.input_size, self.hidden_size = E, D, H
        self.output_size, self.num_layers = K, num_layers
        self.bidirectional = bidirectional
        self.num_directions = 2 if bidirectional else 1
        bound = 1 / math.sqrt(H)
        self.weights = nn.ParameterDict()
        for layer in range(num_layers):
            layer_input = D if layer == 0 else self.num_directions * H
            for direction in range(self.num_directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                for name, shape in [("weight_ih", (E, H, layer_input)),
                                    ("weight_hh", (E, H, H)),
                                    ("bias_ih", (E, H)), ("bias_hh", (E, H))]:
                    self.weights[name + suffix] = nn.Parameter(
                        torch.empty(shape).uniform_(-bound, bound))
        out_bound = 1 / math.sqrt(self.num_directions * H)
        self.W_hy = nn.Parameter(
            torch.empty(E, K, self.num_directions * H).uniform_(-out_bound, out_bound))
        self.b_y = nn.Parameter(torch.empty(E, K).uniform_(-out_bound, out_bound))

    def _direction(self, x, suffix, reverse):
        """One layer and direction of every member: x (T, E, B, D_l) -> (T, E, B, H)."""
        W_ih = self.weights["weight_ih" + suffix]
        W_hh = self.weights["weight_hh" + suffix]
        bias = (self.weights["bias_ih" + suffix] + self.weights["bias_hh" + suffix])
        # input part of every step at once: (T, E, B, H); unbind, not pre[t]: indexing
        # would make the backward pass add T full-size gradients of pre
        pre = (torch.einsum("tebd,ehd->tebh", x, W_ih) + bias[:, None, :]).unbind(0)
        W_hh_T = W_hh.transpose(1, 2)
        steps = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
        h = x.new_zeros(x.shape[1], x.shape[2], self.hidden_size)
        outputs = [None] * x.shape[0]
        for t in steps:
            h = torch.tanh(torch.baddbmm(pre[t], h, W_hh_T))
            outputs[t] = h
        return torch.stack(outputs)

    def hidden(self, x):
        """The last layer's states, both directions concatenated:
        (T, E, B, dirs * H)."""
        if x.dim() == 3:
            x = x.unsqueeze(1).expand(-1, self.n_members, -1, -1)
        E, D = self.n_members, self.input_size
        if x.dim() != 4 or x.shape[1] != E or x.shape[3] != D:
            raise ValueError(
                f"x must have shape (T, B, D) or (T, E, B, D) with E = {self.n_members}"
                f", D = {self.input_size}, got {tuple(x.shape)}")
        for layer in range(self.num_layers):
            outputs = [self._direction(x, f"_l{layer}" + ("_reverse" if d else ""), d)
                       for d in range(self.num_directions)]
            x = torch.cat(outputs, dim=3) if self.bidirectional else outputs[0]
        return x

    def forward(self, x):
        """Logits of every member at every step: (T, E, B, K)."""
        h = self.hidden(x)
        return torch.einsum("tebh,ekh->tebk", h, self.W_hy) + self.b_y[:, None, :]

    def member(self, e):
        """Member e as ``(torch.nn.RNN, torch.nn.Linear)`` with the same weights."""
        rnn = nn.RNN(self.input_size, self.hidden_size, self.num_layers,
                     bidirectional=self.bidirectional)
        rnn.load_state_dict({k: v[e].detach() for k, v in self.weights.items()})
        readout = nn.Linear(self.num_directions * self.hidden_size, self.output_size)
        readout.load_state_dict({"weight": self.W_hy[e].detach(),
                                 "bias": self.b_y[e].detach()})
        return rnn, readout

    def parameters_per_member(self):
        return sum(p[0].numel() for p in self.parameters())
