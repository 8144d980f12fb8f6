"""Wrong and right answers for the 05_gradients assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
plausible wrong answers per part, each must lose points on its part only; ALTERNATIVES:
correct answers written the way other learners would, each must get full marks
(tests/test_grading_mutants.py). All map an answer cell's grade_id to complete
replacements for that cell.
"""

WRONG_ANSWERS = {
    # Clips every array by its own norm instead of the global norm.
    "clip_by_global_norm": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    return [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads], total_norm
''',
    # Forgets the tanh derivative: the norms of powers of W_hh.
    "jacobian_norms": '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    product = np.eye(len(W_hh))
    for k in range(T, 0, -1):
        product = product @ W_hh
        norms[k - 1] = np.linalg.norm(product, 2)
    return norms
''',
    # Largest singular value instead of the spectral radius.
    "scale_to_spectral_radius": '''
def scale_to_spectral_radius(W, radius):
    W = np.asarray(W, dtype=float)
    return W * radius / np.linalg.norm(W, 2)
''',
    # QR without the sign correction.
    "orthogonal": '''
def orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q
''',
    # Never clips: the update uses the raw gradient whatever max_norm says.
    "train_with_clipping": '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(params, x, y)
        norm = float(np.sqrt(sum(np.sum(np.asarray(grads[k]) ** 2) for k in params)))
        params = {k: v - lr * np.asarray(grads[k]) for k, v in params.items()}
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
''',
}


MUTANTS = {
    "clip_by_global_norm": [
        ("per-array-norm", WRONG_ANSWERS["clip_by_global_norm"]),
        ("clips-below-threshold", '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    return [np.asarray(g) * max_norm / total_norm for g in grads], total_norm
'''),
        ("clips-by-value", '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    return [np.clip(g, -max_norm, max_norm) for g in grads], total_norm
'''),
        ("sum-of-norms", '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(sum(np.linalg.norm(np.ravel(g)) for g in grads))
    scale = min(1.0, max_norm / total_norm) if total_norm > 0 else 1.0
    return [np.asarray(g) * scale for g in grads], total_norm
'''),
        ("returns-norm-after-clipping", '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    scale = min(1.0, max_norm / total_norm) if total_norm > 0 else 1.0
    return [np.asarray(g) * scale for g in grads], total_norm * scale
'''),
        ("modifies-in-place", '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    if total_norm > max_norm:
        for g in grads:
            g *= max_norm / total_norm
    return grads, total_norm
'''),
        ("squared-norm", '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(sum(np.sum(np.asarray(g) ** 2) for g in grads))
    scale = min(1.0, max_norm / total_norm) if total_norm > 0 else 1.0
    return [np.asarray(g) * scale for g in grads], total_norm
'''),
        ("zero-gradient-nan", '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    scale = min(1.0, max_norm / total_norm)
    return [np.asarray(g) * scale for g in grads], total_norm
'''),
    ],
    "jacobian_norms": [
        ("no-tanh-derivative", WRONG_ANSWERS["jacobian_norms"]),
        ("derivative-of-previous-state", '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    product = np.eye(len(W_hh))
    for k in range(T, 0, -1):
        product = product @ ((1.0 - h[k - 1] ** 2)[:, None] * W_hh)
        norms[k - 1] = np.linalg.norm(product, 2)
    return norms
'''),
        ("derivative-on-columns", '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    product = np.eye(len(W_hh))
    for k in range(T, 0, -1):
        product = product @ (W_hh * (1.0 - h[k] ** 2)[None, :])
        norms[k - 1] = np.linalg.norm(product, 2)
    return norms
'''),
        ("wrong-order-of-product", '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    product = np.eye(len(W_hh))
    for k in range(T, 0, -1):
        product = ((1.0 - h[k] ** 2)[:, None] * W_hh) @ product
        norms[k - 1] = np.linalg.norm(product, 2)
    return norms
'''),
        ("transposed-W", '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    product = np.eye(len(W_hh))
    for k in range(T, 0, -1):
        product = product @ ((1.0 - h[k] ** 2)[:, None] * W_hh.T)
        norms[k - 1] = np.linalg.norm(product, 2)
    return norms
'''),
        ("frobenius-norm", '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    product = np.eye(len(W_hh))
    for k in range(T, 0, -1):
        product = product @ ((1.0 - h[k] ** 2)[:, None] * W_hh)
        norms[k - 1] = np.linalg.norm(product)
    return norms
'''),
        ("product-of-norms", '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    for k in range(T, 0, -1):
        norms[k - 1] = norms[k] * np.linalg.norm((1.0 - h[k] ** 2)[:, None] * W_hh, 2)
    return norms
'''),
        ("derivative-one-minus-h", '''
def jacobian_norms(W_hh, h):
    T = len(h) - 1
    norms = np.ones(T + 1)
    product = np.eye(len(W_hh))
    for k in range(T, 0, -1):
        product = product @ ((1.0 - np.abs(h[k]))[:, None] * W_hh)
        norms[k - 1] = np.linalg.norm(product, 2)
    return norms
'''),
    ],
    "scale_to_spectral_radius": [
        ("largest-singular-value", WRONG_ANSWERS["scale_to_spectral_radius"]),
        ("largest-real-eigenvalue", '''
def scale_to_spectral_radius(W, radius):
    W = np.asarray(W, dtype=float)
    return W * radius / np.max(np.linalg.eigvals(W).real)
'''),
        ("symmetric-eigvalsh", '''
def scale_to_spectral_radius(W, radius):
    W = np.asarray(W, dtype=float)
    return W * radius / np.max(np.abs(np.linalg.eigvalsh(W)))
'''),
        ("frobenius-norm", '''
def scale_to_spectral_radius(W, radius):
    W = np.asarray(W, dtype=float)
    return W * radius / np.linalg.norm(W)
'''),
        ("largest-entry", '''
def scale_to_spectral_radius(W, radius):
    W = np.asarray(W, dtype=float)
    return W * radius / np.abs(W).max()
'''),
        ("inverted-ratio", '''
def scale_to_spectral_radius(W, radius):
    W = np.asarray(W, dtype=float)
    return W * np.max(np.abs(np.linalg.eigvals(W))) / radius
'''),
        ("modifies-W-in-place", '''
def scale_to_spectral_radius(W, radius):
    W *= radius / np.max(np.abs(np.linalg.eigvals(W)))
    return W
'''),
    ],
    "orthogonal": [
        ("qr-without-sign-correction", WRONG_ANSWERS["orthogonal"]),
        ("normalised-gaussian-rows", '''
def orthogonal(n, rng):
    A = rng.standard_normal((n, n))
    return A / np.linalg.norm(A, axis=1, keepdims=True)
'''),
        ("identity", '''
def orthogonal(n, rng):
    return np.eye(n)
'''),
        ("fixed-seed-inside", '''
def orthogonal(n, rng):
    Q, R = np.linalg.qr(np.random.default_rng(0).standard_normal((n, n)))
    return Q * np.sign(np.diag(R))
'''),
        ("global-numpy-random", '''
def orthogonal(n, rng):
    Q, R = np.linalg.qr(np.random.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))
'''),
        ("returns-R-factor-scaled", '''
def orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.diag(R)
'''),
        ("forces-determinant-plus-one", '''
def orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    Q = Q * np.sign(np.diag(R))
    if np.linalg.det(Q) < 0:
        Q[:, 0] = -Q[:, 0]
    return Q
'''),
        ("uniform-entries-no-sign-fix", '''
def orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.uniform(-1, 1, size=(n, n)))
    return Q
'''),
    ],

    "train_with_clipping": [
        ("never-clips", WRONG_ANSWERS["train_with_clipping"]),
        ("clips-after-the-update", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(params, x, y)
        raw = [np.asarray(grads[k], dtype=float) for k in params]
        params = {k: v - lr * g for (k, v), g in zip(params.items(), raw)}
        if max_norm is None:
            norm = float(np.sqrt(sum(np.sum(g ** 2) for g in raw)))
        else:
            _, norm = clip(raw, max_norm)
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
'''),
        ("records-norm-after-clipping", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(params, x, y)
        steps = [np.asarray(grads[k], dtype=float) for k in params]
        if max_norm is not None:
            steps, _ = clip(steps, max_norm)
        norm = float(np.sqrt(sum(np.sum(g ** 2) for g in steps)))
        params = {k: v - lr * g for (k, v), g in zip(params.items(), steps)}
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
'''),
        ("gradient-ascent", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(params, x, y)
        steps = [np.asarray(grads[k], dtype=float) for k in params]
        if max_norm is None:
            norm = float(np.sqrt(sum(np.sum(g ** 2) for g in steps)))
        else:
            steps, norm = clip(steps, max_norm)
        params = {k: v + lr * g for (k, v), g in zip(params.items(), steps)}
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
'''),
        ("own-fixed-seed-generator", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    batches = np.random.default_rng(0)
    for _ in range(n_steps):
        x, y = make_batch(batches)
        loss, grads = loss_and_grads(params, x, y)
        steps = [np.asarray(grads[k], dtype=float) for k in params]
        if max_norm is None:
            norm = float(np.sqrt(sum(np.sum(g ** 2) for g in steps)))
        else:
            steps, norm = clip(steps, max_norm)
        params = {k: v - lr * g for (k, v), g in zip(params.items(), steps)}
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
'''),
        ("updates-params-in-place", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(params, x, y)
        steps = [np.asarray(grads[k], dtype=float) for k in params]
        if max_norm is None:
            norm = float(np.sqrt(sum(np.sum(g ** 2) for g in steps)))
        else:
            steps, norm = clip(steps, max_norm)
        for k, g in zip(params, steps):
            params[k] -= lr * g
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
'''),
        ("loss-after-the-update", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        _, grads = loss_and_grads(params, x, y)
        steps = [np.asarray(grads[k], dtype=float) for k in params]
        if max_norm is None:
            norm = float(np.sqrt(sum(np.sum(g ** 2) for g in steps)))
        else:
            steps, norm = clip(steps, max_norm)
        params = {k: v - lr * g for (k, v), g in zip(params.items(), steps)}
        history["loss"].append(loss_and_grads(params, x, y)[0])
        history["norm"].append(norm)
    return params, history
'''),
        ("clips-at-one-when-max-norm-is-none", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(params, x, y)
        steps = [np.asarray(grads[k], dtype=float) for k in params]
        steps, norm = clip(steps, 1.0 if max_norm is None else max_norm)
        params = {k: v - lr * g for (k, v), g in zip(params.items(), steps)}
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
'''),
        ("clips-each-array-by-its-own-norm", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(params, x, y)
        steps = [np.asarray(grads[k], dtype=float) for k in params]
        norm = float(np.sqrt(sum(np.sum(g ** 2) for g in steps)))
        if max_norm is not None:
            steps = [clip([g], max_norm)[0][0] for g in steps]
        params = {k: v - lr * g for (k, v), g in zip(params.items(), steps)}
        history["loss"].append(loss)
        history["norm"].append(norm)
    return params, history
'''),
    ],
}


# Correct answers written the way other learners would. Each must get full marks on every
# part (tests/test_grading_mutants.py); the hidden tests' tolerances are set from the
# largest error among them (measured, see the comments in the hidden tests).
ALTERNATIVES = {
    "clip_by_global_norm": [
        ("loop-with-math-sqrt", '''
import math


def clip_by_global_norm(grads, max_norm):
    total = 0.0
    for g in grads:
        for value in np.asarray(g, dtype=float).ravel():
            total += value * value
    total_norm = math.sqrt(total)
    if total_norm <= max_norm:
        return [np.array(g, dtype=float) for g in grads], total_norm
    return [np.asarray(g, dtype=float) * (max_norm / total_norm) for g in grads], total_norm
'''),
        ("norm-of-the-concatenation", '''
def clip_by_global_norm(grads, max_norm):
    flat = np.concatenate([np.ravel(g) for g in grads]).astype(float)
    total_norm = float(np.linalg.norm(flat))
    factor = 1.0 if total_norm == 0.0 else min(1.0, max_norm / total_norm)
    return [factor * np.asarray(g, dtype=float) for g in grads], total_norm
'''),
        ("in-place-on-copies", '''
def clip_by_global_norm(grads, max_norm):
    clipped = [np.array(g, dtype=float, copy=True) for g in grads]
    total_norm = float(np.sqrt(np.sum([np.vdot(g, g) for g in clipped])))
    if total_norm > max_norm:
        for g in clipped:
            g *= max_norm / total_norm
    return clipped, total_norm
'''),
    ],
    "jacobian_norms": [
        ("each-product-from-scratch", '''
def jacobian_norms(W_hh, h):
    W_hh, h = np.asarray(W_hh, dtype=float), np.asarray(h, dtype=float)
    T, H = h.shape[0] - 1, W_hh.shape[0]
    norms = np.empty(T + 1)
    for t in range(T + 1):
        product = np.eye(H)
        for k in range(t + 1, T + 1):          # J_{t+1} first, later steps on the left
            product = (np.diag(1.0 - h[k] ** 2) @ W_hh) @ product
        norms[t] = np.linalg.norm(product, 2)
    return norms
'''),
        ("transposed-product-and-svd", '''
def jacobian_norms(W_hh, h):
    W_hh, h = np.asarray(W_hh, dtype=float), np.asarray(h, dtype=float)
    T = len(h) - 1
    result = [1.0]
    product_T = np.eye(len(W_hh))          # (dh_T/dh_k)^T, same singular values
    for k in range(T, 0, -1):
        J = (1.0 - h[k] ** 2)[:, None] * W_hh
        product_T = J.T @ product_T
        result.append(np.linalg.svd(product_T, compute_uv=False)[0])
    return np.array(result[::-1])
'''),
        ("explicit-diagonal-matrices", '''
def jacobian_norms(W_hh, h):
    W_hh = np.array(W_hh, dtype=float)
    h = np.array(h, dtype=float)
    T = h.shape[0] - 1
    norms = np.zeros(T + 1)
    norms[T] = 1.0
    back = np.identity(W_hh.shape[0])
    for k in reversed(range(1, T + 1)):
        back = back.dot(np.diag(1 - h[k] * h[k]).dot(W_hh))
        norms[k - 1] = np.linalg.norm(back, ord=2)
    return norms
'''),
    ],
    "scale_to_spectral_radius": [
        ("modulus-by-a-loop", '''
def scale_to_spectral_radius(W, radius):
    W = np.array(W, dtype=float)
    rho = 0.0
    for eigenvalue in np.linalg.eigvals(W):
        rho = max(rho, abs(eigenvalue))
    return radius / rho * W
'''),
        ("real-and-imaginary-parts", '''
def scale_to_spectral_radius(W, radius):
    W = np.asarray(W, dtype=np.float64)
    eigenvalues = np.linalg.eigvals(W)
    rho = np.sqrt(eigenvalues.real ** 2 + eigenvalues.imag ** 2).max()
    return W * radius / rho
'''),
        ("in-place-on-a-copy", '''
def scale_to_spectral_radius(W, radius):
    scaled = np.array(W, dtype=float)
    scaled *= radius / np.abs(np.linalg.eigvals(scaled)).max()
    return scaled
'''),
    ],
    "orthogonal": [
        ("sign-fix-with-a-diagonal-matrix", '''
def orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.normal(size=(n, n)))
    D = np.diag(np.where(np.diag(R) < 0, -1.0, 1.0))
    return Q @ D
'''),
        ("flip-columns-in-a-loop", '''
def orthogonal(n, rng):
    A = rng.standard_normal((n, n))
    Q, R = np.linalg.qr(A)
    Q = Q.copy()
    for j in range(n):
        if R[j, j] < 0:
            Q[:, j] = -Q[:, j]
    return Q
'''),
        ("qr-of-the-transpose", '''
def orthogonal(n, rng):
    A = rng.standard_normal((n, n)).T      # the transpose of a Gaussian matrix is Gaussian
    Q, R = np.linalg.qr(A)
    return Q * np.sign(np.diag(R) + (np.diag(R) == 0))
'''),
    ],
    "train_with_clipping": [
        ("names-list-and-inf-threshold", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    names = list(params)
    current = {k: np.asarray(params[k], dtype=float).copy() for k in names}
    losses, norms = [], []
    for step in range(n_steps):
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(current, x, y)
        raw = [grads[k] for k in names]
        if max_norm is None:
            used = [np.asarray(g, dtype=float) for g in raw]
            norm = float(np.sqrt(sum(float((g * g).sum()) for g in used)))
        else:
            used, norm = clip(raw, max_norm)
        for k, g in zip(names, used):
            current[k] = current[k] - lr * np.asarray(g)
        losses.append(loss)
        norms.append(norm)
    return current, {"loss": losses, "norm": norms}
'''),
        ("in-place-on-copies", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    p = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
    history = {"loss": [], "norm": []}
    for _ in range(n_steps):
        batch = make_batch(rng)
        loss, grads = loss_and_grads(p, *batch)
        grads = [np.array(grads[k], dtype=float) for k in p]
        if max_norm is not None:
            grads, norm = clip(grads, max_norm)
        else:
            norm = float(np.linalg.norm(np.concatenate([g.ravel() for g in grads])))
        for k, g in zip(p, grads):
            p[k] -= lr * g
        history["loss"].append(loss)
        history["norm"].append(norm)
    return p, history
'''),
        ("sorted-keys-and-a-while-loop", '''
def train_with_clipping(params, loss_and_grads, make_batch, lr, n_steps, max_norm, rng,
                        clip=clip_by_global_norm):
    keys = sorted(params)
    values = [np.array(params[k], dtype=float) for k in keys]
    history = {"loss": [], "norm": []}
    step = 0
    while step < n_steps:
        x, y = make_batch(rng)
        loss, grads = loss_and_grads(dict(zip(keys, values)), x, y)
        g = [np.asarray(grads[k], dtype=float) for k in keys]
        if max_norm is None:
            _, norm = clip(g, float("inf"))
        else:
            g, norm = clip(g, max_norm)
        values = [v - lr * gi for v, gi in zip(values, g)]
        history["loss"].append(loss)
        history["norm"].append(norm)
        step += 1
    return dict(zip(keys, values)), history
'''),
    ],
}
