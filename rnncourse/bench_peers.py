"""The LSTMs a learner would compare the course's implementations with.

``python -m rnncourse.bench`` times them next to ``rnncourse.np.lstm_forward`` and
``torch.nn.LSTM``. Both are written the way most first implementations are:

* :func:`lstm_per_step_forward` / :func:`lstm_per_step_backward`: the textbook NumPy
  LSTM, a Python loop over time that calls the one-step functions
  :func:`rnncourse.np.lstm_step_forward` and :func:`rnncourse.np.lstm_step_backward`
  and keeps one cache per step (the layout of most course assignments on LSTMs);
* :class:`PerStepLSTM`: a from-scratch torch LSTM with one weight matrix per gate
  and plain tensor operations at every step (``x_t @ W_x["i"] + h @ W_h["i"] +
  b["i"]``, then ``torch.sigmoid`` and ``torch.tanh``); autograd computes its
  gradients.

Both compute exactly what ``torch.nn.LSTM`` computes (same gates, same weights, in
another layout); ``tests/test_bench.py`` checks their gradients against it.
"""

import numpy as np
import torch

from rnncourse.np import lstm_step_backward, lstm_step_forward

__all__ = ["lstm_per_step_forward", "lstm_per_step_backward", "PerStepLSTM"]


def lstm_per_step_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """An LSTM over a sequence as a Python loop of :func:`lstm_step_forward`.

    Same arguments and results as :func:`rnncourse.np.lstm_forward`: x (T, B, D),
    h0 and c0 (B, H), weights in ``torch.nn.LSTM``'s layout; returns out (T, B, H),
    (h_T, c_T) and the cache, here the list of the T step caches.
    """
    h, c = h0, c0
    outputs, caches = [], []
    for x_t in x:
        h, c, cache = lstm_step_forward(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
        caches.append(cache)
    return np.stack(outputs), (h, c), caches


def lstm_per_step_backward(dout, caches):
    """Backpropagation through time as a Python loop of :func:`lstm_step_backward`.

    dout (T, B, H) is the upstream gradient on every output h_t. Walking back from
    the last step, the gradient on h_t is dout[t] plus what step t+1 sends back to
    h_t, the gradient on c_t is what step t+1 sends back to c_t, and the weight
    gradients of the steps are summed. Returns the dict of
    :func:`rnncourse.np.lstm_backward`: ``x`` (T, B, D), ``h0``, ``c0`` (B, H),
    ``W_ih``, ``W_hh``, ``b_ih``, ``b_hh``.
    """
    dx = []
    dh_next = np.zeros_like(dout[0])          # what step t+1 sends back to h_t
    dc_next = np.zeros_like(dout[0])          # ... and to c_t
    sums = {}
    for t in reversed(range(len(caches))):
        step = lstm_step_backward(dout[t] + dh_next, dc_next, caches[t])
        dx.append(step["x"])
        dh_next, dc_next = step["h_prev"], step["c_prev"]
        for name in ("W_ih", "W_hh", "b_ih", "b_hh"):
            sums[name] = sums[name] + step[name] if name in sums else step[name]
    return {"x": np.stack(dx[::-1]), "h0": dh_next, "c0": dc_next, **sums}


GATE_NAMES = ("i", "f", "g", "o")      # torch.nn.LSTM's order of the gate blocks


class PerStepLSTM(torch.nn.Module):
    """A one-layer LSTM written with plain tensor operations, one step at a time.

    Every gate has its own input matrix ``W_x[gate]`` (D, H), recurrent matrix
    ``W_h[gate]`` (H, H) and bias ``b[gate]`` (H,), for the gates i, f, g (the
    candidate cell) and o, so that one step reads like the equations::

        i = σ(x_t W_x[i] + h W_h[i] + b[i])     ...     c = f ⊙ c + i ⊙ g
        h = o ⊙ tanh(c)

    (batches are rows: x_t (B, D), h and c (B, H)). Autograd records every
    operation of every step and computes the gradients.
    """

    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        D, H = input_size, hidden_size

        def parameters(*shape):
            return torch.nn.ParameterDict(
                {gate: torch.nn.Parameter(torch.empty(*shape)) for gate in GATE_NAMES})

        self.W_x, self.W_h, self.b = parameters(D, H), parameters(H, H), parameters(H)

    @classmethod
    def like(cls, lstm):
        """A PerStepLSTM holding the weights of a one-layer ``torch.nn.LSTM``.

        Gate block k of ``weight_ih_l0`` (4H, D) is ``W_x[gate]`` transposed; the
        two biases of a gate add up to its single bias. Same dtype as ``lstm``.
        """
        H = lstm.hidden_size
        module = cls(lstm.input_size, H).to(lstm.weight_ih_l0.dtype)
        with torch.no_grad():
            for k, gate in enumerate(GATE_NAMES):
                rows = slice(k * H, (k + 1) * H)
                module.W_x[gate].copy_(lstm.weight_ih_l0[rows].T)
                module.W_h[gate].copy_(lstm.weight_hh_l0[rows].T)
                module.b[gate].copy_(lstm.bias_ih_l0[rows] + lstm.bias_hh_l0[rows])
        return module

    def forward(self, x, state=None):
        """x (T, B, D) -> (out (T, B, H), (h_T, c_T)); state (h0, c0), zeros if None.
        """
        if state is None:
            zeros = x.new_zeros(x.shape[1], self.hidden_size)
            state = (zeros, zeros)
        h, c = state
        W_x, W_h, b = self.W_x, self.W_h, self.b
        outputs = []
        for x_t in x:
            i = torch.sigmoid(x_t @ W_x["i"] + h @ W_h["i"] + b["i"])
            f = torch.sigmoid(x_t @ W_x["f"] + h @ W_h["f"] + b["f"])
            g = torch.tanh(x_t @ W_x["g"] + h @ W_h["g"] + b["g"])
            o = torch.sigmoid(x_t @ W_x["o"] + h @ W_h["o"] + b["o"])
            c = f * c + i * g
            h = o * torch.tanh(c)
            outputs.append(h)
        return torch.stack(outputs), (h, c)

    def grads_like_torch(self):
        """The gradients in ``torch.nn.LSTM``'s layout: ``weight_ih_l0`` (4H, D),
        ``weight_hh_l0`` (4H, H) and ``bias`` (4H,), which is the gradient of each
        of torch.nn's two biases."""
        return {
            "weight_ih_l0": torch.cat([self.W_x[g].grad.T for g in GATE_NAMES]),
            "weight_hh_l0": torch.cat([self.W_h[g].grad.T for g in GATE_NAMES]),
            "bias": torch.cat([self.b[g].grad for g in GATE_NAMES]),
        }
