"""A whole-sequence Elman RNN layer as one autograd node, with backpropagation through
time by hand: the tanh (or ReLU) counterpart of :mod:`rnncourse.torch.fused_lstm`.

``torch.nn.RNN`` on the CPU has no fused kernel (oneDNN serves only its LSTM), so
autograd records a matrix product, an addition and a tanh at every step and replays them
one by one backwards. The structure of the recurrence allows much less work:

* forward: the input part ``x W_ihᵀ + b_ih + b_hh`` is **one** matrix product over all
  T·B rows, written into the output buffer; each step then adds ``h_{t−1} W_hhᵀ`` to its
  slice of that buffer and applies φ in place;
* backward, with ``a_t`` the pre-activation and ``h_t = φ(a_t)``::

      da_t     = dh_t ⊙ φ'(a_t)           φ' = 1 − h_t² (tanh), [h_t > 0] (ReLU)
      dh_{t−1} = da_t W_hh + dout_{t−1}

  φ'(a_t) is known from the forward pass for all t before the loop starts, so each step
  costs one elementwise product and one small matrix product; the weight, bias and
  input gradients are sums over time, **one** matrix product each::

      dW_ih = daᵀ x        dW_hh = daᵀ h_prev        db = Σ_{t,b} da        dx = da W_ih

Measured with ``python -m rnncourse.bench``: about 2–3× faster than ``torch.nn.RNN``'s
forward + backward for the small models of the chapters.
"""

import torch
from torch.autograd.function import once_differentiable

from .fused_lstm import _bias_grads, _check_shape, _sum_biases

__all__ = ["RNNFunction", "fused_rnn"]


class RNNFunction(torch.autograd.Function):
    """``RNNFunction.apply(x, h0, W_ih, W_hh, b_ih, b_hh, relu) -> (output, h_T)``.

    Shapes: x (T, B, D), h0 (B, H), W_ih (H, D), W_hh (H, H), b_ih and b_hh (H,) or
    None, relu a bool (False: tanh); output (T, B, H), h_T (B, H). Use
    :func:`fused_rnn`, which checks the shapes first.
    """

    @staticmethod
    def forward(ctx, x, h0, W_ih, W_hh, b_ih, b_hh, relu):
        T, B, D = x.shape
        H = W_hh.shape[0]
        bias = _sum_biases(b_ih, b_hh)
        x_rows = x.reshape(T * B, D)
        if bias is not None:
            output = torch.addmm(bias, x_rows, W_ih.t())
        else:
            output = torch.mm(x_rows, W_ih.t())
        output = output.view(T, B, H)   # a_t, then h_t in place
        W_hh_t = W_hh.t()
        h_prev = h0
        for a in output:                # views made once by iterating over dim 0
            a.addmm_(h_prev, W_hh_t)
            a.relu_() if relu else a.tanh_()
            h_prev = a
        ctx.save_for_backward(x, h0, W_ih, W_hh, output)
        ctx.relu = relu
        ctx.has_bias = (b_ih is not None, b_hh is not None)
        return output, output[T - 1].clone()

    @staticmethod
    @once_differentiable
    def backward(ctx, d_out, d_h_T):
        x, h0, W_ih, W_hh, output = ctx.saved_tensors
        T, B, D = x.shape
        H = W_hh.shape[0]
        # d_a starts as φ'(a_t) for every step and becomes da_t in place, step by step
        if ctx.relu:
            d_a = (output > 0).to(output.dtype)
        else:
            d_a = torch.addcmul(torch.ones_like(output), output, output, value=-1)
        dh = (d_out[T - 1] + d_h_T).contiguous()
        d_out_prev = (None, *d_out[:-1])
        for d_a_t, d_out_before in reversed(list(zip(d_a, d_out_prev))):
            d_a_t.mul_(dh)                                 # da_t = dh_t ⊙ φ'(a_t)
            if d_out_before is not None:                   # dh_{t−1}
                torch.addmm(d_out_before, d_a_t, W_hh, out=dh)
        needs = ctx.needs_input_grad
        dh0 = torch.mm(d_a[0], W_hh) if needs[1] else None

        d_rows = d_a.view(T * B, H)
        dx = torch.mm(d_rows, W_ih).view(T, B, D) if needs[0] else None
        dW_ih = torch.mm(d_rows.t(), x.reshape(T * B, D)) if needs[2] else None
        dW_hh = None
        if needs[3]:
            h_prev_rows = torch.cat([h0.unsqueeze(0), output[:-1]]).view(T * B, H)
            dW_hh = torch.mm(d_rows.t(), h_prev_rows)
        db_ih, db_hh = _bias_grads(d_rows, ctx.has_bias, needs[4], needs[5])
        return dx, dh0, dW_ih, dW_hh, db_ih, db_hh, None


def fused_rnn(x, h0, W_ih, W_hh, b_ih=None, b_hh=None, nonlinearity="tanh"):
    """Run a one-layer, one-direction Elman RNN over a whole sequence with a
    hand-written backward.

    Same equation as :func:`rnncourse.torch.cells.rnn_step`:
    ``h_t = φ(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)``.

    Args:
        x: (T, B, D) inputs, time-major.
        h0: (B, H) initial state.
        W_ih: (H, D); W_hh: (H, H); b_ih, b_hh: (H,) or None.
        nonlinearity: ``"tanh"`` or ``"relu"``.

    Returns:
        output (T, B, H) = h_1 … h_T, and h_T (B, H).
    """
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"fused_rnn: nonlinearity must be 'tanh' or 'relu', got "
                         f"{nonlinearity!r}")
    if x.dim() != 3:
        raise ValueError(
            f"fused_rnn: x must be 3-D (T, B, D), got shape {tuple(x.shape)}"
        )
    T, B, D = x.shape
    if T < 1:
        raise ValueError("fused_rnn: x must hold at least one time step, got T = 0")
    if W_hh.dim() != 2 or W_hh.shape[0] != W_hh.shape[1]:
        raise ValueError(f"fused_rnn: W_hh must have shape (H, H), got "
                         f"{tuple(W_hh.shape)}")
    H = W_hh.shape[1]
    _check_shape("W_ih", W_ih, (H, D), "(H, D)", "fused_rnn")
    _check_shape("h0", h0, (B, H), "(B, H)", "fused_rnn")
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            _check_shape(name, b, (H,), "(H,)", "fused_rnn")
    return RNNFunction.apply(x, h0, W_ih, W_hh, b_ih, b_hh, nonlinearity == "relu")
