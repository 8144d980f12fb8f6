"""Vanishing and exploding gradients in NumPy: Jacobian products, clipping,
initialisation.

For the simple RNN ``h_k = φ(a_k)``, ``a_k = W_ih x_k + b + W_hh h_{k-1}`` (see
:mod:`rnncourse.np.rnn`), the Jacobian of one step is

    J_k = ∂h_k/∂h_{k-1} = diag(φ'(a_k)) W_hh                      (H, H)

and the gradient that reaches step t from step T passes through their product

    ∂h_T/∂h_t = J_T J_{T-1} ... J_{t+1}                           (H, H), ∂h_T/∂h_T = I.

Its norm is at most Π_k ‖diag(φ'(a_k))‖ ‖W_hh‖ ≤ (γ σ_max(W_hh))^{T-t} with γ = max|φ'|
(γ = 1 for tanh and relu), so it vanishes exponentially when γ σ_max < 1 (Pascanu et al.
2013). Growth needs the largest singular value above 1/γ; the spectral radius ρ(W_hh)
(largest |eigenvalue|) sets the long-run rate of the *linear* recurrence, ‖W^n‖^{1/n} →
ρ.

Also here: gradient clipping by global norm, rescaling a matrix to a spectral radius,
the initialisations compared in the chapter (orthogonal, identity, Xavier/Glorot), and
the binomial (Wilson) interval with which the chapter reports success rates over seeds.
"""

import numpy as np

__all__ = [
    "step_jacobians", "jacobian_product", "jacobian_norms",
    "global_norm", "clip_by_global_norm",
    "spectral_radius", "scale_to_spectral_radius",
    "orthogonal", "identity", "xavier_uniform", "wilson_interval",
]


def _check_states(W_hh, h):
    W_hh = np.asarray(W_hh, dtype=float)
    h = np.asarray(h, dtype=float)
    if W_hh.ndim != 2 or W_hh.shape[0] != W_hh.shape[1]:
        raise ValueError(f"W_hh must be a square (H, H) matrix, got shape {W_hh.shape}")
    H = W_hh.shape[0]
    if h.ndim != 2 or h.shape[1] != H or h.shape[0] < 1:
        raise ValueError(
            f"h must have shape (T + 1, H) = (T + 1, {H}): the states h_0 ... h_T "
            f"of one sequence, got {h.shape}"
        )
    return W_hh, h


def step_jacobians(W_hh, h, nonlinearity="tanh"):
    """The one-step Jacobians J_k = diag(φ'(a_k)) W_hh for k = 1 ... T.

    Parameters
    ----------
    W_hh : (H, H) recurrent weights
    h : (T + 1, H) hidden states h_0, h_1, ..., h_T of one sequence
    nonlinearity : "tanh" (φ' = 1 − h_k²) or "relu" (φ' = [h_k > 0])

    Returns
    -------
    J : (T, H, H), J[k - 1] = ∂h_k/∂h_{k-1}
    """
    W_hh, h = _check_states(W_hh, h)
    if nonlinearity == "tanh":
        # φ'(a_k) written with h_k = tanh(a_k)
        derivative = 1.0 - h[1:] ** 2
    elif nonlinearity == "relu":
        derivative = (h[1:] > 0).astype(float)
    else:
        raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    # row i of W_hh scaled by φ'(a_k)_i
    return derivative[:, :, None] * W_hh[None, :, :]


def jacobian_product(W_hh, h, t, nonlinearity="tanh"):
    """∂h_T/∂h_t = J_T J_{T-1} ... J_{t+1} as an (H, H) matrix (the identity for t = T).

    W_hh : (H, H); h : (T + 1, H) states h_0 ... h_T; t : int in 0 ... T.
    """
    W_hh, h = _check_states(W_hh, h)
    T = h.shape[0] - 1
    if not 0 <= t <= T:
        raise ValueError(f"t must be in 0 ... T = {T}, got {t}")
    product = np.eye(W_hh.shape[0])
    for J in step_jacobians(W_hh, h, nonlinearity)[t:]:   # J_{t+1}, ..., J_T
        # later steps multiply on the left
        product = J @ product
    return product


def jacobian_norms(W_hh, h, nonlinearity="tanh"):
    """Spectral norms ‖∂h_T/∂h_t‖₂ for t = 0 ... T, in one backward sweep.

    Going back in time, ∂h_T/∂h_{k-1} = (∂h_T/∂h_k) J_k: the new factor multiplies on
    the right, exactly as backpropagation through time accumulates it.

    W_hh : (H, H); h : (T + 1, H) states h_0 ... h_T  ->  (T + 1,) with entry T equal to
    1.
    """
    W_hh, h = _check_states(W_hh, h)
    jacobians = step_jacobians(W_hh, h, nonlinearity)
    T = len(jacobians)
    norms = np.empty(T + 1)
    product = np.eye(W_hh.shape[0])
    norms[T] = 1.0
    for k in range(T, 0, -1):
        product = product @ jacobians[k - 1]
        norms[k - 1] = np.linalg.norm(product, 2)
    return norms


def global_norm(grads):
    """‖g‖ = sqrt(Σ_i ‖g_i‖²) over every entry of every array in ``grads``."""
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))


def clip_by_global_norm(grads, max_norm):
    """Rescale a list of gradients together when their global norm exceeds ``max_norm``.

        ĝ = g · min(1, max_norm / ‖g‖)       (Pascanu et al. 2013, Algorithm 1)

    All arrays are scaled by the same factor, so the update keeps its direction;
    gradients whose global norm is at most ``max_norm`` are returned unchanged
    (as copies).

    Parameters
    ----------
    grads : list of arrays (any shapes)
    max_norm : float > 0

    Returns
    -------
    clipped : list of new arrays, shapes as ``grads``
    total_norm : float, the global norm *before* clipping
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm!r}")
    grads = [np.asarray(g, dtype=float) for g in grads]
    total_norm = global_norm(grads)
    scale = min(1.0, max_norm / total_norm) if total_norm > 0 else 1.0
    return [g * scale for g in grads], total_norm


def spectral_radius(W):
    """ρ(W) = max_i |λ_i(W)|, the largest modulus of an eigenvalue (W: (H, H))."""
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square matrix, got shape {W.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def scale_to_spectral_radius(W, radius):
    """W · radius / ρ(W): the same matrix, rescaled so that its spectral radius is
    ``radius``.

    Not the largest singular value: for a non-normal W, σ_max(W) > ρ(W), and dividing by
    σ_max gives a spectral radius below the target. W: (H, H) -> new (H, H) array.
    """
    rho = spectral_radius(W)
    if rho == 0:
        raise ValueError(
            "W has spectral radius 0 (nilpotent): it cannot be rescaled to a radius"
        )
    return np.asarray(W, dtype=float) * (radius / rho)


def orthogonal(n, rng, gain=1.0):
    """A random orthogonal (n, n) matrix, uniform (Haar) over the orthogonal group,
    times gain.

    QR of a Gaussian matrix, A = QR, gives an orthogonal Q, but LAPACK's sign convention
    ties the signs of Q's columns to A (numpy returns R with a negative first diagonal
    entry whenever A[0, 0] > 0, making Q[0, 0] ≤ 0 always). Multiplying column j of Q by
    sign(R_jj) makes R's diagonal positive, the QR factorisation unique, and Q Haar
    distributed (Mezzadri 2007; Saxe et al. 2014 use such matrices). All singular values
    of Q are 1; its eigenvalues lie on the unit circle.
    """
    A = rng.standard_normal((n, n))
    Q, R = np.linalg.qr(A)
    signs = np.sign(np.diag(R))
    signs[signs == 0] = 1.0
    return gain * Q * signs[None, :]


def identity(n, scale=1.0):
    """scale · I (n, n): the IRNN initialisation of the recurrent weights (Le et al.
    2015)."""
    return scale * np.eye(n)


def xavier_uniform(fan_out, fan_in, rng, gain=1.0):
    """Glorot & Bengio (2010): U(−a, a) with a = gain · sqrt(6 / (fan_in + fan_out)).

    Shape (fan_out, fan_in), as a weight that maps fan_in inputs to fan_out outputs; the
    variance 2 / (fan_in + fan_out) balances the forward and the backward signal.
    """
    bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_out, fan_in))


def wilson_interval(successes, n, z=1.96):
    """Wilson's score interval for a success probability from ``successes`` of ``n``.

    With p̂ = k/n (Wilson 1927):

        centre = (p̂ + z²/2n) / (1 + z²/n),
        half-width = z sqrt(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n).

    z = 1.96 gives a 95 % interval. Unlike p̂ ± z sqrt(p̂(1 − p̂)/n) it stays inside
    [0, 1] and does not shrink to a point at 0 of n or n of n: 0 successes in 10 runs
    still allow a success rate up to 0.28. successes, n: ints or arrays of one shape.
    Returns (low, high) with that shape.
    """
    k, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    if np.any(n < 1) or np.any(k < 0) or np.any(k > n):
        raise ValueError(
            f"need 0 <= successes <= n and n >= 1, got successes={successes!r}, n={n!r}"
        )
    p = k / n
    denominator = 1.0 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
