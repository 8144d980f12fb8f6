"""Wrong and right answers for the 03_jordan_elman assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
plausible wrong answers per part, ALTERNATIVES: several correct answers per part, written
the way other learners would (tests/test_grading_mutants.py). Each maps an answer cell's
grade_id to complete replacements for that cell.
"""

WRONG_ANSWERS = {
    # AND instead of XOR.
    "temporal_xor": """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two, first_two[:, 0] & first_two[:, 1]])
    return triples.reshape(-1)[:n_bits]
""",
    # The context is never updated: every step reads h0.
    "elman_sequence": """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    hidden = np.array([sigmoid(W_ih @ x_t + W_hh @ h0 + b_h) for x_t in x])
    outputs = sigmoid(hidden @ W_hy.T + b_y)
    return hidden, outputs
""",
    # No decay: the state adds up all past outputs.
    "jordan_sequence": """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    state, previous = np.zeros(W_hy.shape[0]), np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        state = state + previous
        previous = sigmoid(W_hy @ sigmoid(W_ih @ x_t + W_sh @ state + b_h) + b_y)
        states.append(state)
        outputs.append(previous)
    return np.array(states), np.array(outputs)
""",
    # Averages over the positions inside each window instead of over the windows.
    "error_by_position": """
def error_by_position(outputs, targets, period):
    squared = ((outputs - targets) ** 2).mean(axis=1)
    n_windows = len(squared) // period
    return np.sqrt(squared[: n_windows * period].reshape(period, n_windows).mean(axis=1))
""",
}


# Mistakes learners really make, several per autograded part. Each entry is (name, a
# complete replacement for the answer cell). Every one must lose points on its own part
# and only there (tests/test_grading_mutants.py); when one survives, the hidden tests
# are strengthened.
MUTANTS = {
    "temporal_xor": [
        (
            "and-instead-of-xor",
            """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two, first_two[:, 0] & first_two[:, 1]])
    return triples.reshape(-1)[:n_bits]
""",
        ),
        (
            "or-instead-of-xor",
            """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two, first_two[:, 0] | first_two[:, 1]])
    return triples.reshape(-1)[:n_bits]
""",
        ),
        (
            "xor-bit-first",
            """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two[:, 0] ^ first_two[:, 1], first_two])
    return triples.reshape(-1)[:n_bits]
""",
        ),
        # XOR of the wrong bits: the second bit with the previous triple's XOR bit.
        (
            "xor-with-previous-triple",
            """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    bits, last = [], 0
    for a, b in first_two:
        last = b ^ last
        bits += [a, b, last]
    return np.array(bits)[:n_bits]
""",
        ),
        (
            "floor-number-of-triples",
            """
def temporal_xor(n_bits, rng):
    n_triples = n_bits // 3
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two, first_two[:, 0] ^ first_two[:, 1]])
    return triples.reshape(-1)
""",
        ),
        (
            "not-cut-to-length",
            """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two, first_two[:, 0] ^ first_two[:, 1]])
    return triples.reshape(-1)
""",
        ),
        (
            "columns-swapped",
            """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two[:, 1], first_two[:, 0], first_two[:, 0] ^ first_two[:, 1]])
    return triples.reshape(-1)[:n_bits]
""",
        ),
        (
            "three-random-bits",
            """
def temporal_xor(n_bits, rng):
    n_triples = -(-n_bits // 3)
    drawn = rng.integers(0, 2, size=(n_triples, 3))
    drawn[:, 2] = drawn[:, 0] ^ drawn[:, 1]
    return drawn.reshape(-1)[:n_bits]
""",
        ),
    ],
    "elman_sequence": [
        (
            "context-never-updated",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    hidden = np.array([sigmoid(W_ih @ x_t + W_hh @ h0 + b_h) for x_t in x])
    outputs = sigmoid(hidden @ W_hy.T + b_y)
    return hidden, outputs
""",
        ),
        # Off by one: returns the context each step read (h_{t-1}) instead of h_t.
        (
            "returns-contexts",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.array(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        hidden.append(context)
        h = sigmoid(W_ih @ x_t + W_hh @ context + b_h)
        outputs.append(sigmoid(W_hy @ h + b_y))
        context = h
    return np.array(hidden), np.array(outputs)
""",
        ),
        (
            "output-from-context",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.array(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        h = sigmoid(W_ih @ x_t + W_hh @ context + b_h)
        outputs.append(sigmoid(W_hy @ context + b_y))
        hidden.append(h)
        context = h
    return np.array(hidden), np.array(outputs)
""",
        ),
        (
            "copies-pre-activation",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.array(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        a = W_ih @ x_t + W_hh @ context + b_h
        h = sigmoid(a)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h + b_y))
        context = a
    return np.array(hidden), np.array(outputs)
""",
        ),
        (
            "forgets-hidden-bias",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.array(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        h = sigmoid(W_ih @ x_t + W_hh @ context)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h + b_y))
        context = h
    return np.array(hidden), np.array(outputs)
""",
        ),
        (
            "forgets-output-bias",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.array(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        h = sigmoid(W_ih @ x_t + W_hh @ context + b_h)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h))
        context = h
    return np.array(hidden), np.array(outputs)
""",
        ),
        (
            "transposed-context-weights",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.array(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        h = sigmoid(W_ih @ x_t + W_hh.T @ context + b_h)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h + b_y))
        context = h
    return np.array(hidden), np.array(outputs)
""",
        ),
        (
            "tanh-hidden-units",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.array(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        h = np.tanh(W_ih @ x_t + W_hh @ context + b_h)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h + b_y))
        context = h
    return np.array(hidden), np.array(outputs)
""",
        ),
        # Writes the hidden layer into the caller's h0 (float input, no copy).
        (
            "overwrites-h0",
            """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    context = np.asarray(h0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        h = sigmoid(W_ih @ x_t + W_hh @ context + b_h)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h + b_y))
        context[:] = h
    return np.array(hidden), np.array(outputs)
""",
        ),
    ],
    "jordan_sequence": [
        (
            "no-decay",
            """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    state, previous = np.zeros(W_hy.shape[0]), np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        state = state + previous
        previous = sigmoid(W_hy @ sigmoid(W_ih @ x_t + W_sh @ state + b_h) + b_y)
        states.append(state)
        outputs.append(previous)
    return np.array(states), np.array(outputs)
""",
        ),
        (
            "decay-on-the-output",
            """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    state, previous = np.zeros(W_hy.shape[0]), np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        state = state + decay * previous
        previous = sigmoid(W_hy @ sigmoid(W_ih @ x_t + W_sh @ state + b_h) + b_y)
        states.append(state)
        outputs.append(previous)
    return np.array(states), np.array(outputs)
""",
        ),
        (
            "leaky-average",
            """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    state, previous = np.zeros(W_hy.shape[0]), np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        state = decay * state + (1 - decay) * previous
        previous = sigmoid(W_hy @ sigmoid(W_ih @ x_t + W_sh @ state + b_h) + b_y)
        states.append(state)
        outputs.append(previous)
    return np.array(states), np.array(outputs)
""",
        ),
        (
            "state-is-last-output-only",
            """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    previous = np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        state = previous
        previous = sigmoid(W_hy @ sigmoid(W_ih @ x_t + W_sh @ state + b_h) + b_y)
        states.append(state)
        outputs.append(previous)
    return np.array(states), np.array(outputs)
""",
        ),
        # Off by one: the hidden layer reads the state before it is updated (s_{t-1}).
        (
            "reads-state-before-update",
            """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    state, previous = np.zeros(W_hy.shape[0]), np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        h = sigmoid(W_ih @ x_t + W_sh @ state + b_h)
        state = decay * state + previous
        previous = sigmoid(W_hy @ h + b_y)
        states.append(state)
        outputs.append(previous)
    return np.array(states), np.array(outputs)
""",
        ),
        (
            "forgets-hidden-bias",
            """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    state, previous = np.zeros(W_hy.shape[0]), np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        state = decay * state + previous
        previous = sigmoid(W_hy @ sigmoid(W_ih @ x_t + W_sh @ state) + b_y)
        states.append(state)
        outputs.append(previous)
    return np.array(states), np.array(outputs)
""",
        ),
        (
            "state-starts-at-first-output",
            """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    state = np.zeros(W_hy.shape[0])
    states, outputs = [], []
    for x_t in x:
        y = sigmoid(W_hy @ sigmoid(W_ih @ x_t + W_sh @ state + b_h) + b_y)
        state = decay * state + y
        states.append(state)
        outputs.append(y)
    return np.array(states), np.array(outputs)
""",
        ),
    ],
    "error_by_position": [
        (
            "windows-as-columns",
            """
def error_by_position(outputs, targets, period):
    squared = ((outputs - targets) ** 2).mean(axis=1)
    n_windows = len(squared) // period
    return np.sqrt(squared[: n_windows * period].reshape(period, n_windows).mean(axis=1))
""",
        ),
        (
            "averages-over-positions",
            """
def error_by_position(outputs, targets, period):
    squared = ((outputs - targets) ** 2).mean(axis=1)
    n_windows = len(squared) // period
    return np.sqrt(squared[: n_windows * period].reshape(n_windows, period).mean(axis=1))
""",
        ),
        (
            "mean-of-roots",
            """
def error_by_position(outputs, targets, period):
    rms = np.sqrt(((outputs - targets) ** 2).mean(axis=1))
    n_windows = len(rms) // period
    return rms[: n_windows * period].reshape(n_windows, period).mean(axis=0)
""",
        ),
        (
            "no-square-root",
            """
def error_by_position(outputs, targets, period):
    squared = ((outputs - targets) ** 2).mean(axis=1)
    n_windows = len(squared) // period
    return squared[: n_windows * period].reshape(n_windows, period).mean(axis=0)
""",
        ),
        (
            "keeps-the-remainder",
            """
def error_by_position(outputs, targets, period):
    squared = ((outputs - targets) ** 2).mean(axis=1)
    return np.sqrt(np.array([squared[k::period].mean() for k in range(period)]))
""",
        ),
        (
            "sums-over-output-units",
            """
def error_by_position(outputs, targets, period):
    squared = ((outputs - targets) ** 2).sum(axis=1)
    n_windows = len(squared) // period
    return np.sqrt(squared[: n_windows * period].reshape(n_windows, period).mean(axis=0))
""",
        ),
        (
            "windows-start-at-step-one",
            """
def error_by_position(outputs, targets, period):
    squared = ((outputs - targets) ** 2).mean(axis=1)[1:]
    n_windows = len(squared) // period
    return np.sqrt(squared[: n_windows * period].reshape(n_windows, period).mean(axis=0))
""",
        ),
    ],
}


# --- Part 5: the one-step gradient, Part 6: Elman's training -------------------------

_GRADIENTS = '''
def elman_step_gradients(x, h_prev, target, W_ih, W_hh, b_h, W_hy, b_y):
    h = sigmoid(W_ih @ x + W_hh @ h_prev + b_h)
    y_hat = sigmoid(W_hy @ h + b_y)
    delta_y = (y_hat - target) * y_hat * (1 - y_hat)
    delta_h = (W_hy.T @ delta_y) * h * (1 - h)
    return {"W_ih": np.outer(delta_h, x), "W_hh": np.outer(delta_h, h_prev),
            "b_h": delta_h, "W_hy": np.outer(delta_y, h), "b_y": delta_y,
            "error": 0.5 * float(np.sum((y_hat - target) ** 2)), "hidden": h}
'''

_TRAIN = '''
def train_elman(x, y, params, passes, learning_rate):
    trained = {name: np.array(value, dtype=float) for name, value in params.items()}
    H = trained["W_hh"].shape[0]
    for _ in range(passes):
        context = np.full(H, 0.5)
        for x_t, y_t in zip(x, y):
            step = elman_step_gradients(x_t, context, y_t, **trained)
            for name in ("W_ih", "W_hh", "b_h", "W_hy", "b_y"):
                trained[name] -= learning_rate * step[name]
            context = step["hidden"]
    return trained
'''


def _replace(source, *replacements):
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


WRONG_ANSWERS.update({
    # Forgets the derivative of the output sigmoid.
    "elman_step_gradients": _replace(
        _GRADIENTS, ("delta_y = (y_hat - target) * y_hat * (1 - y_hat)",
                     "delta_y = y_hat - target")),
    # The context is never copied: every step reads 0.5.
    "train_elman": _replace(_TRAIN, ('            context = step["hidden"]\n', "")),
})

MUTANTS["elman_step_gradients"] = [
    ("missing-output-derivative", WRONG_ANSWERS["elman_step_gradients"]),
    ("missing-hidden-derivative", _replace(
        _GRADIENTS, ("delta_h = (W_hy.T @ delta_y) * h * (1 - h)",
                     "delta_h = W_hy.T @ delta_y"))),
    ("recurrent-gradient-with-new-hidden-layer", _replace(
        _GRADIENTS, ('"W_hh": np.outer(delta_h, h_prev)', '"W_hh": np.outer(delta_h, h)'))),
    ("outer-product-transposed", _replace(
        _GRADIENTS, ('"W_ih": np.outer(delta_h, x)', '"W_ih": np.outer(x, delta_h)'))),
    ("error-without-the-half", _replace(
        _GRADIENTS, ("0.5 * float(np.sum((y_hat - target) ** 2))",
                     "float(np.sum((y_hat - target) ** 2))"))),
    ("sign-flipped", _replace(
        _GRADIENTS, ("delta_y = (y_hat - target) * y_hat * (1 - y_hat)",
                     "delta_y = (target - y_hat) * y_hat * (1 - y_hat)"))),
    ("hidden-is-the-pre-activation", _replace(
        _GRADIENTS, ('"hidden": h}', '"hidden": W_ih @ x + W_hh @ h_prev + b_h}'))),
    ("derivative-from-the-context", _replace(
        _GRADIENTS, ("delta_h = (W_hy.T @ delta_y) * h * (1 - h)",
                     "delta_h = (W_hy.T @ delta_y) * h_prev * (1 - h_prev)"))),
]

MUTANTS["train_elman"] = [
    ("context-never-copied", WRONG_ANSWERS["train_elman"]),
    ("gradient-ascent", _replace(
        _TRAIN, ("trained[name] -= learning_rate * step[name]",
                 "trained[name] += learning_rate * step[name]"))),
    ("hidden-layer-never-trained", _replace(
        _TRAIN, ('for name in ("W_ih", "W_hh", "b_h", "W_hy", "b_y"):',
                 'for name in ("W_hy", "b_y"):'))),
    ("modifies-params-in-place", _replace(
        _TRAIN, ("trained = {name: np.array(value, dtype=float) for name, value in "
                 "params.items()}", "trained = params"))),
    ("one-update-per-pass", '''
def train_elman(x, y, params, passes, learning_rate):
    trained = {name: np.array(value, dtype=float) for name, value in params.items()}
    H = trained["W_hh"].shape[0]
    for _ in range(passes):
        context = np.full(H, 0.5)
        total = {name: 0.0 for name in trained}
        for x_t, y_t in zip(x, y):
            step = elman_step_gradients(x_t, context, y_t, **trained)
            for name in total:
                total[name] = total[name] + step[name]
            context = step["hidden"]
        for name in trained:
            trained[name] -= learning_rate * total[name] / len(x)
    return trained
'''),
    ("a-single-pass", _replace(_TRAIN, ("for _ in range(passes):", "for _ in range(1):"))),
]


ALTERNATIVES = {
    "temporal_xor": [
        ("loop-and-append", """
def temporal_xor(n_bits, rng):
    pairs = rng.integers(0, 2, size=(-(-n_bits // 3), 2))
    bits = []
    for a, b in pairs:
        bits.extend([int(a), int(b), int(a != b)])
    return np.array(bits[:n_bits], dtype=int)
"""),
        ("strided-assignment", """
def temporal_xor(n_bits, rng):
    n_triples = (n_bits + 2) // 3
    drawn = rng.integers(0, 2, size=(n_triples, 2))
    stream = np.empty(3 * n_triples, dtype=np.int64)
    stream[0::3], stream[1::3] = drawn[:, 0], drawn[:, 1]
    stream[2::3] = (drawn[:, 0] + drawn[:, 1]) % 2
    return stream[:n_bits]
"""),
        ("math-ceil-and-logical-xor", """
import math

def temporal_xor(n_bits, rng):
    drawn = rng.integers(0, 2, size=(math.ceil(n_bits / 3), 2))
    third = np.logical_xor(drawn[:, 0], drawn[:, 1]).astype(int)
    return np.hstack([drawn, third[:, None]]).ravel()[:n_bits]
"""),
    ],
    "elman_sequence": [
        ("lists-and-stack", """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    hidden, outputs, h = [], [], h0
    for x_t in x:
        h = sigmoid(W_ih @ x_t + W_hh @ h + b_h)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h + b_y))
    return np.stack(hidden), np.stack(outputs)
"""),
        ("rows-and-projected-inputs", """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    projected = x @ W_ih.T + b_h
    hidden = np.empty((len(x), len(b_h)))
    previous = h0.copy()
    for t in range(len(x)):
        previous = 1 / (1 + np.exp(-(projected[t] + previous @ W_hh.T)))
        hidden[t] = previous
    return hidden, 1 / (1 + np.exp(-(hidden @ W_hy.T + b_y)))
"""),
        ("tanh-form-of-the-sigmoid", """
def elman_sequence(x, W_ih, W_hh, b_h, W_hy, b_y, h0):
    logistic = lambda a: 0.5 * (1.0 + np.tanh(0.5 * a))
    context = np.array(h0, dtype=float)
    hidden = np.zeros((x.shape[0], W_hh.shape[0]))
    outputs = np.zeros((x.shape[0], W_hy.shape[0]))
    for t, x_t in enumerate(x):
        hidden[t] = logistic(np.dot(W_ih, x_t) + np.dot(W_hh, context) + b_h)
        outputs[t] = logistic(np.dot(W_hy, hidden[t]) + b_y)
        context = hidden[t]
    return hidden, outputs
"""),
    ],
    "jordan_sequence": [
        ("projected-inputs", """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    K = len(b_y)
    projected = x @ W_ih.T + b_h
    states, outputs = np.zeros((len(x), K)), np.zeros((len(x), K))
    state, fed_back = np.zeros(K), np.zeros(K)
    for t in range(len(x)):
        state = decay * state + fed_back
        fed_back = sigmoid(W_hy @ sigmoid(projected[t] + W_sh @ state) + b_y)
        states[t], outputs[t] = state, fed_back
    return states, outputs
"""),
        ("states-from-the-outputs-after-the-loop", """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    K = W_hy.shape[0]
    states, outputs = [np.zeros(K)], []
    for t, x_t in enumerate(x):
        if t > 0:
            states.append(decay * states[-1] + outputs[-1])
        h = sigmoid(W_ih @ x_t + W_sh @ states[-1] + b_h)
        outputs.append(sigmoid(W_hy @ h + b_y))
    return np.array(states), np.array(outputs)
"""),
        ("unrolled-sum-of-past-outputs", """
def jordan_sequence(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
    K = W_hy.shape[0]
    outputs = np.zeros((len(x), K))
    states = np.zeros((len(x), K))
    for t in range(len(x)):
        for k in range(t):
            states[t] += decay ** (t - 1 - k) * outputs[k]
        h = sigmoid(W_ih @ x[t] + W_sh @ states[t] + b_h)
        outputs[t] = sigmoid(W_hy @ h + b_y)
    return states, outputs
"""),
    ],
    "error_by_position": [
        ("loops", """
def error_by_position(outputs, targets, period):
    outputs, targets = np.asarray(outputs, float), np.asarray(targets, float)
    windows = len(outputs) // period
    result = np.zeros(period)
    for p in range(period):
        total = 0.0
        for w in range(windows):
            d = outputs[w * period + p] - targets[w * period + p]
            total += np.mean(d * d)
        result[p] = np.sqrt(total / windows)
    return result
"""),
        ("strided-slices", """
def error_by_position(outputs, targets, period):
    windows = len(outputs) // period
    squared = np.mean((outputs[: windows * period] - targets[: windows * period]) ** 2,
                      axis=1)
    return np.array([np.sqrt(squared[p::period].mean()) for p in range(period)])
"""),
        ("three-dimensional-reshape", """
def error_by_position(outputs, targets, period):
    K = outputs.shape[1]
    windows = outputs.shape[0] // period
    d = (outputs - targets)[: windows * period].reshape(windows, period, K)
    return np.sqrt((d ** 2).mean(axis=(0, 2)))
"""),
    ],
    "elman_step_gradients": [
        ("loops-for-the-outer-products", """
def elman_step_gradients(x, h_prev, target, W_ih, W_hh, b_h, W_hy, b_y):
    H, D, K = W_ih.shape[0], W_ih.shape[1], W_hy.shape[0]
    h = sigmoid(W_ih @ x + W_hh @ h_prev + b_h)
    y_hat = sigmoid(W_hy @ h + b_y)
    delta_y = (y_hat - target) * y_hat * (1 - y_hat)
    delta_h = np.array([sum(W_hy[k, j] * delta_y[k] for k in range(K))
                        for j in range(H)]) * h * (1 - h)
    grads = {"W_ih": np.zeros((H, D)), "W_hh": np.zeros((H, H)),
             "W_hy": np.zeros((K, H))}
    for i in range(H):
        grads["W_ih"][i] = delta_h[i] * x
        grads["W_hh"][i] = delta_h[i] * h_prev
    for k in range(K):
        grads["W_hy"][k] = delta_y[k] * h
    grads.update(b_h=delta_h, b_y=delta_y, hidden=h,
                 error=sum(0.5 * (y_hat[k] - target[k]) ** 2 for k in range(K)))
    return grads
"""),
        ("einsum-and-tanh-sigmoid", """
def elman_step_gradients(x, h_prev, target, W_ih, W_hh, b_h, W_hy, b_y):
    logistic = lambda a: 0.5 * (1 + np.tanh(a / 2))
    h = logistic(np.einsum("hd,d->h", W_ih, x) + np.einsum("hk,k->h", W_hh, h_prev) + b_h)
    y_hat = logistic(np.einsum("kh,h->k", W_hy, h) + b_y)
    error = y_hat - target
    d_y = error * y_hat * (1.0 - y_hat)
    d_h = np.einsum("kh,k->h", W_hy, d_y) * h * (1.0 - h)
    return {"W_ih": np.einsum("h,d->hd", d_h, x), "W_hh": np.einsum("h,k->hk", d_h, h_prev),
            "b_h": d_h, "W_hy": np.einsum("k,h->kh", d_y, h), "b_y": d_y,
            "error": float(error @ error) / 2, "hidden": h}
"""),
        ("column-vectors", """
def elman_step_gradients(x, h_prev, target, W_ih, W_hh, b_h, W_hy, b_y):
    x, c, y = x.reshape(-1, 1), h_prev.reshape(-1, 1), target.reshape(-1, 1)
    h = sigmoid(W_ih @ x + W_hh @ c + b_h.reshape(-1, 1))
    y_hat = sigmoid(W_hy @ h + b_y.reshape(-1, 1))
    delta_y = (y_hat - y) * y_hat * (1 - y_hat)
    delta_h = W_hy.T @ delta_y * h * (1 - h)
    return {"W_ih": delta_h @ x.T, "W_hh": delta_h @ c.T, "b_h": delta_h.ravel(),
            "W_hy": delta_y @ h.T, "b_y": delta_y.ravel(),
            "error": 0.5 * float(((y_hat - y) ** 2).sum()), "hidden": h.ravel()}
"""),
    ],
    "train_elman": [
        ("local-arrays-and-an-index", """
def train_elman(x, y, params, passes, learning_rate):
    W_ih, W_hh, b_h = (params[k].astype(float) for k in ("W_ih", "W_hh", "b_h"))
    W_hy, b_y = params["W_hy"].astype(float), params["b_y"].astype(float)
    for _ in range(passes):
        context = 0.5 * np.ones(len(b_h))
        for t in range(len(x)):
            g = elman_step_gradients(x[t], context, y[t], W_ih, W_hh, b_h, W_hy, b_y)
            W_ih = W_ih - learning_rate * g["W_ih"]
            W_hh = W_hh - learning_rate * g["W_hh"]
            b_h = b_h - learning_rate * g["b_h"]
            W_hy = W_hy - learning_rate * g["W_hy"]
            b_y = b_y - learning_rate * g["b_y"]
            context = g["hidden"]
    return {"W_ih": W_ih, "W_hh": W_hh, "b_h": b_h, "W_hy": W_hy, "b_y": b_y}
"""),
        ("deepcopy-and-np-subtract", """
import copy

def train_elman(x, y, params, passes, learning_rate):
    trained = copy.deepcopy(params)
    for p in range(passes):
        context = np.full_like(trained["b_h"], 0.5, dtype=float)
        for step in range(x.shape[0]):
            grads = elman_step_gradients(x[step], context, y[step], trained["W_ih"],
                                         trained["W_hh"], trained["b_h"],
                                         trained["W_hy"], trained["b_y"])
            context = grads.pop("hidden")
            grads.pop("error")
            for name, gradient in grads.items():
                np.subtract(trained[name], learning_rate * gradient, out=trained[name])
    return trained
"""),
        ("dict-comprehension-per-step", """
def train_elman(x, y, params, passes, learning_rate):
    names = ["W_ih", "W_hh", "b_h", "W_hy", "b_y"]
    weights = {n: params[n] + 0.0 for n in names}
    for _ in range(passes):
        h = np.zeros(weights["W_hh"].shape[0]) + 0.5
        for x_t, y_t in zip(x, y):
            g = elman_step_gradients(x_t, h, y_t, **weights)
            weights = {n: weights[n] - learning_rate * g[n] for n in names}
            h = g["hidden"]
    return weights
"""),
    ],
}
