"""Plausible wrong answers for the 02_hopfield assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several per
part (tests/test_grading_mutants.py). Both map an answer cell's grade_id to complete
replacements for that cell.
"""

WRONG_ANSWERS = {
    # Forgets to remove the self-connections.
    "hebbian_weights": '''
def hebbian_weights(patterns):
    patterns = np.asarray(patterns, dtype=float)
    return patterns.T @ patterns / patterns.shape[1]
''',
    # Sign error: the energy of a stored pattern comes out high instead of low.
    "energy": '''
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(0.5 * s @ W @ s)
''',
    # Synchronous instead of asynchronous updates.
    "async_recall": '''
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        rng.permutation(len(state))
        new = np.where(W @ state == 0, state, np.sign(W @ state))
        if np.array_equal(new, state):
            break
        state = new
    return state, sweep
''',
}


# Mistakes learners really make, several per autograded part. Each entry is (name, a
# complete replacement for the answer cell). Every one must lose points on its own part
# and only there (tests/test_grading_mutants.py); when one survives, the hidden tests
# are strengthened.
MUTANTS = {
    "hebbian_weights": [
        (
            "nonzero-diagonal",
            """
def hebbian_weights(patterns):
    patterns = np.asarray(patterns, dtype=float)
    return patterns.T @ patterns / patterns.shape[1]
""",
        ),
        (
            "divides-by-P",
            """
def hebbian_weights(patterns):
    patterns = np.asarray(patterns, dtype=float)
    W = patterns.T @ patterns / patterns.shape[0]
    np.fill_diagonal(W, 0.0)
    return W
""",
        ),
        (
            "transposed-PxP",
            """
def hebbian_weights(patterns):
    patterns = np.asarray(patterns, dtype=float)
    W = patterns @ patterns.T / patterns.shape[1]
    np.fill_diagonal(W, 0.0)
    return W
""",
        ),
        # Scales the patterns in place: a float input is changed, an int input is copied
        # first.
        (
            "scales-input-in-place",
            """
def hebbian_weights(patterns):
    x = np.asarray(patterns, dtype=float)
    x /= np.sqrt(x.shape[1])
    W = x.T @ x
    np.fill_diagonal(W, 0.0)
    return W
""",
        ),
        (
            "negates-input-in-place",
            """
def hebbian_weights(patterns):
    x = np.asarray(patterns)
    x *= -1  # the sign cancels in the outer products
    W = x.T @ x / x.shape[1]
    np.fill_diagonal(W, 0.0)
    return W
""",
        ),
        (
            "integer-division",
            """
def hebbian_weights(patterns):
    patterns = np.asarray(patterns)
    W = patterns.T @ patterns // patterns.shape[1]
    np.fill_diagonal(W, 0)
    return W
""",
        ),
        (
            "integer-dtype",
            """
def hebbian_weights(patterns):
    patterns = np.asarray(patterns)
    N = patterns.shape[1]
    W = np.zeros((N, N), dtype=int)
    for p in patterns:
        W += np.outer(p, p)
    W = (W / N).astype(int)
    np.fill_diagonal(W, 0)
    return W
""",
        ),
        (
            "first-pattern-only",
            """
def hebbian_weights(patterns):
    patterns = np.asarray(patterns, dtype=float)
    W = np.outer(patterns[0], patterns[0]) / patterns.shape[1]
    np.fill_diagonal(W, 0.0)
    return W
""",
        ),
        (
            "last-pattern-only",
            """
def hebbian_weights(patterns):
    patterns = np.asarray(patterns, dtype=float)
    for p in patterns:
        W = np.outer(p, p) / patterns.shape[1]
    np.fill_diagonal(W, 0.0)
    return W
""",
        ),
    ],
    "energy": [
        (
            "sign-error",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(0.5 * s @ W @ s)
""",
        ),
        (
            "missing-half",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(-(s @ W @ s))
""",
        ),
        (
            "s-dot-s",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(-0.5 * s @ s)
""",
        ),
        (
            "sums-W",
            """
def energy(W, s):
    return float(-0.5 * np.sum(W))
""",
        ),
        (
            "returns-1x1-array",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return -0.5 * s[None, :] @ W @ s[:, None]
""",
        ),
        (
            "upper-triangle-only",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(-0.5 * np.sum(np.triu(W, 1) * np.outer(s, s)))
""",
        ),
        (
            "assumes-zero-diagonal",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(-np.sum(np.triu(W, 1) * np.outer(s, s)))
""",
        ),
        (
            "elementwise-W-times-s",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(-0.5 * np.sum(W * s))
""",
        ),
    ],
    "async_recall": [
        (
            "synchronous",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        rng.permutation(len(state))
        new = np.where(W @ state == 0, state, np.sign(W @ state))
        if np.array_equal(new, state):
            break
        state = new
    return state, sweep
""",
        ),
        (
            "stale-fields-within-sweep",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        fields = W @ state
        for i in rng.permutation(len(state)):
            if fields[i] != 0 and np.sign(fields[i]) != state[i]:
                state[i] = np.sign(fields[i])
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "never-stops-early",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        for i in rng.permutation(len(state)):
            field = W[i] @ state
            if field != 0:
                state[i] = np.sign(field)
    return state, max_sweeps
""",
        ),
        (
            "does-not-count-last-sweep",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            field = W[i] @ state
            if field != 0 and np.sign(field) != state[i]:
                state[i] = np.sign(field)
                changed = True
        if not changed:
            return state, sweep - 1
    return state, max_sweeps
""",
        ),
        (
            "ignores-max-sweeps",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    sweep = 0
    while True:
        sweep += 1
        changed = False
        for i in rng.permutation(len(state)):
            field = W[i] @ state
            if field != 0 and np.sign(field) != state[i]:
                state[i] = np.sign(field)
                changed = True
        if not changed:
            return state, sweep
""",
        ),
        (
            "sign0-to-minus-one",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            new = 1.0 if W[i] @ state > 0 else -1.0
            if new != state[i]:
                state[i] = new
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "sign0-to-plus-one",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            new = 1.0 if W[i] @ state >= 0 else -1.0
            if new != state[i]:
                state[i] = new
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "np-sign-gives-zero",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            new = np.sign(W[i] @ state)
            if new != state[i]:
                state[i] = new
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        # np.asarray copies an int cue but not a float one, which is then overwritten.
        (
            "mutates-float-cue",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.asarray(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            field = W[i] @ state
            if field != 0 and np.sign(field) != state[i]:
                state[i] = np.sign(field)
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "mutates-cue",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = s
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            field = W[i] @ state
            if field != 0 and np.sign(field) != state[i]:
                state[i] = np.sign(field)
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "fixed-order-range-N",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in range(len(state)):
            field = W[i] @ state
            if field != 0 and np.sign(field) != state[i]:
                state[i] = np.sign(field)
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "one-permutation-for-all-sweeps",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    order = rng.permutation(len(state))
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in order:
            field = W[i] @ state
            if field != 0 and np.sign(field) != state[i]:
                state[i] = np.sign(field)
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "random-unit-per-step",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    n = len(state)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for _ in range(n):
            i = rng.integers(n)
            field = W[i] @ state
            if field != 0 and np.sign(field) != state[i]:
                state[i] = np.sign(field)
                changed = True
        if not changed:
            break
    return state, sweep
""",
        ),
    ],
}
