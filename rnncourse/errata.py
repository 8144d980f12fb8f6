"""Mistakes that popular explanations of recurrent networks repeat, coded literally
so that appendix C can show each one failing (and the correct version passing).

Each function computes what a wrong formula computes, with the book's parameters and
shapes, and says in its docstring what is wrong. The correct versions are the
package's own (:func:`rnncourse.np.lstm_step_backward`,
:func:`rnncourse.np.gru_step_forward`, ...); the popular LSTM backward pass with all its
mistakes at once is :func:`rnncourse.lstm_derivation.popular_backward` (chapter 7).

- :func:`lstm_dh_prev`: the LSTM's gradient on h_{t-1}, with each of the three
  popular mistakes switched on or off separately;
- :func:`gru_step_with_update_weights`: the GRU candidate written with the update
  gate's weights W_hz instead of its own W_hn;
- :func:`gru_convention_step`: the GRU as different sources write it (reset before or
  after the product, z or 1 − z on the old state);
- :func:`flip_update_gate`: the weights under which the two z conventions agree.
"""

from __future__ import annotations

import numpy as np

from .np.gru import gru_cho_step_forward, gru_step_forward
from .np.lstm import sigmoid

__all__ = ["lstm_dh_prev", "gru_step_with_update_weights", "gru_convention_step",
           "flip_update_gate"]


def lstm_dh_prev(dh, dc, cache, *, weights="hidden", sigma_prime_of_h=False,
                 output_gate_derivative=True):
    """∂L/∂h_{t-1} of one LSTM step, the right way or with popular mistakes.

    dh, dc: (B, H) upstream gradients on h_t and c_t; cache: from
    :func:`rnncourse.np.lstm_step_forward`.

    weights: "hidden" (right: the gates read h_{t-1} through the blocks of W_hh) or
        "input" (the popular W_i, W_f, W_g, W_o: the blocks of W_ih, which only fit
        when D = H);
    sigma_prime_of_h: multiply the result by σ'(h_{t-1}) = σ(h_{t-1})(1 − σ(h_{t-1}))
        (wrong: h_{t-1} enters the gates linearly, no activation acts on it);
    output_gate_derivative: include the output gate's own σ' = o_t(1 − o_t) in its
        term (right; the popular form uses ∂L/∂o_t = dh ⊙ tanh(c_t) without it).

    With the defaults this is exactly ``lstm_step_backward(...)["h_prev"]``; with
    ``weights="input", sigma_prime_of_h=True, output_gate_derivative=False`` it is
    the popular formula of :func:`rnncourse.lstm_derivation.popular_backward`.
    Returns (B, H).
    """
    if weights not in ("hidden", "input"):
        raise ValueError(f"weights must be 'hidden' or 'input', got {weights!r}")
    i, f, g, o, tanh_c = (cache[k] for k in ("i", "f", "g", "o", "tanh_c"))
    c_prev, h_prev = cache["c_prev"], cache["h_prev"]
    H = h_prev.shape[1]
    for name, value in (("dh", dh), ("dc", dc)):
        if np.shape(value) != h_prev.shape:
            raise ValueError(
                f"{name} must have the shape of the hidden state (B, H) = "
                f"{h_prev.shape}, got {np.shape(value)}"
            )
    W = cache["W_hh"] if weights == "hidden" else cache["W_ih"]
    if W.shape[1] != H:
        raise ValueError(
            f"with weights={weights!r} the gradient on h_{{t-1}} (B, H) = "
            f"{h_prev.shape} is a product with blocks of shape (H, {W.shape[1]}): it "
            f"only has the shape of h_{{t-1}} when D = H"
        )
    dc_t = dc + dh * o * (1 - tanh_c ** 2)
    da_o = dh * tanh_c * (o * (1 - o) if output_gate_derivative else 1.0)
    da = np.concatenate([
        dc_t * g * i * (1 - i),          # input gate
        dc_t * c_prev * f * (1 - f),     # forget gate
        dc_t * i * (1 - g ** 2),         # candidate
        da_o,                            # output gate
    ], axis=1)
    dh_prev = da @ W
    if sigma_prime_of_h:
        s = sigmoid(h_prev)
        dh_prev = dh_prev * s * (1 - s)
    return dh_prev


def _split3(a, H):
    return a[..., :H], a[..., H:2 * H], a[..., 2 * H:]


def gru_step_with_update_weights(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    """torch's GRU step with the candidate computed from the *update* gate's
    recurrent weights, n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hz h_{t-1} + b_hn)),
    a typo that circulates in tutorials. W_hn (rows 2H..3H of W_hh) is never used.
    x (B, D), h_prev (B, H), weights as for :func:`rnncourse.np.gru_step_forward`.
    Returns h_t (B, H)."""
    _, cache = gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh)   # checks shapes
    H = cache["h_prev"].shape[1]
    W_hr, W_hz, W_hn = (cache["W_hh"][k * H:(k + 1) * H] for k in range(3))
    ax_n = _split3(cache["x"] @ cache["W_ih"].T + b_ih, H)[2]
    b_hn = np.asarray(b_hh)[2 * H:]
    n = np.tanh(ax_n + cache["r"] * (cache["h_prev"] @ W_hz.T + b_hn))
    return (1 - cache["z"]) * n + cache["z"] * cache["h_prev"]


def gru_convention_step(x, h_prev, W_ih, W_hh, b_ih, b_hh, *, reset="after",
                        keep="z"):
    """One GRU step in one of the conventions found in the literature.

    reset: "after" (torch, cuDNN: r_t ⊙ (W_hn h_{t-1} + b_hn)) or "before" (Cho et al.
        2014's equations: W_hn (r_t ⊙ h_{t-1}) + b_hn);
    keep: which gate value multiplies the old state: "z" (torch and Cho et al.:
        h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}) or "1-z" (Chung et al. 2014 and the
        appendix of Bahdanau et al. 2015: h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t-1}).

    Gates, weights and shapes as in :func:`rnncourse.np.gru_step_forward`. Returns
    h_t (B, H).
    """
    if reset not in ("after", "before"):
        raise ValueError(f"reset must be 'after' or 'before', got {reset!r}")
    if keep not in ("z", "1-z"):
        raise ValueError(f"keep must be 'z' or '1-z', got {keep!r}")
    step = gru_step_forward if reset == "after" else gru_cho_step_forward
    _, cache = step(x, h_prev, W_ih, W_hh, b_ih, b_hh)
    z, n, h_prev = cache["z"], cache["n"], cache["h_prev"]
    if keep == "z":
        return (1 - z) * n + z * h_prev
    return z * n + (1 - z) * h_prev


def flip_update_gate(W_ih, W_hh, b_ih, b_hh):
    """Copies of the GRU weights with the update gate's block (rows H..2H) negated.

    σ(−a) = 1 − σ(a), so a GRU written with h_t = z ⊙ n + (1 − z) ⊙ h_{t-1} and these
    weights computes exactly what the other convention computes with the originals.
    Returns (W_ih, W_hh, b_ih, b_hh).
    """
    out = [np.array(w, dtype=float) for w in (W_ih, W_hh, b_ih, b_hh)]
    H = out[1].shape[1]
    if out[1].shape[0] != 3 * H:
        raise ValueError(
            f"W_hh must have shape (3H, H) = ({3 * H}, {H}) for a GRU, got "
            f"{out[1].shape}"
        )
    for w in out:
        w[H:2 * H] *= -1
    return tuple(out)
