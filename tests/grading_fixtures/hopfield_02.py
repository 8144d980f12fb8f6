"""Plausible wrong answers for the 02_hopfield assignment, one per autograded part.

Each maps an answer cell's grade_id to a complete replacement for that cell.
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
