"""A character-level language model in NumPy: :func:`rnn_forward` plus a softmax layer.

The model reads characters c_1 ... c_T as one-hot vectors of size K (the vocabulary
size) and predicts at every step the next character::

    x_t = onehot(c_t)                                      (K,)
    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (H,)  rnncourse.np.rnn_forward
    ℓ_t = W_hy h_t + b_y                                (K,)  the logits
    ŷ_t = softmax(ℓ_t),     L = -(1/(T·B)) Σ_t Σ_b log ŷ_t[c_{t+1}]

so the loss is the mean cross-entropy in nats per character over the T steps and the B
sequences of a batch; its exponential, exp(L), is the perplexity. (Many textbooks write
U, W, V for W_ih, W_hh, W_hy and s_t for h_t; chapter 4 maps the two notations.) An
untrained model with logits near 0 predicts the uniform distribution, so its loss starts
near ln K.

The backward pass is the output layer's gradient followed by :func:`rnn_backward`
(backpropagation through time); training follows Karpathy's ``min-char-rnn``: truncated
BPTT over windows of ``seq_length`` characters with the hidden state carried from one
window to the next, gradient clipping, and Adagrad (or Adam).

:class:`KneserNeyLM` is the classical baseline such a model is measured against: an
interpolated Kneser–Ney n-gram model of the same characters.

Shapes: ids (T, B) int, one-hot inputs (T, B, K), hidden states (T, B, H), logits
(T, B, K). Parameters are a dict ``{"W_ih": (H, K), "W_hh": (H, H), "b_ih": (H,),
"b_hh": (H,), "W_hy": (K, H), "b_y": (K,)}``, float64.
"""

from __future__ import annotations

import time

import numpy as np

from .gradients import global_norm
from .rnn import rnn_backward, rnn_forward

__all__ = [
    "softmax_cross_entropy", "softmax", "one_hot", "init_char_lm", "char_lm_forward",
    "char_lm_loss", "clip_grad_norm", "Adagrad", "Adam", "train_step", "sample",
    "text_batches", "stream_index", "target_log_probs", "evaluate",
    "bptt_one_sequence", "KneserNeyLM",
]

PARAMETER_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh", "W_hy", "b_y")


def softmax(logits, temperature=1.0):
    """softmax(ℓ / τ) along the last axis, shifted by the maximum so that exp cannot
    overflow."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    e = np.exp(scaled)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits, targets):
    """Mean softmax cross-entropy over every position, and its gradient.

    L = -(1/N) Σ_n log softmax(ℓ_n)[y_n],    ∂L/∂ℓ_n = (softmax(ℓ_n) − onehot(y_n)) / N

    with N the number of positions (T·B for (T, B, K) logits).

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
    # ℓ_t = W_hy h_t + b_y, for all steps and sequences at once
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


def bptt_one_sequence(params, inputs, targets, h0=None):
    """Backpropagation through time for one sequence, written as the textbook
    derivation.

    No batch and no speed tricks: the forward loop, then the δ recursion backwards in
    time, in the book's symbols (vectors are columns; b = b_ih + b_hh)::

        a_t = W_ih x_t + W_hh h_{t-1} + b,   h_t = tanh(a_t)
        ℓ_t = W_hy h_t + b_y,   ŷ_t = softmax(ℓ_t)
        L = Σ_t L_t,   L_t = −log ŷ_t[y_t]            (a sum over steps, not a mean)
        ∂L/∂ℓ_t = ŷ_t − e_{y_t}
        ∂L/∂h_t = W_hyᵀ ∂L/∂ℓ_t + W_hhᵀ δ_{t+1},   δ_{T+1} = 0
        δ_t = ∂L/∂a_t = (1 − h_t²) ⊙ ∂L/∂h_t
        ∂L/∂W_ih = Σ_t δ_t x_tᵀ,  ∂L/∂W_hh = Σ_t δ_t h_{t−1}ᵀ,  ∂L/∂b = Σ_t δ_t
        ∂L/∂W_hy = Σ_t ∂L/∂ℓ_t h_tᵀ,  ∂L/∂b_y = Σ_t ∂L/∂ℓ_t

    inputs, targets : (T,) int;  h0 : (H,) initial state (zeros by default).
    Returns the summed loss and a dict of gradients with the keys of ``params``.
    """
    W_ih, W_hh, W_hy = params["W_ih"], params["W_hh"], params["W_hy"]
    b, b_y = params["b_ih"] + params["b_hh"], params["b_y"]
    T, H, K = len(inputs), W_hh.shape[0], W_hy.shape[0]
    # h[0] = h_0, h[t] = h_t for t = 1 ... T
    h = np.zeros((T + 1, H))
    h[0] = 0.0 if h0 is None else h0
    y_hat = np.zeros((T + 1, K))
    loss = 0.0
    for t in range(1, T + 1):
        # W_ih x_t picks a column: x_t is one-hot
        h[t] = np.tanh(W_ih[:, inputs[t - 1]] + W_hh @ h[t - 1] + b)
        y_hat[t] = softmax(W_hy @ h[t] + b_y)
        loss -= np.log(y_hat[t, targets[t - 1]])
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    # δ_{T+1} = 0: nothing comes from after the end
    delta_next = np.zeros(H)
    for t in range(T, 0, -1):
        dlogits = y_hat[t].copy()
        dlogits[targets[t - 1]] -= 1.0           # ∂L_t/∂ℓ_t = ŷ_t − e_{y_t}
        # two paths reach h_t: the output ℓ_t and the next step
        dh = W_hy.T @ dlogits + W_hh.T @ delta_next
        # through the tanh of step t (not of step t − 1)
        delta = (1.0 - h[t] ** 2) * dh
        grads["W_hy"] += np.outer(dlogits, h[t])
        grads["b_y"] += dlogits
        grads["W_ih"][:, inputs[t - 1]] += delta
        grads["W_hh"] += np.outer(delta, h[t - 1])
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


def train_char_lm(params, optimizer, ids, steps, batch_size=32, seq_length=25,
                  max_norm=5.0, valid_ids=None, eval_every=500):
    """Train ``params`` in place with truncated BPTT, as ``min-char-rnn`` does.

    The text ``ids`` is read as ``batch_size`` streams (:func:`text_batches`), windows
    of ``seq_length`` characters; each update is :func:`train_step` with the state
    carried from window to window. Every ``eval_every`` updates (and after the last)
    the loss on ``valid_ids`` is measured, and the parameters with the lowest one are
    kept: the stopping point is chosen on held-out text, never on a test text.

    Returns a dict: ``loss`` and ``grad_norm`` (one per update), ``eval_step`` and
    ``valid_loss`` (the evaluations), ``best`` (a copy of the parameters of the best
    evaluation, or of the final ones without ``valid_ids``), ``best_step`` and
    ``seconds`` (CPU time).
    """
    H = params["W_hh"].shape[0]
    history = {"loss": [], "grad_norm": [], "eval_step": [], "valid_loss": [],
               "best": None, "best_step": None}
    start = time.process_time()
    batches = text_batches(ids, batch_size, seq_length)
    for step, (inputs, targets, new_pass) in zip(range(1, steps + 1), batches):
        if new_pass:                    # the streams start again: a fresh state
            state = np.zeros((batch_size, H))
        loss, state, norm = train_step(params, optimizer, inputs, targets, state,
                                       max_norm)
        history["loss"].append(loss)
        history["grad_norm"].append(norm)
        if valid_ids is not None and (step % eval_every == 0 or step == steps):
            valid_loss = evaluate(params, valid_ids, batch_size=128)
            if not history["valid_loss"] or valid_loss < min(history["valid_loss"]):
                history["best"] = {k: v.copy() for k, v in params.items()}
                history["best_step"] = step
            history["eval_step"].append(step)
            history["valid_loss"].append(valid_loss)
    if valid_ids is None:
        history["best"] = {k: v.copy() for k, v in params.items()}
        history["best_step"] = len(history["loss"])
    history["seconds"] = time.process_time() - start
    return history


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


def stream_index(n_ids, batch_size):
    """How :func:`evaluate` reads a text of ``n_ids`` characters: (T, B) positions.

    The text is cut into ``batch_size`` contiguous streams of T = (n_ids − 1) //
    batch_size inputs each (a remainder at the end is dropped); column b holds the
    positions b·T, ..., b·T + T − 1, and the character after each is its target.
    """
    stream_length = (n_ids - 1) // batch_size
    if stream_length < 1:
        raise ValueError(
            f"a text of {n_ids} characters is too short for {batch_size} streams: "
            f"it needs at least batch_size + 1 = {batch_size + 1}"
        )
    return (
        np.arange(batch_size)[None, :] * stream_length
        + np.arange(stream_length)[:, None]
    )


def target_log_probs(params, ids, batch_size=16):
    """log ŷ_t[c_{t+1}] for every target character of a text, read as
    :func:`stream_index` says (each stream starts from h_0 = 0).

    Returns ``(log_probs, positions)``, both (N,) with N = B·T: the log-probability the
    model gave to the character ``ids[positions[n]]``, in the order of the text.
    """
    ids = np.asarray(ids)
    index = stream_index(len(ids), batch_size)
    h0 = np.zeros((batch_size, params["W_hh"].shape[0]))
    logits, _, _ = char_lm_forward(params, ids[index], h0)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    targets = index + 1
    picked = np.take_along_axis(log_probs, ids[targets][..., None], axis=-1)[..., 0]
    order = np.argsort(targets.T.ravel())
    return picked.T.ravel()[order], targets.T.ravel()[order]


def evaluate(params, ids, batch_size=16):
    """Mean loss in nats per character on a text, reading ``batch_size`` streams in one
    pass (see :func:`stream_index`); exp of it is the perplexity."""
    ids = np.asarray(ids)
    index = stream_index(len(ids), batch_size)
    h0 = np.zeros((batch_size, params["W_hh"].shape[0]))
    logits, _, _ = char_lm_forward(params, ids[index], h0)
    return softmax_cross_entropy(logits, ids[index + 1])[0]


def sample(params, prompt, length, rng, temperature=1.0):
    """Generate ``length`` character ids after reading the ids in ``prompt``.

    At each step the next id is drawn from softmax(ℓ_t / τ) with τ = ``temperature``:
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


# --------------------------------------------------------------------------------------
# The n-gram baseline
# --------------------------------------------------------------------------------------

def _gram_codes(ids, k, K):
    """Every k-gram of ``ids`` as one integer in base K: code of ids[t-k+1 .. t] for
    t = k-1 ... len(ids)-1, shape (len(ids) - k + 1,)."""
    n = len(ids) - k + 1
    codes = np.zeros(n, dtype=np.int64)
    for j in range(k):
        codes = codes * K + ids[j : j + n]
    return codes


class _GramTable:
    """Counts of k-grams (raw or continuation counts) with their context sums and the
    absolute discount D = n1 / (n1 + 2 n2) of Ney, Essen and Kneser (1994)."""

    def __init__(self, codes, counts, K):
        self.codes, self.counts = codes, counts.astype(float)
        self.contexts, which = np.unique(codes // K, return_inverse=True)
        self.context_total = np.bincount(which, weights=self.counts)
        self.context_types = np.bincount(which).astype(float)
        n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
        self.discount = n1 / (n1 + 2 * n2) if n1 + 2 * n2 > 0 else 0.5

    @staticmethod
    def _lookup(table, keys):
        at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
        return at, table[at] == keys

    def interpolate(self, grams, K, lower):
        """p(w | h) = max(c(hw) − D, 0) / c(h·) + D N₁₊(h·) / c(h·) · lower, where the
        context h was seen; ``lower`` (the next lower order's p(w | h')) elsewhere."""
        at, seen = self._lookup(self.contexts, grams // K)
        total = np.where(seen, self.context_total[at], 1.0)
        gram_at, found = self._lookup(self.codes, grams)
        count = np.where(found, self.counts[gram_at], 0.0)
        D = self.discount
        mixed = (
            np.maximum(count - D, 0.0) / total
            + D * np.where(seen, self.context_types[at], 0.0) / total * lower
        )
        return np.where(seen, mixed, lower)


class KneserNeyLM:
    """An interpolated Kneser–Ney character n-gram model (Kneser and Ney 1995; Chen and
    Goodman 1999), the kind of baseline ("KN5") Mikolov et al. (2010) compared their
    recurrent language model with.

    The probability of character w after the context h = c_{t−n+1} ... c_{t−1} of
    order n mixes the discounted relative frequency of hw with the next lower order::

        p_n(w | h) = max(c(hw) − D_n, 0) / c(h·) + D_n N₁₊(h·) / c(h·) · p_{n−1}(w | h')

    h' is h without its first character, N₁₊(h·) the number of different characters
    seen after h, D_n the discount of order n, and p_0(w) = 1/K. The highest order uses
    the raw counts c; every lower order uses *continuation counts*, the number of
    different characters seen before hw (the Kneser–Ney idea: a character that follows
    many contexts is a good guess in a new one). A context never seen falls back to
    the lower order. Every p_n(· | h) sums to 1 over the K characters.

    Parameters
    ----------
    ids : (N,) int, the training text; vocab_size : K; max_order : the largest n that
        :meth:`probabilities` may be asked for (K ** (max_order + 1) must fit in int64).
    """

    def __init__(self, ids, vocab_size, max_order):
        ids = np.asarray(ids, dtype=np.int64)
        K = int(vocab_size)
        if int(max_order) != max_order or max_order < 1:
            raise ValueError(f"max_order must be a positive int, got {max_order!r}")
        if float(K) ** (max_order + 1) >= 2.0**63:
            raise ValueError(
                f"max_order = {max_order} is too large for K = {K}: K ** "
                f"(max_order + 1) must fit in int64"
            )
        if ids.ndim != 1 or len(ids) <= max_order:
            raise ValueError(
                f"ids must be one text of more than max_order = {max_order} "
                f"characters, got shape {ids.shape}"
            )
        if ids.min() < 0 or ids.max() >= K:
            raise ValueError(f"ids must lie in [0, {K}), got values from "
                             f"{ids.min()} to {ids.max()}")
        self.vocab_size, self.max_order = K, int(max_order)
        unique = [
            np.unique(_gram_codes(ids, k, K), return_counts=True)
            for k in range(1, self.max_order + 2)
        ]
        # raw[k - 1]: counts of k-grams, used when k is the model's order
        self.raw = [_GramTable(codes, counts, K) for codes, counts in unique[:-1]]
        # continuation[k - 1]: for each k-gram, how many characters precede it
        self.continuation = []
        for k, (longer, _) in enumerate(unique[1:], start=1):
            codes, counts = np.unique(longer % K**k, return_counts=True)
            self.continuation.append(_GramTable(codes, counts, K))

    def probabilities(self, ids, order, positions=None):
        """p(ids[t] | the ``order`` − 1 characters before it) for each t in
        ``positions`` (default: every position); near the start of ``ids`` the
        context is shorter. Returns (len(positions),) floats."""
        if not 1 <= order <= self.max_order:
            raise ValueError(
                f"order must be between 1 and max_order = {self.max_order}, "
                f"got {order}"
            )
        ids = np.asarray(ids, dtype=np.int64)
        positions = (
            np.arange(len(ids)) if positions is None else np.asarray(positions)
        )
        K = self.vocab_size
        p = np.full(len(positions), 1.0 / K)
        for k in range(1, order + 1):
            table = self.raw[k - 1] if k == order else self.continuation[k - 1]
            usable = positions >= k - 1
            grams = np.zeros(len(positions), dtype=np.int64)
            for j in range(k):
                grams = grams * K + ids[np.maximum(positions - k + 1 + j, 0)]
            p = np.where(usable, table.interpolate(grams, K, p), p)
        return p
