"""Wrong and right answers for the 06_reservoir assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
plausible wrong answers per part, each must lose points on its part only; ALTERNATIVES:
correct answers written the way other learners would, each must get full marks
(tests/test_grading_mutants.py). All map an answer cell's grade_id to complete
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

    # Chooses by the test error: calls test_error for every setting.
    "choose_and_test": '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    best = None
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            score = test_error(res, W)
            if best is None or score < best[0]:
                best = (score, r, lam)
    return {"radius": best[1], "ridge": best[2], "validation": grid, "test": best[0]}
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
    "choose_and_test": [
        ("chooses-by-the-test-error", WRONG_ANSWERS["choose_and_test"]),
        ("one-step-validation-error", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, 0]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
        ("largest-validation-error", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmax(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
        ("index-unravelled-the-wrong-way", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = (int(np.argmin(grid)) % len(radii),
            int(np.argmin(grid)) // len(radii))
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
        ("no-washout-in-training", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], 0)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
        ("targets-not-shifted", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout:-1], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
        ("variance-of-the-validation-stretch", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=np.var(validation))[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
        ("never-rescales", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = base
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
        ("tests-the-base-reservoir", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(base, W)}
'''),
        ("validates-on-the-training-series", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.empty((len(radii), len(ridges)))
    fits = {}
    for i, r in enumerate(radii):
        res = esn.rescaled(base, r, 1.0)
        X = esn.harvest_states(res, train[:-1, None], washout)
        for j, lam in enumerate(ridges):
            W = esn.ridge_readout(X, train[washout + 1:], lam)
            grid[i, j] = esn.stretch_nrmse(res, [W], train, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            fits[i, j] = (res, W)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    res, W = fits[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(res, W)}
'''),
    ],
}


# Correct answers written the way other learners would. Each must get full marks on every
# part (tests/test_grading_mutants.py); the hidden tests' tolerances are set from the
# largest error among them (measured, see the comments in the hidden tests).
ALTERNATIVES = {
    "reservoir_update": [
        ("loop-over-units", '''
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    x_prev, u = np.asarray(x_prev, dtype=float), np.asarray(u, dtype=float)
    x = np.empty(len(b))
    for i in range(len(b)):
        activation = b[i] + W_in[i] @ u + W[i] @ x_prev
        x[i] = (1 - leak_rate) * x_prev[i] + leak_rate * np.tanh(activation)
    return x
'''),
        ("move-a-fraction-of-the-way", '''
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    x_prev = np.asarray(x_prev, dtype=float)
    target = np.tanh(np.dot(W_in, u) + np.dot(W, x_prev) + b)
    return x_prev + leak_rate * (target - x_prev)
'''),
        ("row-vectors-and-in-place", '''
def reservoir_update(x_prev, u, W_in, W, b, leak_rate):
    x = np.array(x_prev, dtype=float)
    candidate = np.tanh(np.asarray(u, dtype=float) @ W_in.T + x @ W.T + b)
    x *= 1.0 - leak_rate
    x += leak_rate * candidate
    return x
'''),
    ],
    "ridge_readout": [
        ("explicit-inverse", '''
def ridge_readout(X, Y, ridge):
    Z = np.column_stack([np.ones(len(X)), X])
    P = np.eye(Z.shape[1])
    P[0, 0] = 0.0
    return Y.T @ Z @ np.linalg.inv(Z.T @ Z + ridge * P)
'''),
        ("lstsq-on-the-stacked-problem", '''
def ridge_readout(X, Y, ridge):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    Z = np.hstack([np.ones((len(X), 1)), X])
    P = np.diag(np.r_[0.0, np.ones(X.shape[1])])
    A = np.vstack([Z, np.sqrt(ridge) * P])
    B = np.vstack([Y, np.zeros((Z.shape[1], Y.shape[1]))])
    return np.linalg.lstsq(A, B, rcond=None)[0].T
'''),
        ("centred-data-for-the-bias", '''
def ridge_readout(X, Y, ridge):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    x_mean, y_mean = X.mean(axis=0), Y.mean(axis=0)
    Xc, Yc = X - x_mean, Y - y_mean
    weights = np.linalg.solve(Xc.T @ Xc + ridge * np.eye(X.shape[1]), Xc.T @ Yc)
    bias = y_mean - x_mean @ weights
    return np.hstack([bias[:, None], weights.T])
'''),
    ],
    "nrmse": [
        ("rmse-over-std", '''
def nrmse(prediction, target, variance=None):
    error = np.asarray(prediction, dtype=float) - np.asarray(target, dtype=float)
    rmse = np.sqrt(np.mean(error ** 2))
    scale = np.std(target) if variance is None else np.sqrt(variance)
    return float(rmse / scale)
'''),
        ("a-loop", '''
import math


def nrmse(prediction, target, variance=None):
    p = np.ravel(prediction).astype(float)
    t = np.ravel(target).astype(float)
    total = 0.0
    for a, b in zip(p, t):
        total += (a - b) ** 2
    if variance is None:
        mean = sum(t) / len(t)
        variance = sum((v - mean) ** 2 for v in t) / len(t)
    return math.sqrt(total / len(t) / variance)
'''),
        ("norm-of-the-difference", '''
def nrmse(prediction, target, variance=None):
    d = np.asarray(prediction, dtype=float) - np.asarray(target, dtype=float)
    v = np.var(np.asarray(target, dtype=float)) if variance is None else variance
    return float(np.linalg.norm(d) / np.sqrt(d.size * v))
'''),
    ],
    "generate": [
        ("preallocated-array", '''
def generate(step, W_hy, warmup, n_steps):
    W_hy = np.asarray(W_hy, dtype=float)
    x = np.zeros(W_hy.shape[1] - 1)
    for u in warmup:
        x = step(x, np.asarray(u, dtype=float))
    out = np.zeros((n_steps, W_hy.shape[0]))
    for k in range(n_steps):
        out[k] = W_hy @ np.r_[1.0, x]
        x = step(x, out[k].copy())
    return out
'''),
        ("bias-and-weights-apart", '''
def generate(step, W_hy, warmup, n_steps):
    bias, weights = W_hy[:, 0], W_hy[:, 1:]
    x = np.zeros(weights.shape[1])
    for t in range(len(warmup)):
        x = step(x, warmup[t])
    predictions = []
    while len(predictions) < n_steps:
        y = bias + weights @ x
        predictions.append(y)
        x = step(x, y)
    return np.stack(predictions) if predictions else np.zeros((0, len(bias)))
'''),
        ("vstack-of-rows", '''
def generate(step, W_hy, warmup, n_steps):
    D = W_hy.shape[0]
    x = np.zeros(W_hy.shape[1] - 1)
    for u in np.asarray(warmup, dtype=float):
        x = step(x, u)
    rows = np.empty((0, D))
    for _ in range(n_steps):
        y = np.dot(W_hy, np.concatenate(([1.0], x)))
        rows = np.vstack([rows, y])
        x = step(x, y)
    return rows
'''),
    ],
    "choose_and_test": [
        ("ridge-readouts-and-one-stretch-call", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    grid = np.zeros((len(radii), len(ridges)))
    readouts = {}
    for i, radius in enumerate(radii):
        reservoir = esn.rescaled(base, radius, 1.0)
        X = esn.harvest_states(reservoir, train[:-1, None], washout)
        Ws = esn.ridge_readouts(X, train[washout + 1:], ridges)
        errors = esn.stretch_nrmse(reservoir, Ws, validation, washout=washout,
                                   horizon=horizon, n_starts=n_starts,
                                   variance=variance)
        grid[i] = errors[:, -1]
        for j, W in enumerate(Ws):
            readouts[i, j] = (reservoir, W)
    i, j = np.unravel_index(grid.argmin(), grid.shape)
    reservoir, W = readouts[i, j]
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(reservoir, W)}
'''),
        ("retrain-the-winner", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    def fit(radius, ridge):
        reservoir = esn.rescaled(base, radius, 1.0)
        X = esn.harvest_states(reservoir, train[:-1, None], washout)
        return reservoir, esn.ridge_readout(X, train[washout + 1:], ridge)

    variance = float(np.var(train))
    table = []
    for radius in radii:
        row = []
        for ridge in ridges:
            reservoir, W = fit(radius, ridge)
            errors = esn.stretch_nrmse(reservoir, [W], validation, washout=washout,
                                       horizon=horizon, n_starts=n_starts,
                                       variance=variance)
            row.append(float(errors[0][-1]))
        table.append(row)
    table = np.array(table)
    best = min(((table[i, j], i, j) for i in range(len(radii))
                for j in range(len(ridges))))
    radius, ridge = radii[best[1]], ridges[best[2]]
    return {"radius": radius, "ridge": ridge, "validation": table,
            "test": test_error(*fit(radius, ridge))}
'''),
        ("ridges-outside-and-own-lstsq", '''
def choose_and_test(base, train, validation, radii, ridges, test_error, washout=100,
                    horizon=30, n_starts=10):
    variance = np.var(train)
    states = [esn.harvest_states(esn.rescaled(base, r, 1.0), train[:-1, None], washout)
              for r in radii]
    targets = train[washout + 1:, None]
    grid = np.full((len(radii), len(ridges)), np.inf)
    best = (np.inf, None, None, None)
    for j, ridge in enumerate(ridges):
        for i, radius in enumerate(radii):
            X = states[i]
            Z = np.hstack([np.ones((len(X), 1)), X])
            P = np.eye(Z.shape[1])
            P[0, 0] = 0.0
            A = np.vstack([Z, np.sqrt(ridge) * P])
            B = np.vstack([targets, np.zeros((Z.shape[1], 1))])
            W = np.linalg.lstsq(A, B, rcond=None)[0].T
            reservoir = esn.rescaled(base, radius, 1.0)
            grid[i, j] = esn.stretch_nrmse(reservoir, [W], validation, washout=washout,
                                           horizon=horizon, n_starts=n_starts,
                                           variance=variance)[0, horizon - 1]
            if grid[i, j] < best[0]:
                best = (grid[i, j], i, j, (reservoir, W))
    _, i, j, chosen = best
    return {"radius": radii[i], "ridge": ridges[j], "validation": grid,
            "test": test_error(*chosen)}
'''),
    ],
}
