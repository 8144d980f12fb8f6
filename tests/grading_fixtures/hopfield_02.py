"""Wrong and right answers for the 02_hopfield assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
plausible wrong answers per part, ALTERNATIVES: several correct answers per part, written
as other learners would (tests/test_grading_mutants.py). All map an answer cell's
grade_id to complete replacements for that cell.
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
    # Starts recall from random states instead of the stored memories.
    "recall_curve": '''
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = store(patterns)
            for pattern in patterns:
                cue = rng.choice([-1, 1], size=n_units)
                state, _ = recall(W, cue, rng)
                recalled += np.sum(state != pattern) <= tolerance * n_units
        fractions.append(recalled / (n_networks * n_patterns))
    return np.array(fractions)
''',
    # Returns the first load below the level, without interpolating.
    "critical_load": '''
def critical_load(loads, fractions, level=0.5):
    for alpha, fraction in zip(loads, fractions):
        if fraction < level:
            return float(alpha)
    return float("nan")
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
    "recall_curve": [
        (
            "random-starts",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = store(patterns)
            for pattern in patterns:
                cue = rng.choice([-1, 1], size=n_units)
                state, _ = recall(W, cue, rng)
                recalled += np.sum(state != pattern) <= tolerance * n_units
        fractions.append(recalled / (n_networks * n_patterns))
    return np.array(fractions)
""",
        ),
        # Recalls only the first memory of each network (statistically fair, but not
        # what was asked, and five times less data).
        (
            "first-memory-only",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = store(patterns)
            state, _ = recall(W, patterns[0], rng)
            recalled += np.sum(state != patterns[0]) <= tolerance * n_units
        fractions.append(recalled / n_networks)
    return np.array(fractions)
""",
        ),
        # Draws the memories once per load and reuses them for every "network".
        (
            "one-network-per-load",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
        recalled = 0
        for _ in range(n_networks):
            W = store(patterns)
            for pattern in patterns:
                state, _ = recall(W, pattern, rng)
                recalled += np.sum(state != pattern) <= tolerance * n_units
        fractions.append(recalled / (n_networks * n_patterns))
    return np.array(fractions)
""",
        ),
        (
            "divides-by-P-only",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = store(patterns)
            for pattern in patterns:
                state, _ = recall(W, pattern, rng)
                recalled += np.sum(state != pattern) <= tolerance * n_units
        fractions.append(recalled / n_patterns)
    return np.array(fractions)
""",
        ),
        # The fraction of correct bits instead of the fraction of recalled memories.
        (
            "fraction-of-correct-bits",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        correct = []
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = store(patterns)
            for pattern in patterns:
                state, _ = recall(W, pattern, rng)
                correct.append(np.mean(state == pattern))
        fractions.append(np.mean(correct))
    return np.array(fractions)
""",
        ),
        # Ignores the tolerance: only exact recall counts.
        (
            "exact-recall-only",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = store(patterns)
            for pattern in patterns:
                state, _ = recall(W, pattern, rng)
                recalled += np.array_equal(state, pattern)
        fractions.append(recalled / (n_networks * n_patterns))
    return np.array(fractions)
""",
        ),
        # Calls the Part 1 and Part 3 functions by name, ignoring store and recall.
        (
            "ignores-store-and-recall-arguments",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = hebbian_weights(patterns)
            for pattern in patterns:
                state, _ = async_recall(W, pattern, rng)
                recalled += np.sum(state != pattern) <= tolerance * n_units
        fractions.append(recalled / (n_networks * n_patterns))
    return np.array(fractions)
""",
        ),
        # Stores the transposed array: (N, P) instead of (P, N).
        (
            "stores-transposed-patterns",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(round(alpha * n_units)))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_units, n_patterns))
            W = store(patterns)
            for pattern in patterns.T:
                state, _ = recall(W, pattern, rng)
                recalled += np.sum(state != pattern) <= tolerance * n_units
        fractions.append(recalled / (n_networks * n_patterns))
    return np.array(fractions)
""",
        ),
        # A fixed seed inside: every call gives the same curve whatever rng is.
        (
            "own-fixed-seed",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    rng = np.random.default_rng(0)
    fractions = []
    for alpha in loads:
        n_patterns = max(1, int(alpha * n_units))
        recalled = 0
        for _ in range(n_networks):
            patterns = rng.choice([-1, 1], size=(n_patterns, n_units))
            W = store(patterns)
            for pattern in patterns:
                state, _ = recall(W, pattern, np.random.default_rng())
                recalled += np.sum(state != pattern) <= tolerance * n_units
        fractions.append(recalled / (n_networks * n_patterns))
    return np.array(fractions)
""",
        ),
    ],
    "critical_load": [
        (
            "no-interpolation",
            """
def critical_load(loads, fractions, level=0.5):
    for alpha, fraction in zip(loads, fractions):
        if fraction < level:
            return float(alpha)
    return float("nan")
""",
        ),
        (
            "last-point-above",
            """
def critical_load(loads, fractions, level=0.5):
    below = np.flatnonzero(np.asarray(fractions) < level)
    if below.size == 0 or below[0] == 0:
        return float("nan")
    return float(loads[below[0] - 1])
""",
        ),
        # Interpolates from the wrong end of the segment.
        (
            "mirrored-interpolation",
            """
def critical_load(loads, fractions, level=0.5):
    x, y = np.asarray(loads, dtype=float), np.asarray(fractions, dtype=float)
    below = np.flatnonzero(y < level)
    if below.size == 0 or below[0] == 0:
        return float("nan")
    k = below[0]
    return float(x[k - 1] + (level - y[k]) * (x[k] - x[k - 1]) / (y[k - 1] - y[k]))
""",
        ),
        # The last crossing instead of the first.
        (
            "last-crossing",
            """
def critical_load(loads, fractions, level=0.5):
    x, y = np.asarray(loads, dtype=float), np.asarray(fractions, dtype=float)
    crossings = [k for k in range(1, len(y)) if y[k - 1] >= level > y[k]]
    if not crossings or y[0] < level:
        return float("nan")
    k = crossings[-1]
    return float(x[k - 1] + (y[k - 1] - level) * (x[k] - x[k - 1]) / (y[k - 1] - y[k]))
""",
        ),
        (
            "ignores-level",
            """
def critical_load(loads, fractions, level=0.5):
    x, y = np.asarray(loads, dtype=float), np.asarray(fractions, dtype=float)
    below = np.flatnonzero(y < 0.5)
    if below.size == 0 or below[0] == 0:
        return float("nan")
    k = below[0]
    return float(x[k - 1] + (y[k - 1] - 0.5) * (x[k] - x[k - 1]) / (y[k - 1] - y[k]))
""",
        ),
        # Returns the first load when the curve starts below the level, and the last
        # load when it never falls below it.
        (
            "no-nan-at-the-ends",
            """
def critical_load(loads, fractions, level=0.5):
    x, y = np.asarray(loads, dtype=float), np.asarray(fractions, dtype=float)
    below = np.flatnonzero(y < level)
    if below.size == 0:
        return float(x[-1])
    k = below[0]
    if k == 0:
        return float(x[0])
    return float(x[k - 1] + (y[k - 1] - level) * (x[k] - x[k - 1]) / (y[k - 1] - y[k]))
""",
        ),
        (
            "returns-the-index",
            """
def critical_load(loads, fractions, level=0.5):
    y = np.asarray(fractions, dtype=float)
    below = np.flatnonzero(y < level)
    if below.size == 0 or below[0] == 0:
        return float("nan")
    k = below[0]
    return float(k - 1 + (y[k - 1] - level) / (y[k - 1] - y[k]))
""",
        ),
    ],
}


# Correct answers written as other learners would; each must get full marks
# (tests/test_grading_mutants.py).
ALTERNATIVES = {
    "hebbian_weights": [
        (
            "loop-of-outer-products",
            """
def hebbian_weights(patterns):
    n_patterns, n_units = np.shape(patterns)
    W = np.zeros((n_units, n_units))
    for pattern in patterns:
        W += np.outer(pattern, pattern)
    W /= n_units
    for i in range(n_units):
        W[i, i] = 0.0
    return W
""",
        ),
        (
            "einsum-minus-diagonal",
            """
def hebbian_weights(patterns):
    x = np.array(patterns, dtype=float)
    W = np.einsum("pi,pj->ij", x, x) / x.shape[1]
    return W - np.diag(np.diag(W))
""",
        ),
        (
            "float32-scaled-first",
            """
def hebbian_weights(patterns):
    x = np.asarray(patterns, dtype=np.float32) / np.float32(np.sqrt(len(patterns[0])))
    W = x.T @ x
    W[np.diag_indices_from(W)] = 0
    return W
""",
        ),
        (
            "subtract-P-identity",
            """
def hebbian_weights(patterns):
    x = np.asarray(patterns)
    n_patterns, n_units = x.shape
    return (x.T @ x - n_patterns * np.eye(n_units)) / n_units
""",
        ),
    ],
    "energy": [
        (
            "double-loop",
            """
def energy(W, s):
    total = 0.0
    for i in range(len(s)):
        for j in range(len(s)):
            total += W[i][j] * s[i] * s[j]
    return -0.5 * total
""",
        ),
        (
            "outer-product-sum",
            """
def energy(W, s):
    return float(-0.5 * np.sum(W * np.outer(s, s)))
""",
        ),
        (
            "float32",
            """
def energy(W, s):
    s = np.asarray(s, dtype=np.float32)
    return float(-(s @ np.asarray(W, dtype=np.float32) @ s) / 2)
""",
        ),
        (
            "field-then-dot",
            """
def energy(W, s):
    s = np.asarray(s, dtype=float)
    h = np.dot(W, s)
    return -0.5 * np.dot(s, h).item()
""",
        ),
    ],
    "async_recall": [
        (
            "field-from-full-product",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.array(s, dtype=float)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            h = (W @ state)[i]
            if h > 0 and state[i] < 0:
                state[i], changed = 1.0, True
            elif h < 0 and state[i] > 0:
                state[i], changed = -1.0, True
        if not changed:
            break
    return state, sweep
""",
        ),
        (
            "column-times-state",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = np.copy(s).astype(float)
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        flips = 0
        for i in rng.permutation(state.size):
            h = state @ W[:, i]
            new = state[i] if h == 0 else (1.0 if h > 0 else -1.0)
            flips += new != state[i]
            state[i] = new
        if flips == 0:
            break
    return state, sweeps
""",
        ),
        (
            "elementwise-sum",
            """
def async_recall(W, s, rng, max_sweeps=100):
    state = [float(v) for v in s]
    state = np.array(state)
    n_sweeps = 0
    for _ in range(max_sweeps):
        n_sweeps += 1
        stable = True
        for i in rng.permutation(len(state)):
            h = np.sum(W[i] * state)
            if h * state[i] < 0:
                state[i] = -state[i]
                stable = False
        if stable:
            break
    return state, n_sweeps
""",
        ),
        (
            "incremental-fields",
            """
def async_recall(W, s, rng, max_sweeps=100):
    W = np.asarray(W, dtype=float)
    state = np.array(s, dtype=float)
    fields = W @ state
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(len(state)):
            if fields[i] * state[i] < 0:
                state[i] = -state[i]
                fields += 2 * state[i] * W[:, i]
                changed = True
        if not changed:
            return state, sweep
    return state, max_sweeps
""",
        ),
        (
            "float32-python-loop",
            """
def async_recall(W, s, rng, max_sweeps=100):
    W32 = np.asarray(W, dtype=np.float32)
    state = np.array(s, dtype=np.float32)
    n = len(state)
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permutation(n):
            h = np.float32(0)
            for j in range(n):
                h += W32[i, j] * state[j]
            if h != 0 and (h > 0) != (state[i] > 0):
                state[i] = 1 if h > 0 else -1
                changed = True
        if not changed:
            break
    return state.astype(float), sweep
""",
        ),
    ],
    "recall_curve": [
        (
            "counts-in-a-list",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    result = np.zeros(len(loads))
    for k, alpha in enumerate(loads):
        P = max(1, round(float(alpha) * n_units))
        ok = []
        for network in range(n_networks):
            xi = rng.choice([-1, 1], size=(P, n_units))
            W = store(xi)
            for mu in range(P):
                final, _ = recall(W, xi[mu], rng)
                ok.append(np.count_nonzero(final != xi[mu]) / n_units <= tolerance)
        result[k] = np.mean(ok)
    return result
""",
        ),
        (
            "integer-draws-and-overlap",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    fractions = []
    for alpha in loads:
        P = max(1, int(alpha * n_units + 0.5))
        total = hits = 0
        for _ in range(n_networks):
            memories = 2 * rng.integers(0, 2, size=(P, n_units)) - 1
            W = store(memories)
            finals = np.array([recall(W, m, rng)[0] for m in memories])
            wrong = np.rint(n_units * (1 - np.mean(finals * memories, axis=1)) / 2)
            hits += np.sum(wrong <= tolerance * n_units)
            total += P
        fractions.append(hits / total)
    return np.array(fractions, dtype=float)
""",
        ),
        (
            "float-patterns-vectorised-errors",
            """
def recall_curve(n_units, loads, n_networks, rng, tolerance=0.01,
                 store=None, recall=None):
    store = hebbian_weights if store is None else store
    recall = async_recall if recall is None else recall
    loads = np.asarray(loads, dtype=float)
    out = np.empty(loads.shape)
    for k in range(len(loads)):
        n_patterns = int(np.maximum(1, np.round(loads[k] * n_units)))
        errors = []
        for _ in range(n_networks):
            patterns = rng.choice(np.array([-1.0, 1.0]), size=(n_patterns, n_units))
            W = store(patterns)
            finals = np.stack([recall(W, p, rng)[0] for p in patterns])
            errors.extend((finals != patterns).sum(axis=1))
        out[k] = np.mean(np.array(errors) <= tolerance * n_units)
    return out
""",
        ),
    ],
    "critical_load": [
        (
            "loop",
            """
def critical_load(loads, fractions, level=0.5):
    for k in range(len(fractions)):
        if fractions[k] < level:
            if k == 0:
                return float("nan")
            x0, x1 = loads[k - 1], loads[k]
            y0, y1 = fractions[k - 1], fractions[k]
            return float(x0 + (y0 - level) * (x1 - x0) / (y0 - y1))
    return float("nan")
""",
        ),
        (
            "np-interp-on-the-segment",
            """
def critical_load(loads, fractions, level=0.5):
    x = np.asarray(loads, dtype=float)
    y = np.asarray(fractions, dtype=float)
    is_below = y < level
    if not is_below.any() or is_below[0]:
        return np.nan
    k = int(np.argmax(is_below))
    return float(np.interp(level, [y[k], y[k - 1]], [x[k], x[k - 1]]))
""",
        ),
        (
            "slope-form",
            """
def critical_load(loads, fractions, level=0.5):
    loads, fractions = list(loads), list(fractions)
    first = next((k for k, f in enumerate(fractions) if f < level), None)
    if first is None or first == 0:
        return float("nan")
    slope = (fractions[first] - fractions[first - 1]) / (loads[first] - loads[first - 1])
    return loads[first - 1] + (level - fractions[first - 1]) / slope
""",
        ),
    ],
}
