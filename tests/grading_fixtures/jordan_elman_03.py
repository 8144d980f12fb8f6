"""Plausible wrong answers for the 03_jordan_elman assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several per
part (tests/test_grading_mutants.py). Both map an answer cell's grade_id to complete
replacements for that cell.
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
    # The context is never updated: every step reads context0.
    "srn_forward": """
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    hidden = np.array([sigmoid(W_ih @ x_t + W_hh @ context0 + b_h) for x_t in x])
    outputs = sigmoid(hidden @ W_hy.T + b_y)
    return hidden, outputs
""",
    # No decay: the state adds up all past outputs.
    "jordan_forward": """
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
    "srn_forward": [
        (
            "context-never-updated",
            """
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    hidden = np.array([sigmoid(W_ih @ x_t + W_hh @ context0 + b_h) for x_t in x])
    outputs = sigmoid(hidden @ W_hy.T + b_y)
    return hidden, outputs
""",
        ),
        # Off by one: returns the context each step read (h_{t-1}) instead of h_t.
        (
            "returns-contexts",
            """
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.array(context0, dtype=float)
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
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.array(context0, dtype=float)
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
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.array(context0, dtype=float)
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
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.array(context0, dtype=float)
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
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.array(context0, dtype=float)
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
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.array(context0, dtype=float)
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
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.array(context0, dtype=float)
    hidden, outputs = [], []
    for x_t in x:
        h = np.tanh(W_ih @ x_t + W_hh @ context + b_h)
        hidden.append(h)
        outputs.append(sigmoid(W_hy @ h + b_y))
        context = h
    return np.array(hidden), np.array(outputs)
""",
        ),
        # Writes the hidden layer into the caller's context0 (float input, no copy).
        (
            "overwrites-context0",
            """
def srn_forward(x, W_ih, W_hh, b_h, W_hy, b_y, context0):
    context = np.asarray(context0, dtype=float)
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
    "jordan_forward": [
        (
            "no-decay",
            """
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
def jordan_forward(x, W_ih, W_sh, b_h, W_hy, b_y, decay):
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
