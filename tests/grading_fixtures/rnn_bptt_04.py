"""Wrong and right answers for the 04_rnn_bptt assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
plausible wrong answers per part, ALTERNATIVES: several correct answers per part, written
the way other learners would (tests/test_grading_mutants.py). Each maps an answer cell's
grade_id to complete replacements for that cell.

Each answer cell of Parts 1 and 2 holds two functions; a mutant replaces the whole cell, with
the mistake in one of them. The test cell of Part 2 runs the learner's sequence functions with
the reference step functions, so a mistake in Part 1 costs points in Part 1 only.
"""

_STEP_FORWARD = '''
def rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    h = np.tanh(x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh)
    return h, (x, h_prev, h, W_ih, W_hh)
'''

_STEP_BACKWARD = """
def rnn_step_backward(dh, cache):
    x, h_prev, h, W_ih, W_hh = cache
    da = dh * (1 - h ** 2)
    db = da.sum(axis=0)
    return {"x": da @ W_ih, "h_prev": da @ W_hh, "W_ih": da.T @ x, "W_hh": da.T @ h_prev,
            "b_ih": db, "b_hh": db.copy()}
"""


def _step_backward_with(*replacements):
    source = _STEP_BACKWARD
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return _STEP_FORWARD + source


_SEQUENCE_FORWARD = '''
def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, states, caches = h0, [], []
    for t in range(x.shape[0]):
        h, c = rnn_step_forward(x[t], h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
        caches.append(c)
    return np.stack(states), {"steps": caches, "W_ih": W_ih, "W_hh": W_hh}
'''

_SEQUENCE_BACKWARD = """
def rnn_backward(dout, cache):
    caches = cache["steps"]
    grads = {"W_ih": np.zeros_like(cache["W_ih"]), "W_hh": np.zeros_like(cache["W_hh"]),
             "b_ih": np.zeros(cache["W_hh"].shape[0]), "b_hh": np.zeros(cache["W_hh"].shape[0])}
    dx = [None] * len(caches)
    dh_next = np.zeros_like(dout[0])
    for t in reversed(range(len(caches))):
        g = rnn_step_backward(dout[t] + dh_next, caches[t])
        dx[t] = g["x"]
        dh_next = g["h_prev"]
        for name in ("W_ih", "W_hh", "b_ih", "b_hh"):
            grads[name] += g[name]
    grads["x"] = np.stack(dx)
    grads["h0"] = dh_next
    return grads
"""


def _sequence_with(forward=(), backward=()):
    f, b = _SEQUENCE_FORWARD, _SEQUENCE_BACKWARD
    for old, new in forward:
        assert old in f, old
        f = f.replace(old, new)
    for old, new in backward:
        assert old in b, old
        b = b.replace(old, new)
    return f + b


_SOFTMAX = '''
def softmax_cross_entropy(logits, targets):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    probs = np.exp(shifted)
    probs = probs / probs.sum(axis=-1, keepdims=True)
    T, B = targets.shape
    t, b = np.meshgrid(np.arange(T), np.arange(B), indexing="ij")
    loss = -np.log(probs[t, b, targets]).sum() / (T * B)
    dlogits = probs.copy()
    dlogits[t, b, targets] -= 1.0
    return float(loss), dlogits / (T * B)
'''


def _softmax_with(*replacements):
    source = _SOFTMAX
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


WRONG_ANSWERS = {
    # Forgets the tanh derivative in the backward pass.
    "rnn_step": _step_backward_with(("da = dh * (1 - h ** 2)", "da = dh")),
    # Forgets the gradient that comes back from the next step.
    "rnn_sequence": _sequence_with(backward=[("dout[t] + dh_next", "dout[t]")]),
    # Sums the loss over the positions instead of averaging it.
    "softmax_cross_entropy": _softmax_with(
        ("/ (T * B)\n    dlogits", "\n    dlogits"),
        ("return float(loss), dlogits / (T * B)", "return float(loss), dlogits"),
    ),
}


# Mistakes learners really make, several per autograded part. Each entry is (name, a
# complete replacement for the answer cell). Every one must lose points on its own part
# and only there (tests/test_grading_mutants.py); when one survives, the hidden tests
# are strengthened.
MUTANTS = {
    "rnn_step": [
        (
            "missing-tanh-derivative",
            _step_backward_with(("da = dh * (1 - h ** 2)", "da = dh")),
        ),
        # the slip of popular derivations: an extra derivative at h_{t-1} on the way
        # back
        (
            "derivative-of-previous-state",
            _step_backward_with(
                ('"h_prev": da @ W_hh', '"h_prev": (da @ W_hh) * (1 - h_prev ** 2)')
            ),
        ),
        (
            "transposed-recurrent-weights-in-backward",
            _step_backward_with(('"h_prev": da @ W_hh', '"h_prev": da @ W_hh.T')),
        ),
        (
            "bias-gradient-averaged-over-batch",
            _step_backward_with(("db = da.sum(axis=0)", "db = da.mean(axis=0)")),
        ),
        (
            "bias-gradient-not-summed-over-batch",
            _step_backward_with(("db = da.sum(axis=0)", "db = da")),
        ),
        (
            "weight-gradient-with-new-state",
            _step_backward_with(('"W_hh": da.T @ h_prev', '"W_hh": da.T @ h')),
        ),
        (
            "weight-gradient-transposed",
            _step_backward_with(('"W_ih": da.T @ x', '"W_ih": x.T @ da')),
        ),
        (
            "forward-forgets-b_hh",
            _STEP_FORWARD.replace(" + b_hh)", ")") + _STEP_BACKWARD,
        ),
        (
            "forward-without-transposes",
            _STEP_FORWARD.replace("W_ih.T", "W_ih").replace("W_hh.T", "W_hh")
            + _STEP_BACKWARD,
        ),
        (
            "derivative-from-pre-activation",
            """
def rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh
    return np.tanh(a), (x, h_prev, a, W_ih, W_hh)

def rnn_step_backward(dh, cache):
    x, h_prev, a, W_ih, W_hh = cache
    da = dh * (1 - a ** 2)
    db = da.sum(axis=0)
    return {"x": da @ W_ih, "h_prev": da @ W_hh, "W_ih": da.T @ x, "W_hh": da.T @ h_prev,
            "b_ih": db, "b_hh": db.copy()}
""",
        ),
    ],
    "rnn_sequence": [
        (
            "forgets-gradient-from-next-step",
            _sequence_with(backward=[("dout[t] + dh_next", "dout[t]")]),
        ),
        (
            "state-not-carried-forward",
            _sequence_with(
                forward=[
                    (
                        "h, c = rnn_step_forward(x[t], h, W_ih",
                        "h, c = rnn_step_forward(x[t], h0, W_ih",
                    )
                ]
            ),
        ),
        (
            "outputs-previous-state",
            _sequence_with(
                forward=[
                    (
                        "        h, c = rnn_step_forward(x[t], h, W_ih, W_hh, b_ih, "
                        "b_hh)\n        states.append(h)",
                        "        states.append(h)\n        h, c = rnn_step_forward(x[t], "
                        "h, W_ih, W_hh, b_ih, b_hh)",
                    )
                ]
            ),
        ),
        (
            "backward-runs-forward-in-time",
            _sequence_with(
                backward=[
                    (
                        "for t in reversed(range(len(caches))):",
                        "for t in range(len(caches)):",
                    )
                ]
            ),
        ),
        (
            "overwrites-weight-gradients",
            _sequence_with(
                backward=[("grads[name] += g[name]", "grads[name] = g[name]")]
            ),
        ),
        (
            "dh0-is-dout-of-first-step",
            _sequence_with(
                backward=[('grads["h0"] = dh_next', 'grads["h0"] = dout[0]')]
            ),
        ),
        (
            "dx-in-reversed-order",
            _sequence_with(
                backward=[
                    ('grads["x"] = np.stack(dx)', 'grads["x"] = np.stack(dx[::-1])')
                ]
            ),
        ),
        (
            "only-last-step-gradient",
            _sequence_with(
                backward=[
                    (
                        "dout[t] + dh_next",
                        "(dout[t] if t == len(caches) - 1 else 0 * dout[t]) + dh_next",
                    )
                ]
            ),
        ),
        (
            "off-by-one-input",
            _sequence_with(
                forward=[("rnn_step_forward(x[t], h,", "rnn_step_forward(x[t - 1], h,")]
            ),
        ),
    ],
    "softmax_cross_entropy": [
        (
            "not-shifted",
            _softmax_with(
                (
                    "shifted = logits - logits.max(axis=-1, keepdims=True)",
                    "shifted = logits",
                )
            ),
        ),
        (
            "shifted-by-global-maximum",
            _softmax_with(
                (
                    "shifted = logits - logits.max(axis=-1, keepdims=True)",
                    "shifted = logits - logits.max()",
                )
            ),
        ),
        ("summed-not-averaged", WRONG_ANSWERS["softmax_cross_entropy"]),
        (
            "averaged-over-time-only",
            _softmax_with(
                ("/ (T * B)\n    dlogits", "/ T\n    dlogits"),
                ("dlogits / (T * B)", "dlogits / T"),
            ),
        ),
        (
            "gradient-not-averaged",
            _softmax_with(
                ("return float(loss), dlogits / (T * B)", "return float(loss), dlogits")
            ),
        ),
        (
            "gradient-without-one-hot",
            _softmax_with(("    dlogits[t, b, targets] -= 1.0\n", "")),
        ),
        (
            "shifts-logits-in-place",
            _softmax_with(
                (
                    "shifted = logits - logits.max(axis=-1, keepdims=True)",
                    "logits -= logits.max(axis=-1, keepdims=True)\n    shifted = logits",
                )
            ),
        ),
        (
            "gradient-sign-flipped",
            _softmax_with(
                (
                    "return float(loss), dlogits / (T * B)",
                    "return float(loss), -dlogits / (T * B)",
                )
            ),
        ),
    ],
}


# --- Part 4: training, and Part 5: sampling -------------------------------------------

_TRAIN = '''
def train_char_lm(train_ids, vocab_size, rng):
    H, K, B, T, updates = 64, vocab_size, 16, 25, 300
    params = {"W_ih": rng.normal(0.0, 0.01, (H, K)), "W_hh": rng.normal(0.0, 0.01, (H, H)),
              "b_ih": np.zeros(H), "b_hh": np.zeros(H),
              "W_hy": rng.normal(0.0, 0.01, (K, H)), "b_y": np.zeros(K)}
    optimizer = Adam(lr=5e-3)
    stream_length = (len(train_ids) - 1) // B
    starts = np.arange(B) * stream_length
    h, offset = np.zeros((B, H)), 0
    for _ in range(updates):
        if offset + T > stream_length:
            h, offset = np.zeros((B, H)), 0
        index = starts + offset + np.arange(T)[:, None]
        x = np.eye(K)[train_ids[index]]
        states, cache = rnn_forward(x, h, params["W_ih"], params["W_hh"],
                                    params["b_ih"], params["b_hh"])
        logits = states @ params["W_hy"].T + params["b_y"]
        _, dlogits = softmax_cross_entropy(logits, train_ids[index + 1])
        grads = rnn_backward(dlogits @ params["W_hy"], cache)
        grads = {name: grads[name] for name in ("W_ih", "W_hh", "b_ih", "b_hh")}
        grads["W_hy"] = np.einsum("tbk,tbh->kh", dlogits, states)
        grads["b_y"] = dlogits.sum(axis=(0, 1))
        norm = np.sqrt(sum((g * g).sum() for g in grads.values()))
        if norm > 5.0:
            grads = {name: g * (5.0 / norm) for name, g in grads.items()}
        optimizer.step(params, grads)
        h, offset = states[-1], offset + T
    return params
'''


def _replace(source, *replacements):
    """source with each (old, new) replaced; old must occur in it."""
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


def _train_with(*replacements):
    return _replace(_TRAIN, *replacements)


_SAMPLE = '''
def sample(params, prompt, length, rng, temperature=1.0):
    K, H = params["W_hy"].shape
    h = np.zeros((1, H))
    weights = (params["W_ih"], params["W_hh"], params["b_ih"], params["b_hh"])
    for c in prompt:
        h, _ = rnn_step_forward(np.eye(K)[[c]], h, *weights)
    out = np.zeros(length, dtype=int)
    for t in range(length):
        logits = (h @ params["W_hy"].T + params["b_y"])[0]
        if temperature == 0:
            c = int(np.argmax(logits))
        else:
            scaled = logits / temperature
            probabilities = np.exp(scaled - scaled.max())
            c = int(rng.choice(K, p=probabilities / probabilities.sum()))
        out[t] = c
        h, _ = rnn_step_forward(np.eye(K)[[c]], h, *weights)
    return out
'''


def _sample_with(*replacements):
    return _replace(_SAMPLE, *replacements)


WRONG_ANSWERS.update({
    # Trains only the output layer: the recurrent weights never move.
    "train_char_lm": _train_with(
        ('grads = {name: grads[name] for name in ("W_ih", "W_hh", "b_ih", "b_hh")}',
         "grads = {}"),
    ),
    # Ignores the temperature.
    "sample": _sample_with(("scaled = logits / temperature", "scaled = logits")),
})

MUTANTS["train_char_lm"] = [
    ("gradient-ascent", _train_with(
        ("optimizer.step(params, grads)",
         "optimizer.step(params, {name: -g for name, g in grads.items()})"))),
    ("recurrent-weights-never-updated", WRONG_ANSWERS["train_char_lm"]),
    ("targets-not-shifted", _train_with(
        ("softmax_cross_entropy(logits, train_ids[index + 1])",
         "softmax_cross_entropy(logits, train_ids[index])"))),
    ("predicts-two-characters-ahead", _train_with(
        ("softmax_cross_entropy(logits, train_ids[index + 1])",
         "softmax_cross_entropy(logits, train_ids[index + 2])"))),
    ("too-many-updates", _train_with(("updates = 64, vocab_size, 16, 25, 300",
                                      "updates = 64, vocab_size, 16, 25, 600"))),
    ("windows-too-long", _train_with(("H, K, B, T, updates = 64, vocab_size, 16, 25, 300",
                                      "H, K, B, T, updates = 64, vocab_size, 16, 50, 150"))),
    ("returns-the-initial-parameters", _train_with(
        ("    optimizer = Adam(lr=5e-3)\n",
         "    initial = {name: value.copy() for name, value in params.items()}\n"
         "    optimizer = Adam(lr=5e-3)\n"),
        ("    return params", "    return initial"))),
    ("learning-rate-far-too-large", _train_with(("Adam(lr=5e-3)", "Adam(lr=0.5)"))),
]

MUTANTS["sample"] = [
    ("ignores-temperature", WRONG_ANSWERS["sample"]),
    ("multiplies-by-temperature", _sample_with(
        ("scaled = logits / temperature", "scaled = logits * temperature"))),
    ("global-random-state", _sample_with(
        ("c = int(rng.choice(K, p=probabilities / probabilities.sum()))",
         "c = int(np.random.choice(K, p=probabilities / probabilities.sum()))"))),
    ("feeds-back-the-last-prompt-id", _sample_with(
        ("        out[t] = c\n        h, _ = rnn_step_forward(np.eye(K)[[c]], h, *weights)",
         "        out[t] = c\n        h, _ = rnn_step_forward(np.eye(K)[[prompt[-1]]], h,"
         " *weights)"))),
    ("reads-only-the-last-prompt-id", _sample_with(
        ("    for c in prompt:\n", "    for c in prompt[-1:]:\n"))),
    ("no-shift-before-exp", _sample_with(
        ("np.exp(scaled - scaled.max())", "np.exp(scaled)"))),
    ("always-greedy", _sample_with(("if temperature == 0:", "if True:"))),
    ("prompt-included-in-output", _sample_with(
        ("    return out", "    return np.concatenate([np.asarray(prompt), out])"))),
]


# --- Alternative correct answers, written the way other learners would --------------

ALTERNATIVES = {
    "rnn_step": [
        ("pre-activation-in-a-dict-cache", """
def rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    a = np.dot(x, W_ih.T) + np.dot(h_prev, W_hh.T) + (b_ih + b_hh)
    return np.tanh(a), {"x": x, "h_prev": h_prev, "a": a, "W_ih": W_ih, "W_hh": W_hh}

def rnn_step_backward(dh, cache):
    da = dh * (1.0 - np.tanh(cache["a"]) ** 2)
    return {"x": np.dot(da, cache["W_ih"]), "h_prev": np.dot(da, cache["W_hh"]),
            "W_ih": np.dot(da.T, cache["x"]), "W_hh": np.dot(da.T, cache["h_prev"]),
            "b_ih": np.sum(da, axis=0), "b_hh": np.sum(da, axis=0)}
"""),
        ("loops-over-the-batch", """
def rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    h = np.zeros((x.shape[0], W_hh.shape[0]))
    for b in range(x.shape[0]):
        h[b] = np.tanh(W_ih @ x[b] + b_ih + W_hh @ h_prev[b] + b_hh)
    return h, (x.copy(), h_prev.copy(), h, W_ih, W_hh)

def rnn_step_backward(dh, cache):
    x, h_prev, h, W_ih, W_hh = cache
    grads = {"x": np.zeros_like(x), "h_prev": np.zeros_like(h_prev),
             "W_ih": np.zeros_like(W_ih), "W_hh": np.zeros_like(W_hh),
             "b_ih": np.zeros(W_hh.shape[0]), "b_hh": np.zeros(W_hh.shape[0])}
    for b in range(x.shape[0]):
        da = dh[b] * (1 - h[b] * h[b])
        grads["x"][b] = W_ih.T @ da
        grads["h_prev"][b] = W_hh.T @ da
        grads["W_ih"] += np.outer(da, x[b])
        grads["W_hh"] += np.outer(da, h_prev[b])
        grads["b_ih"] += da
        grads["b_hh"] += da
    return grads
"""),
        ("einsum", """
def rnn_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    h = np.tanh(np.einsum("hd,bd->bh", W_ih, x) + np.einsum("hk,bk->bh", W_hh, h_prev)
                + b_ih + b_hh)
    return h, [x, h_prev, h, W_ih, W_hh]

def rnn_step_backward(dh, cache):
    x, h_prev, h, W_ih, W_hh = cache
    da = dh - dh * h * h
    return {"x": np.einsum("bh,hd->bd", da, W_ih),
            "h_prev": np.einsum("bh,hk->bk", da, W_hh),
            "W_ih": np.einsum("bh,bd->hd", da, x),
            "W_hh": np.einsum("bh,bk->hk", da, h_prev),
            "b_ih": np.einsum("bh->h", da), "b_hh": np.einsum("bh->h", da)}
"""),
    ],
    "rnn_sequence": [
        ("preallocated-and-a-tuple-cache", """
def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    T, B = x.shape[:2]
    out = np.empty((T, B, W_hh.shape[0]))
    caches = []
    h = h0
    for t in range(T):
        h, step_cache = rnn_step_forward(x[t], h, W_ih, W_hh, b_ih, b_hh)
        out[t] = h
        caches.append(step_cache)
    return out, (caches, x.shape, h0.shape, W_ih.shape, W_hh.shape)

def rnn_backward(dout, cache):
    caches, x_shape, h0_shape, ih_shape, hh_shape = cache
    dx = np.empty(x_shape)
    grads = {"W_ih": np.zeros(ih_shape), "W_hh": np.zeros(hh_shape),
             "b_ih": np.zeros(hh_shape[0]), "b_hh": np.zeros(hh_shape[0])}
    carry = np.zeros(h0_shape)
    t = len(caches) - 1
    while t >= 0:
        step = rnn_step_backward(dout[t] + carry, caches[t])
        dx[t] = step["x"]
        carry = step["h_prev"]
        for name in grads:
            grads[name] = grads[name] + step[name]
        t -= 1
    grads["x"], grads["h0"] = dx, carry
    return grads
"""),
        ("lists-built-backwards", """
def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    states, caches = [h0], []
    for x_t in x:
        h, c = rnn_step_forward(x_t, states[-1], W_ih, W_hh, b_ih, b_hh)
        states.append(h)
        caches.append(c)
    return np.array(states[1:]), {"caches": caches, "H": W_hh.shape[0],
                                  "D": W_ih.shape[1]}

def rnn_backward(dout, cache):
    H, D = cache["H"], cache["D"]
    dW_ih, dW_hh, db_ih, db_hh = np.zeros((H, D)), np.zeros((H, H)), 0.0, 0.0
    dxs = []
    dh_prev = 0.0 * dout[0]
    for t in range(len(cache["caches"]) - 1, -1, -1):
        g = rnn_step_backward(dout[t] + dh_prev, cache["caches"][t])
        dxs.insert(0, g["x"])
        dh_prev = g["h_prev"]
        dW_ih, dW_hh = dW_ih + g["W_ih"], dW_hh + g["W_hh"]
        db_ih, db_hh = db_ih + g["b_ih"], db_hh + g["b_hh"]
    return {"x": np.array(dxs), "h0": dh_prev, "W_ih": dW_ih, "W_hh": dW_hh,
            "b_ih": db_ih, "b_hh": db_hh}
"""),
        ("sum-of-weight-gradients-at-the-end", """
def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, out, caches = h0, [], []
    for t in range(len(x)):
        h, c = rnn_step_forward(x[t], h, W_ih, W_hh, b_ih, b_hh)
        out.append(h)
        caches.append(c)
    return np.stack(out), caches

def rnn_backward(dout, cache):
    per_step = [None] * len(cache)
    dh = np.zeros_like(dout[-1])
    for t in reversed(range(len(cache))):
        per_step[t] = rnn_step_backward(dout[t] + dh, cache[t])
        dh = per_step[t]["h_prev"]
    grads = {name: sum(g[name] for g in per_step)
             for name in ("W_ih", "W_hh", "b_ih", "b_hh")}
    grads["x"] = np.stack([g["x"] for g in per_step])
    grads["h0"] = dh
    return grads
"""),
    ],
    "softmax_cross_entropy": [
        ("loops-over-positions-with-log-sum-exp", """
def softmax_cross_entropy(logits, targets):
    T, B, K = logits.shape
    loss, dlogits = 0.0, np.zeros((T, B, K))
    for t in range(T):
        for b in range(B):
            row = logits[t, b]
            m = row.max()
            log_z = m + np.log(np.sum(np.exp(row - m)))
            loss -= row[targets[t, b]] - log_z
            dlogits[t, b] = np.exp(row - log_z)
            dlogits[t, b, targets[t, b]] -= 1.0
    return loss / (T * B), dlogits / (T * B)
"""),
        ("flattened-rows", """
def softmax_cross_entropy(logits, targets):
    T, B, K = logits.shape
    rows = logits.reshape(T * B, K)
    rows = rows - rows.max(axis=1, keepdims=True)
    p = np.exp(rows)
    p /= p.sum(axis=1, keepdims=True)
    picked = np.arange(T * B), targets.reshape(-1)
    loss = float(np.mean(-np.log(p[picked])))
    p[picked] -= 1
    return loss, (p / (T * B)).reshape(T, B, K)
"""),
        ("one-hot-matrix", """
def softmax_cross_entropy(logits, targets):
    K = logits.shape[-1]
    one_hot = np.eye(K)[targets]
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    N = targets.size
    return float(-(one_hot * log_p).sum() / N), (np.exp(log_p) - one_hot) / N
"""),
    ],
    "train_char_lm": [
        ("own-adam-32-streams-200-updates", """
def train_char_lm(train_ids, vocab_size, rng):
    H, K, B, T = 64, vocab_size, 32, 25
    shapes = {"W_ih": (H, K), "W_hh": (H, H), "b_ih": (H,), "b_hh": (H,),
              "W_hy": (K, H), "b_y": (K,)}
    p = {n: rng.normal(0, 0.01, s) if len(s) == 2 else np.zeros(s)
         for n, s in shapes.items()}
    m = {n: np.zeros(s) for n, s in shapes.items()}
    v = {n: np.zeros(s) for n, s in shapes.items()}
    length = (len(train_ids) - 1) // B
    h = np.zeros((B, H))
    for step in range(1, 201):
        start = ((step - 1) * T) % (length - T)
        if start < T:
            h = np.zeros((B, H))
        rows = np.arange(B) * length + start
        ids = train_ids[rows[None, :] + np.arange(T + 1)[:, None]]
        x = np.zeros((T, B, K))
        for t in range(T):
            x[t, np.arange(B), ids[t]] = 1.0
        out, cache = rnn_forward(x, h, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
        loss, dlogits = softmax_cross_entropy(out @ p["W_hy"].T + p["b_y"], ids[1:])
        g = dict(rnn_backward(dlogits @ p["W_hy"], cache))
        g["W_hy"] = dlogits.reshape(-1, K).T @ out.reshape(-1, H)
        g["b_y"] = dlogits.reshape(-1, K).sum(axis=0)
        total = sum(float(np.sum(g[n] ** 2)) for n in shapes) ** 0.5
        scale = min(1.0, 5.0 / total)
        for n in shapes:
            m[n] = 0.9 * m[n] + 0.1 * g[n] * scale
            v[n] = 0.999 * v[n] + 0.001 * (g[n] * scale) ** 2
            m_hat, v_hat = m[n] / (1 - 0.9 ** step), v[n] / (1 - 0.999 ** step)
            p[n] = p[n] - 5e-3 * m_hat / (np.sqrt(v_hat) + 1e-8)
        h = out[-1]
    return p
"""),
        ("no-carried-state", _train_with(
            ("        h, offset = states[-1], offset + T",
             "        h, offset = np.zeros((B, H)), offset + T"))),
        ("loops-over-time-for-the-output-layer", _train_with(
            ('        grads["W_hy"] = np.einsum("tbk,tbh->kh", dlogits, states)\n'
             '        grads["b_y"] = dlogits.sum(axis=(0, 1))\n',
             '        grads["W_hy"] = np.zeros_like(params["W_hy"])\n'
             '        grads["b_y"] = np.zeros_like(params["b_y"])\n'
             '        for t in range(T):\n'
             '            grads["W_hy"] += dlogits[t].T @ states[t]\n'
             '            grads["b_y"] += dlogits[t].sum(axis=0)\n'),
            ("        norm = np.sqrt(sum((g * g).sum() for g in grads.values()))\n"
             "        if norm > 5.0:\n"
             "            grads = {name: g * (5.0 / norm) for name, g in grads.items()}\n",
             "        norm = np.linalg.norm(np.concatenate([g.ravel() for g in "
             "grads.values()]))\n"
             "        for g in grads.values():\n"
             "            g *= min(1.0, 5.0 / norm)\n"))),
    ],
    "sample": [
        ("inverse-cumulative-distribution", _sample_with(
            ("c = int(rng.choice(K, p=probabilities / probabilities.sum()))",
             "cdf = np.cumsum(probabilities / probabilities.sum())\n"
             "            c = int(min(np.searchsorted(cdf, rng.random(), side='right'),"
             " K - 1))"))),
        ("gumbel-max", """
def sample(params, prompt, length, rng, temperature=1.0):
    K, H = params["W_hy"].shape
    weights = (params["W_ih"], params["W_hh"], params["b_ih"], params["b_hh"])
    x = np.zeros((len(prompt), 1, K))
    x[np.arange(len(prompt)), 0, prompt] = 1.0
    states, _ = rnn_forward(x, np.zeros((1, H)), *weights)
    h = states[-1]
    out = []
    for _ in range(length):
        logits = params["W_hy"] @ h[0] + params["b_y"]
        if not temperature:
            c = int(logits.argmax())
        else:
            c = int(np.argmax(logits / temperature + rng.gumbel(size=K)))
        out.append(c)
        one_hot = np.zeros((1, K))
        one_hot[0, c] = 1.0
        h, _ = rnn_step_forward(one_hot, h, *weights)
    return np.array(out, dtype=np.int64)
"""),
        ("log-space-probabilities", _sample_with(
            ("            probabilities = np.exp(scaled - scaled.max())\n"
             "            c = int(rng.choice(K, p=probabilities / probabilities.sum()))",
             "            log_p = scaled - scaled.max()\n"
             "            log_p -= np.log(np.exp(log_p).sum())\n"
             "            c = int(rng.choice(np.arange(K), p=np.exp(log_p)))"))),
    ],
}
