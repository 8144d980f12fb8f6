"""Plausible wrong answers for the 05_gradients assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several per
part (tests/test_grading_mutants.py). Both map an answer cell's grade_id to complete
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
}
