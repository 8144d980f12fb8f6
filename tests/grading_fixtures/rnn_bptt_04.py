"""Plausible wrong answers for the 04_rnn_bptt assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several per
part (tests/test_grading_mutants.py). Both map an answer cell's grade_id to complete
replacements for that cell.

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
