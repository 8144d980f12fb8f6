"""Second-order recurrent networks (Giles et al. 1992) and the automata they learn.

In a first-order network the input and the state are *added* inside the activation.
In a second-order network they *multiply*: every pair (state unit j, input symbol k)
has its own weight to unit i,

    h_t[i] = σ(Σ_j Σ_k W[i, j, k] h_{t-1}[j] x_t[k] + b[i]),

and with one-hot inputs the current symbol k *selects* the matrix W[:, :, k] that
maps the old state to the new one, exactly as a symbol selects a row of a finite
automaton's transition table. The network starts from h_0 = (1, 0, ..., 0) and
unit 0 is the response: a string is accepted when h_T[0] > 0.5 after its last
symbol. Padded steps (mask 0) leave the state unchanged.

Giles et al. extracted an automaton from a trained network by **quantising** its state
space: each unit's range [0, 1] is cut into q equal intervals, so the states fall into
at most q^N cells. Starting from the cell of h_0, every cell reached is expanded with
each input symbol, using the network state that first reached it; the cells and the
transitions between them form a DFA, which is then minimised
(:func:`extract_automaton`).

Shapes: x (T, B, K) one-hot symbols, mask (T, B); the weights W (N, N, K), b (N,).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .languages import DFA, string_tensors

__all__ = ["SecondOrderRNN", "acceptance_loss", "extract_automaton", "quantise"]


class SecondOrderRNN(nn.Module):
    """A second-order recurrent network with N state units over K input symbols."""

    def __init__(self, n_states, n_symbols=2, init_scale=1.0):
        super().__init__()
        for name, value in (("n_states", n_states), ("n_symbols", n_symbols)):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        N, K = int(n_states), int(n_symbols)
        self.W = nn.Parameter(torch.empty(N, N, K).uniform_(-init_scale, init_scale))
        self.b = nn.Parameter(torch.empty(N).uniform_(-init_scale, init_scale))

    def initial_state(self, batch_size):
        h = torch.zeros(batch_size, self.W.shape[0])
        h[:, 0] = 1.0
        return h

    def step(self, h, x):
        """One step: h (B, N), x (B, K) -> (B, N)."""
        return torch.sigmoid(torch.einsum("ijk,bj,bk->bi", self.W, h, x) + self.b)

    def forward(self, x, mask=None):
        """All states h_1 ... h_T (T, B, N) and the final states (B, N)."""
        N, _, K = self.W.shape
        if x.dim() != 3 or x.shape[2] != K:
            raise ValueError(
                f"x must have shape (T, B, K) with K = {K} symbols (from W), got "
                f"{tuple(x.shape)}"
            )
        T, B, _ = x.shape
        if mask is not None and mask.shape != (T, B):
            raise ValueError(f"mask must have shape (T, B) = {(T, B)}, got "
                             f"{tuple(mask.shape)}")
        h = self.initial_state(B).to(x)
        states = []
        for t in range(T):
            new = self.step(h, x[t])
            h = new if mask is None else torch.where(mask[t, :, None] > 0, new, h)
            states.append(h)
        return torch.stack(states), h

    def accepts(self, s):
        """Whether the network accepts the binary string s (response unit > 0.5)."""
        x, mask = string_tensors([s])
        with torch.no_grad():
            _, h = self(x, mask)
        return bool(h[0, 0] > 0.5)


def acceptance_loss(model, x, mask, labels):
    """Binary cross-entropy between the response unit h_T[0] and the labels (B,)."""
    _, h = model(x, mask)
    p = h[:, 0].clamp(1e-6, 1 - 1e-6)
    return nn.functional.binary_cross_entropy(p, labels)


def quantise(h, q):
    """The cell of each state: h (..., N) in [0, 1] -> integer tuples, q bins per
    unit (the value 1 falls into the last bin)."""
    if int(q) != q or q < 1:
        raise ValueError(f"q must be a positive integer number of intervals, got {q!r}")
    cells = np.minimum((np.asarray(h) * q).astype(int), int(q) - 1)
    return [tuple(c) for c in cells.reshape(-1, cells.shape[-1])]


def extract_automaton(model, q, max_cells=10_000):
    """The DFA of a trained network, by quantising its states into q^N cells.

    Breadth-first from the cell of h_0: each new cell is represented by the network
    state that first reached it; feeding that state each symbol gives the cell it
    moves to. A cell is accepting when its representative's response unit is > 0.5.
    Returns the minimised DFA and the number of cells visited before minimisation.
    """
    N, _, K = model.W.shape
    if K != 2:
        raise ValueError(f"extraction is written for binary strings (K = 2), got K={K}")
    symbols = torch.eye(2)
    with torch.no_grad():
        h0 = model.initial_state(1)[0]
        start = quantise(h0.numpy(), q)[0]
        representative = {start: h0}
        transitions, frontier = {}, [start]
        while frontier:
            cell = frontier.pop(0)
            h = representative[cell].expand(2, N)
            nxt = model.step(h, symbols)
            transitions[cell] = {}
            for symbol, state in zip("01", nxt):
                target = quantise(state.numpy(), q)[0]
                transitions[cell][symbol] = target
                if target not in representative:
                    if len(representative) >= max_cells:
                        raise RuntimeError(f"more than {max_cells} cells visited")
                    representative[target] = state
                    frontier.append(target)
    accepting = {c for c, h in representative.items() if h[0] > 0.5}
    visited = len(representative)
    return DFA(transitions, accepting, start).minimised(), visited

