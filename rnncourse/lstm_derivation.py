"""The LSTM's backward pass one line at a time, checked against autograd (chapter 7).

:func:`backward_lines` is the derivation of :func:`rnncourse.np.lstm_step_backward`
written out with a name for every intermediate gradient, so that each line can be
compared with what PyTorch's autograd finds for the same quantity
(:func:`autograd_lines`). :func:`popular_backward` codes, literally, a derivation
that circulates in many tutorials; its gradient check fails (see the chapter).

All three take one step's cache from :func:`rnncourse.np.lstm_step_forward`, the
upstream gradients ``dh`` = ∂L/∂h_t and ``dc`` = ∂L/∂c_t (B, H) (the gradient that
arrives from step t + 1 along the cell path, f_{t+1} ⊙ ∂L/∂c_{t+1}), and return a dict
of NumPy arrays.
"""

from __future__ import annotations

import numpy as np

from .np.lstm import sigmoid

__all__ = ["LINES", "backward_lines", "autograd_lines", "popular_backward"]

# The lines of the derivation, in order: (name, formula as the chapter writes it)
LINES = (
    ("dc_t", r"\delta c_t = \mathrm{dc} + \mathrm{dh} \odot o_t \odot "
             r"(1 - \tanh^2 c_t)"),
    ("da_o", r"\delta a_o = \mathrm{dh} \odot \tanh(c_t) \odot o_t (1 - o_t)"),
    ("da_i", r"\delta a_i = \delta c_t \odot g_t \odot i_t (1 - i_t)"),
    ("da_f", r"\delta a_f = \delta c_t \odot c_{t-1} \odot f_t (1 - f_t)"),
    ("da_g", r"\delta a_g = \delta c_t \odot i_t \odot (1 - g_t^2)"),
    ("dc_prev", r"\delta c_{t-1} = \delta c_t \odot f_t"),
    ("dh_prev", r"\delta h_{t-1} = \delta a\, W_{hh}"),
    ("dx", r"\delta x_t = \delta a\, W_{ih}"),
    ("dW_ih", r"\delta W_{ih} = \delta a^\top x_t"),
    ("dW_hh", r"\delta W_{hh} = \delta a^\top h_{t-1}"),
    ("db", r"\delta b_{ih} = \delta b_{hh} = \textstyle\sum_b \delta a"),
)


def backward_lines(dh, dc, cache):
    """Every line of the LSTM step's backward pass, by name (see :data:`LINES`).

    dh, dc: (B, H); cache from :func:`rnncourse.np.lstm_step_forward`.
    Returns a dict: ``dc_t`` (B, H), ``da_o``, ``da_i``, ``da_f``, ``da_g`` (B, H),
    ``dc_prev`` (B, H), ``dh_prev`` (B, H), ``dx`` (B, D), ``dW_ih`` (4H, D),
    ``dW_hh`` (4H, H), ``db`` (4H,).
    """
    i, f, g, o = (cache[k] for k in "ifgo")
    tanh_c, c_prev = cache["tanh_c"], cache["c_prev"]
    lines = {}
    # c_t reaches the loss directly (dc) and through h_t = o_t ⊙ tanh(c_t)
    lines["dc_t"] = dc + dh * o * (1 - tanh_c ** 2)
    # each gate's pre-activation: the product rule, then the activation's derivative
    lines["da_o"] = dh * tanh_c * o * (1 - o)
    lines["da_i"] = lines["dc_t"] * g * i * (1 - i)
    lines["da_f"] = lines["dc_t"] * c_prev * f * (1 - f)
    lines["da_g"] = lines["dc_t"] * i * (1 - g ** 2)
    # along the cell path: c_t = f_t ⊙ c_{t-1} + ..., so ∂c_t/∂c_{t-1} = diag(f_t)
    lines["dc_prev"] = lines["dc_t"] * f
    # a = x W_ihᵀ + h_{t-1} W_hhᵀ + b, linear in h_{t-1}: no activation derivative here
    da = np.concatenate([lines[k] for k in ("da_i", "da_f", "da_g", "da_o")], axis=1)
    lines["dh_prev"] = da @ cache["W_hh"]
    lines["dx"] = da @ cache["W_ih"]
    # weight gradients are sums of outer products, one per example of the batch
    lines["dW_ih"] = da.T @ cache["x"]
    lines["dW_hh"] = da.T @ cache["h_prev"]
    lines["db"] = da.sum(axis=0)
    return lines


def autograd_lines(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh, dh, dc):
    """The same quantities as :func:`backward_lines`, found by PyTorch's autograd.

    The step is recomputed in float64 with every intermediate kept (``retain_grad``),
    the loss is L = Σ dh ⊙ h_t + Σ dc ⊙ c_t (so that ∂L/∂h_t = dh and the extra
    ∂L/∂c_t = dc), and autograd's gradient of L with respect to each intermediate is
    returned under the name of the line that computes it.
    """
    import torch

    t = {name: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True)
         for name, v in dict(x=x, h_prev=h_prev, c_prev=c_prev, W_ih=W_ih, W_hh=W_hh,
                             b_ih=b_ih, b_hh=b_hh).items()}
    H = t["h_prev"].shape[1]
    a = t["x"] @ t["W_ih"].T + t["b_ih"] + t["h_prev"] @ t["W_hh"].T + t["b_hh"]
    a_i, a_f, a_g, a_o = (a[:, k * H:(k + 1) * H] for k in range(4))
    for block in (a_i, a_f, a_g, a_o):
        block.retain_grad()
    i, f, g, o = torch.sigmoid(a_i), torch.sigmoid(a_f), torch.tanh(a_g), \
        torch.sigmoid(a_o)
    c = f * t["c_prev"] + i * g
    c.retain_grad()
    h = o * torch.tanh(c)
    loss = (torch.as_tensor(dh) * h).sum() + (torch.as_tensor(dc) * c).sum()
    loss.backward()
    grads = {"dc_t": c.grad, "da_o": a_o.grad, "da_i": a_i.grad, "da_f": a_f.grad,
             "da_g": a_g.grad, "dc_prev": t["c_prev"].grad, "dh_prev": t["h_prev"].grad,
             "dx": t["x"].grad, "dW_ih": t["W_ih"].grad, "dW_hh": t["W_hh"].grad,
             "db": t["b_ih"].grad}
    return {name: value.numpy() for name, value in grads.items()}


def popular_backward(dh, dc, cache):
    """The popular derivation, coded exactly as it is usually written. It is wrong.

        ∂L/∂o_t = dh ⊙ tanh(c_t)          (the gate's output, without σ′)
        ∂L/∂c_t = dh ⊙ o_t ⊙ (1 − tanh²(c_t)) + dc
        ∂L/∂f_t = ∂L/∂c_t ⊙ c_{t-1} ⊙ f_t(1 − f_t), and likewise for i_t and g_t
        δ_{t-1} = (W_iᵀ ∂L/∂i_t + W_fᵀ ∂L/∂f_t + W_oᵀ ∂L/∂o_t + W_cᵀ ∂L/∂g_t)
                  ⊙ σ′(h_{t-1})
        ∂L/∂W_o = ∂L/∂o_t ⊙ o_t(1 − o_t) ⊙ x_tᵀ

    with W_i, W_f, W_g, W_o the *input* weights (the blocks of W_ih). Three mistakes:
    the recurrent gradient must use the hidden-to-gate weights W_hh; ∂L/∂o_t lacks the
    derivative σ′ of its own gate; and h_{t-1} enters the gates linearly, so there is
    no σ′(h_{t-1}) factor. The weight gradient written with ⊙ is an outer product.
    Written literally, W_iᵀ ∂L/∂i_t only has the shape of h_{t-1} when D = H, and the
    "elementwise" weight gradient has H entries where W_o has H × D.

    Returns ``dh_prev`` (B, H) and ``dW_o`` (H,): what the formula gives.
    """
    i, f, g, o = (cache[k] for k in "ifgo")
    tanh_c, c_prev, h_prev = cache["tanh_c"], cache["c_prev"], cache["h_prev"]
    W_ih, x = cache["W_ih"], cache["x"]
    H, D = h_prev.shape[1], x.shape[1]
    if D != H:
        raise ValueError(
            f"the popular formula multiplies W_ih blocks (H, D) = ({H}, {D}) "
            "transposed by gate gradients (B, H) and uses the result as dh_prev "
            "(B, H): it only type-checks when D = H"
        )
    W_i, W_f, W_g, W_o = (W_ih[k * H:(k + 1) * H] for k in range(4))
    dL_do = dh * tanh_c
    dL_dc = dh * o * (1 - tanh_c ** 2) + dc
    dL_df = dL_dc * c_prev * f * (1 - f)
    dL_di = dL_dc * g * i * (1 - i)
    dL_dg = dL_dc * i * (1 - g ** 2)
    sigma_prime = sigmoid(h_prev) * (1 - sigmoid(h_prev))
    dh_prev = (dL_di @ W_i + dL_df @ W_f + dL_do @ W_o + dL_dg @ W_g) * sigma_prime
    dW_o = (dL_do * o * (1 - o) * x).sum(axis=0)          # "⊙ x_tᵀ", elementwise
    return {"dh_prev": dh_prev, "dW_o": dW_o}
