"""A character-level language model in NumPy: :func:`rnn_forward` plus a softmax layer.

The model reads characters c_1 ... c_T as one-hot vectors of size K (the vocabulary
size) and predicts at every step the next character::

    x_t = onehot(c_t)                                      (K,)
    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (H,)  rnncourse.np.rnn_forward
    o_t = W_hy h_t + b_y                                (K,)  logits
    p_t = softmax(o_t),     L = -(1/(T·B)) Σ_t Σ_b log p_t[c_{t+1}]

so the loss is the mean cross-entropy in nats per character over the T steps and the B
sequences of a batch. In the textbook notation U, W, V of the course the matrices are
U = W_ih, W = W_hh and V = W_hy; the two biases b_ih + b_hh play the role of one bias b.
An untrained model with logits near 0 predicts the uniform distribution, so its loss
starts near ln K.

The backward pass is the output layer's gradient followed by :func:`rnn_backward`
(backpropagation through time); training follows Karpathy's ``min-char-rnn``: truncated
BPTT over windows of ``seq_length`` characters with the hidden state carried from one
window to the next, gradient clipping, and Adagrad (or Adam).

Shapes: ids (T, B) int, one-hot inputs (T, B, K), hidden states (T, B, H), logits
(T, B, K). Parameters are a dict ``{"W_ih": (H, K), "W_hh": (H, H), "b_ih": (H,),
"b_hh": (H,), "W_hy": (K, H), "b_y": (K,)}``, float64.
"""

from __future__ import annotations

import numpy as np

from .gradients import global_norm
from .rnn import rnn_backward, rnn_forward

__all__ = [
    "softmax_cross_entropy", "softmax", "one_hot", "init_char_lm", "char_lm_forward",
    "char_lm_loss", "clip_grad_norm", "Adagrad", "Adam", "train_step", "sample",
    "text_batches", "evaluate", "bptt_one_sequence",
]

PARAMETER_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh", "W_hy", "b_y")


def softmax(logits, temperature=1.0):
    """softmax(o / τ) along the last axis, shifted by the maximum so that exp cannot
    overflow."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    e = np.exp(scaled)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits, targets):
    """Mean softmax cross-entropy over every position, and its gradient.

    L = -(1/N) Σ_n log softmax(o_n)[y_n],  N = number of positions (T·B for (T, B, K)
    logits) ∂L/∂o_n = (softmax(o_n) − onehot(y_n)) / N

    The logits are shifted by their maximum before exp (softmax is unchanged by a
    shift), so that large logits cannot overflow.

    Parameters
    ----------
    logits : (..., K) float, e.g. (T, B, K)
    targets : (...) int, e.g. (T, B), values in [0, K)

    Returns
    -------
    loss : float, mean nats per position
    dlogits : (..., K) gradient of ``loss`` with respect to ``logits``
    """
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets)
    if logits.ndim < 1 or targets.shape != logits.shape[:-1]:
        raise ValueError(
            f"targets must have the shape of logits without its last axis, "
            f"{logits.shape[:-1]} for logits of shape "
            f"{logits.shape}, got {targets.shape}"
        )
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(
            f"targets must be integer class ids, got dtype {targets.dtype}"
        )
    K = logits.shape[-1]
    if targets.size and (targets.min() < 0 or targets.max() >= K):
        raise ValueError(
            f"targets must lie in [0, {K}) for {K} classes, got values from "
            f"{targets.min()} to {targets.max()}"
        )
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)
    N = targets.size
    loss = -picked.sum() / N
    dlogits = np.exp(log_probs)
    np.put_along_axis(dlogits, targets[..., None], np.exp(picked) - 1, axis=-1)
    return float(loss), dlogits / N


def one_hot(ids, K):
    """One-hot vectors: ids (...) int -> (..., K) float64 with a 1 at each id."""
    ids = np.asarray(ids)
    out = np.zeros(ids.shape + (K,))
    np.put_along_axis(out, ids[..., None], 1.0, axis=-1)
    return out


def init_char_lm(vocab_size, hidden_size, rng, scale=0.01):
    """Parameters of a fresh model: weights N(0, scale²), biases 0 (min-char-rnn's
    choice).

    With small output weights the first predictions are nearly uniform: loss ≈ ln K.
    """
    K, H = vocab_size, hidden_size
    return {
        "W_ih": rng.normal(0.0, scale, (H, K)),
        "W_hh": rng.normal(0.0, scale, (H, H)),
        "b_ih": np.zeros(H),
        "b_hh": np.zeros(H),
        "W_hy": rng.normal(0.0, scale, (K, H)),
        "b_y": np.zeros(K),
    }


def char_lm_forward(params, inputs, h0):
    """Logits for every position: inputs (T, B) ids, h0 (B, H) -> logits (T, B, K),
    states, cache.

    Returns ``logits`` (T, B, K), ``states`` (T, B, H) = h_1 ... h_T, and the cache of
    :func:`rnncourse.np.rnn_forward`.
    """
    K = params["W_hy"].shape[0]
    x = one_hot(inputs, K)                                              # (T, B, K)
    states, rnn_cache = rnn_forward(
        x, h0, params["W_ih"], params["W_hh"], params["b_ih"], params["b_hh"]
    )
    # o_t = V h_t + c
    logits = states @ params["W_hy"].T + params["b_y"]
    return logits, states, rnn_cache


def char_lm_loss(params, inputs, targets, h0):
    """Loss and gradients of the model on one batch: forward, then backpropagation
    through time.

    Parameters
    ----------
    params : dict of parameters (see the module docstring)
    inputs, targets : (T, B) int, targets[t] = the character after inputs[t]
    h0 : (B, H) the state carried in from the previous window (zeros at the start)

    Returns
    -------
    loss : float, mean nats per character
    grads : dict, one gradient per parameter, same keys and shapes
    h_last : (B, H) the final state h_T, to carry into the next window
    """
    logits, states, rnn_cache = char_lm_forward(params, inputs, h0)
    loss, dlogits = softmax_cross_entropy(logits, targets)
    T, B, K = dlogits.shape
    H = states.shape[2]
    # Output layer, shared by all steps: its gradients are sums over steps and
    # sequences.
    dW_hy = dlogits.reshape(T * B, K).T @ states.reshape(T * B, H)
    db_y = dlogits.sum(axis=(0, 1))
    # ∂L/∂h_t from the output at t
    dstates = dlogits @ params["W_hy"]
    # adds the paths through time
    rnn_grads = rnn_backward(dstates, rnn_cache)
    grads = {name: rnn_grads[name] for name in ("W_ih", "W_hh", "b_ih", "b_hh")}
    grads.update(W_hy=dW_hy, b_y=db_y)
    return loss, grads, states[-1].copy()


def bptt_one_sequence(params, inputs, targets, s0=None):
    """Backpropagation through time for one sequence, written as the textbook
    derivation.

    No batch and no speed tricks: the forward loop, then the δ recursion backwards in
    time, in the notation U = W_ih, W = W_hh, V = W_hy, b = b_ih + b_hh, c = b_y::

        a_t = U x_t + W s_{t-1} + b,   s_t = tanh(a_t),   o_t = V s_t + c,   p_t =
        softmax(o_t) L = Σ_t L_t,  L_t = −log p_t[y_t]            (a sum over steps, not
        a mean) ∂L/∂o_t = p_t − onehot(y_t)
        ∂L/∂s_t = Vᵀ ∂L/∂o_t + Wᵀ δ_{t+1},   δ_{T+1} = 0
        δ_t = ∂L/∂a_t = (1 − s_t²) ⊙ ∂L/∂s_t
        ∂L/∂U = Σ_t δ_t x_tᵀ,  ∂L/∂W = Σ_t δ_t s_{t−1}ᵀ,  ∂L/∂b = Σ_t δ_t
        ∂L/∂V = Σ_t ∂L/∂o_t s_tᵀ,  ∂L/∂c = Σ_t ∂L/∂o_t

    inputs, targets : (T,) int;  s0 : (H,) initial state (zeros by default).
    Returns the summed loss and a dict of gradients with the keys of ``params``.
    """
    U, W, V = params["W_ih"], params["W_hh"], params["W_hy"]
    b, c = params["b_ih"] + params["b_hh"], params["b_y"]
    T, H, K = len(inputs), W.shape[0], V.shape[0]
    # s[0] = s_0, s[t] = s_t for t = 1 ... T
    s = np.zeros((T + 1, H))
    s[0] = 0.0 if s0 is None else s0
    p = np.zeros((T + 1, K))
    loss = 0.0
    for t in range(1, T + 1):
        # U x_t picks a column: x_t is one-hot
        s[t] = np.tanh(U[:, inputs[t - 1]] + W @ s[t - 1] + b)
        p[t] = softmax(V @ s[t] + c)
        loss -= np.log(p[t, targets[t - 1]])
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    # δ_{T+1} = 0: nothing comes from after the end
    delta_next = np.zeros(H)
    for t in range(T, 0, -1):
        do = p[t].copy()
        do[targets[t - 1]] -= 1.0                # ∂L_t/∂o_t = p_t − onehot(y_t)
        # two paths reach s_t: the output o_t and the next step
        ds = V.T @ do + W.T @ delta_next
        # through tanh of step t (not of step t − 1)
        delta = (1.0 - s[t] ** 2) * ds
        grads["W_hy"] += np.outer(do, s[t])
        grads["b_y"] += do
        grads["W_ih"][:, inputs[t - 1]] += delta
        grads["W_hh"] += np.outer(delta, s[t - 1])
        grads["b_ih"] += delta
        delta_next = delta
    # b_ih and b_hh enter a_t in the same way
    grads["b_hh"] = grads["b_ih"].copy()
    return float(loss), grads


def clip_grad_norm(grads, max_norm):
    """Rescale all gradients together so that their global L2 norm is at most
    ``max_norm``.

    g ← g · max_norm / ‖g‖ when ‖g‖ > max_norm (Pascanu et al. 2013), in place; the
    direction of the update is kept. Returns the norm before clipping. (The same rule as
    :func:`rnncourse.np.gradients.clip_by_global_norm`, which returns clipped copies
    instead.)
    """
    norm = global_norm(grads.values())
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return norm


class Adagrad:
    """Adagrad (Duchi et al. 2011), as in min-char-rnn: per-parameter steps that shrink
    with the sum of squared past gradients.

        m ← m + g²,    θ ← θ − lr · g / sqrt(m + eps)
    """

    def __init__(self, lr=0.1, eps=1e-8):
        self.lr, self.eps, self.memory = lr, eps, {}

    def step(self, params, grads):
        for name, g in grads.items():
            m = self.memory.setdefault(name, np.zeros_like(g))
            m += g * g
            params[name] -= self.lr * g / np.sqrt(m + self.eps)


class Adam:
    """Adam (Kingma and Ba 2015) with bias correction.

        m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
        θ ← θ − lr · m̂ / (sqrt(v̂) + eps),   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
    """

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m, self.v, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        beta1, beta2 = self.betas
        for name, g in grads.items():
            m = self.m.setdefault(name, np.zeros_like(g))
            v = self.v.setdefault(name, np.zeros_like(g))
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            m_hat = m / (1 - beta1 ** self.t)
            v_hat = v / (1 - beta2 ** self.t)
            params[name] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def train_step(params, optimizer, inputs, targets, h0, max_norm=5.0):
    """One update: loss and gradients by BPTT, clipping, then the optimizer's step.

    Returns (loss, h_last, grad_norm): the batch loss before the update, the final state
    to carry into the next window (truncated BPTT: no gradient flows across the
    boundary), and the gradient norm before clipping.
    """
    loss, grads, h_last = char_lm_loss(params, inputs, targets, h0)
    grad_norm = clip_grad_norm(grads, max_norm)
    optimizer.step(params, grads)
    return loss, h_last, grad_norm


def text_batches(ids, batch_size, seq_length):
    """Windows for truncated BPTT, forever: yields (inputs, targets, new_pass).

    The text is cut into ``batch_size`` contiguous streams, one per row of the batch;
    each batch is the next ``seq_length`` characters of every stream, so the state h_T
    of one batch is the right h_0 for the next. ``new_pass`` is True when the windows
    start again from the beginning of the streams (reset the state then).

    inputs, targets : (seq_length, batch_size) int, targets[t] = inputs[t + 1] in the
    text.
    """
    ids = np.asarray(ids)
    stream_length = (len(ids) - 1) // batch_size
    if stream_length < seq_length:
        raise ValueError(f"the text needs at least batch_size * seq_length + 1 = "
                         f"{batch_size * seq_length + 1} characters, got {len(ids)}")
    streams = ids[: batch_size * stream_length + 1]
    starts = np.arange(batch_size) * stream_length
    while True:
        for offset in range(0, stream_length - seq_length + 1, seq_length):
            # (T, B)
            index = starts[None, :] + offset + np.arange(seq_length)[:, None]
            yield streams[index], streams[index + 1], offset == 0


def evaluate(params, ids, batch_size=16):
    """Mean loss in nats per character on a text, reading ``batch_size`` streams in one
    pass."""
    stream_length = (len(ids) - 1) // batch_size
    index = (
        np.arange(batch_size)[None, :] * stream_length
        + np.arange(stream_length)[:, None]
    )
    ids = np.asarray(ids)
    h0 = np.zeros((batch_size, params["W_hh"].shape[0]))
    logits, _, _ = char_lm_forward(params, ids[index], h0)
    return softmax_cross_entropy(logits, ids[index + 1])[0]


def sample(params, prompt, length, rng, temperature=1.0):
    """Generate ``length`` character ids after reading the ids in ``prompt``.

    At each step the next id is drawn from softmax(o_t / τ) with τ = ``temperature``:
    τ < 1 sharpens the distribution (safer, more repetitive text), τ > 1 flattens it;
    τ = 0 means always taking the most likely character. The sampled character is fed
    back as the next input.

    Returns an int array of shape (length,).
    """
    # (T0, 1): one sequence
    prompt = np.asarray(prompt, dtype=np.int64).reshape(-1, 1)
    if prompt.size == 0:
        raise ValueError("prompt must hold at least one character id")
    H = params["W_hh"].shape[0]
    logits, states, _ = char_lm_forward(params, prompt, np.zeros((1, H)))
    h, next_logits = states[-1], logits[-1, 0]
    out = np.empty(length, dtype=np.int64)
    for t in range(length):
        if temperature == 0:
            c = int(np.argmax(next_logits))
        else:
            c = int(rng.choice(len(next_logits), p=softmax(next_logits, temperature)))
        out[t] = c
        logits, states, _ = char_lm_forward(params, np.array([[c]]), h)
        h, next_logits = states[-1], logits[-1, 0]
    return out
