"""Plausible wrong answers for the 06_reservoir assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several per
part (tests/test_grading_mutants.py). Both map an answer cell's grade_id to complete
replacements for that cell.
"""

WRONG_ANSWERS = {
    # The leak applied the wrong way round.
    "reservoir_update": '''
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    return leak_rate * x_prev + (1 - leak_rate) * np.tanh(W_in @ u + W @ x_prev + b)
''',
    # Regularises the bias too.
    "ridge_readout": '''
def ridge_readout(X, Y, ridge):
    Z = np.hstack([np.ones((len(X), 1)), X])
    return np.linalg.solve(Z.T @ Z + ridge * np.eye(Z.shape[1]), Z.T @ Y).T
''',
    # Forgets the square root.
    "nrmse": '''
def nrmse(prediction, target, variance=None):
    if variance is None:
        variance = np.var(target)
    return float(np.mean((np.asarray(prediction) - np.asarray(target)) ** 2) / variance)
''',
    # Keeps feeding the last true value instead of the prediction.
    "generate": '''
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, u)
    predictions = []
    for _ in range(n_steps):
        predictions.append(W_hy @ np.concatenate([[1.0], x]))
        x = step(x, warmup[-1])
    return np.array(predictions)
''',
}


# Mistakes learners really make, several per autograded part. Each entry is (name, a
# complete replacement for the answer cell). Every one must lose points on its own part
# and only there (tests/test_grading_mutants.py); when one survives, the hidden tests
# are strengthened.
MUTANTS = {
    "reservoir_update": [
        ("leak-swapped", WRONG_ANSWERS["reservoir_update"]),
        (
            "forgets-input",
            """
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    return (1 - leak_rate) * x_prev + leak_rate * np.tanh(W @ x_prev + b)
""",
        ),
        (
            "forgets-bias",
            """
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    return (1 - leak_rate) * x_prev + leak_rate * np.tanh(W_in @ u + W @ x_prev)
""",
        ),
        (
            "W-transposed",
            """
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    return (1 - leak_rate) * x_prev + leak_rate * np.tanh(W_in @ u + x_prev @ W + b)
""",
        ),
        (
            "no-leak",
            """
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    return np.tanh(W_in @ u + W @ x_prev + b)
""",
        ),
        (
            "leak-inside-tanh",
            """
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    return np.tanh((1 - leak_rate) * x_prev + leak_rate * (W_in @ u + W @ x_prev + b))
""",
        ),
        (
            "leak-also-on-old-state",
            """
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    return leak_rate * ((1 - leak_rate) * x_prev + np.tanh(W_in @ u + W @ x_prev + b))
""",
        ),
        # Right numbers, but written into the caller's state vector.
        (
            "updates-in-place",
            """
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    pre_activation = W_in @ u + W @ x_prev + b
    x_prev *= 1 - leak_rate
    x_prev += leak_rate * np.tanh(pre_activation)
    return x_prev
""",
        ),
    ],
    "ridge_readout": [
        ("regularises-bias", WRONG_ANSWERS["ridge_readout"]),
        (
            "no-bias-column",
            """
def ridge_readout(X, Y, ridge):
    return np.linalg.solve(X.T @ X + ridge * np.eye(X.shape[1]), X.T @ Y).T
""",
        ),
        (
            "returns-transpose",
            """
def ridge_readout(X, Y, ridge):
    Z = np.hstack([np.ones((len(X), 1)), X])
    P = ridge * np.eye(Z.shape[1])
    P[0, 0] = 0.0
    return np.linalg.solve(Z.T @ Z + P, Z.T @ Y)
""",
        ),
        (
            "inverse-of-Z-Z-transposed",
            """
def ridge_readout(X, Y, ridge):
    Z = np.hstack([np.ones((len(X), 1)), X])
    return (Z.T @ np.linalg.inv(Z @ Z.T + ridge * np.eye(len(Z))) @ Y).T
""",
        ),
        (
            "adds-ridge-after-inverting",
            """
def ridge_readout(X, Y, ridge):
    Z = np.hstack([np.ones((len(X), 1)), X])
    P = ridge * np.eye(Z.shape[1])
    P[0, 0] = 0.0
    return (Y.T @ Z @ (np.linalg.inv(Z.T @ Z) + P))
""",
        ),
        (
            "forgets-ridge",
            """
def ridge_readout(X, Y, ridge):
    Z = np.hstack([np.ones((len(X), 1)), X])
    return np.linalg.lstsq(Z, Y, rcond=None)[0].T
""",
        ),
        (
            "mean-gram-matrix",
            """
def ridge_readout(X, Y, ridge):
    Z = np.hstack([np.ones((len(X), 1)), X])
    P = ridge * np.eye(Z.shape[1])
    P[0, 0] = 0.0
    return np.linalg.solve(Z.T @ Z / len(Z) + P, Z.T @ Y / len(Z)).T
""",
        ),
        (
            "bias-column-last",
            """
def ridge_readout(X, Y, ridge):
    Z = np.hstack([X, np.ones((len(X), 1))])
    P = ridge * np.eye(Z.shape[1])
    P[-1, -1] = 0.0
    return np.linalg.solve(Z.T @ Z + P, Z.T @ Y).T
""",
        ),
    ],
    "nrmse": [
        ("missing-sqrt", WRONG_ANSWERS["nrmse"]),
        (
            "divides-by-std",
            """
def nrmse(prediction, target, variance=None):
    if variance is None:
        variance = np.var(target)
    return float(np.sqrt(np.mean((np.asarray(prediction) - np.asarray(target)) ** 2)) / variance)
""",
        ),
        (
            "variance-of-prediction",
            """
def nrmse(prediction, target, variance=None):
    if variance is None:
        variance = np.var(prediction)
    return float(np.sqrt(np.mean((np.asarray(prediction) - np.asarray(target)) ** 2) / variance))
""",
        ),
        (
            "ignores-variance-argument",
            """
def nrmse(prediction, target, variance=None):
    return float(np.sqrt(np.mean((np.asarray(prediction) - np.asarray(target)) ** 2) / np.var(target)))
""",
        ),
        (
            "sample-variance",
            """
def nrmse(prediction, target, variance=None):
    if variance is None:
        variance = np.var(target, ddof=1)
    return float(np.sqrt(np.mean((np.asarray(prediction) - np.asarray(target)) ** 2) / variance))
""",
        ),
        (
            "uncentred-power",
            """
def nrmse(prediction, target, variance=None):
    if variance is None:
        variance = np.mean(np.asarray(target) ** 2)
    return float(np.sqrt(np.mean((np.asarray(prediction) - np.asarray(target)) ** 2) / variance))
""",
        ),
        (
            "not-normalised",
            """
def nrmse(prediction, target, variance=None):
    return float(np.sqrt(np.mean((np.asarray(prediction) - np.asarray(target)) ** 2)))
""",
        ),
        (
            "sums-instead-of-mean",
            """
def nrmse(prediction, target, variance=None):
    if variance is None:
        variance = np.var(target)
    return float(np.sqrt(np.sum((np.asarray(prediction) - np.asarray(target)) ** 2) / variance))
""",
        ),
    ],
    "generate": [
        ("feeds-last-true-value", WRONG_ANSWERS["generate"]),
        (
            "skips-last-warmup-input",
            """
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup[:-1]:
        x = step(x, u)
    predictions = []
    for _ in range(n_steps):
        y = W_hy @ np.concatenate([[1.0], x])
        predictions.append(y)
        x = step(x, y)
    return np.array(predictions)
""",
        ),
        (
            "steps-before-first-readout",
            """
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, u)
    predictions = []
    y = warmup[-1]
    for _ in range(n_steps):
        x = step(x, y)
        y = W_hy @ np.concatenate([[1.0], x])
        predictions.append(y)
    return np.array(predictions)
""",
        ),
        (
            "drops-bias-column",
            """
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, u)
    predictions = []
    for _ in range(n_steps):
        y = W_hy[:, 1:] @ x
        predictions.append(y)
        x = step(x, y)
    return np.array(predictions)
""",
        ),
        (
            "state-not-updated-in-free-run",
            """
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, u)
    predictions = []
    for _ in range(n_steps):
        y = W_hy @ np.concatenate([[1.0], x])
        predictions.append(y)
        step(x, y)
    return np.array(predictions)
""",
        ),
        (
            "restarts-from-zero-state",
            """
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, u)
    x = np.zeros(W_hy.shape[1] - 1)
    predictions = []
    for _ in range(n_steps):
        y = W_hy @ np.concatenate([[1.0], x])
        predictions.append(y)
        x = step(x, y)
    return np.array(predictions)
""",
        ),
        (
            "one-prediction-too-many",
            """
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, u)
    predictions = []
    for _ in range(n_steps + 1):
        y = W_hy @ np.concatenate([[1.0], x])
        predictions.append(y)
        x = step(x, y)
    return np.array(predictions)
""",
        ),
        (
            "feeds-back-the-state",
            """
def generate(step, W_hy, warmup, n_steps):
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, u)
    predictions = []
    for _ in range(n_steps):
        y = W_hy @ np.concatenate([[1.0], x])
        predictions.append(y)
        x = step(x, x[: len(y)])
    return np.array(predictions)
""",
        ),
    ],
}
