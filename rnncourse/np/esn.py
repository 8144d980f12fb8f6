"""Echo state networks: a fixed random reservoir and a linear readout trained in closed
form.

Notation (the book's). A reservoir of ``N`` tanh units is driven by inputs
:math:`u(n) \\in \\mathbb{R}^D`; only the readout :math:`W_{hy}` is trained:

.. math::

    \\tilde x(n) &= \\tanh\\big(W_\\text{in} u(n) + W x(n-1) + b\\big) \\\\
    x(n) &= (1 - \\alpha)\\, x(n-1) + \\alpha\\, \\tilde x(n) \\\\
    y(n) &= W_{hy} \\begin{bmatrix} 1 \\\\ x(n) \\end{bmatrix}

* ``W_in`` (N, D) input weights, ``W`` (N, N) recurrent weights, ``b`` (N,) bias: drawn
  at random and never trained (they play the roles of torch's ``W_ih``, ``W_hh`` and
  ``b_ih``);
* the **spectral radius** :math:`\\rho(W) = \\max_i |\\lambda_i(W)|` and the **input
  scaling** set how strongly the reservoir echoes its past and how hard the input drives
  it;
* the **leak rate** :math:`\\alpha \\in (0, 1]` makes each unit a leaky integrator:
  small
  :math:`\\alpha`, slow units (:math:`\\alpha = 1` is the plain update);
* ``W_hy`` (K, 1 + N) is the readout, its first column the output bias. It is fitted by
  **ridge regression** in closed form on states harvested after a **washout**.

Batches follow the course's row layout: one state per row, ``x`` (B, N) and ``u``
(B, D), so
:math:`W x` is written ``x @ W.T``; sequences are time-major, (T, D) or (T, B, D).

A sparse reservoir (most entries of ``W`` zero, as in Jaeger's) is run through SciPy's
sparse
matrix product when SciPy is installed: the same numbers, many times faster than a dense
product at N = 1000.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from .gradients import spectral_radius as _dense_spectral_radius

# Below this fraction of nonzero weights the time loops use a sparse matrix product.
SPARSE_BELOW = 0.2


class Reservoir(NamedTuple):
    """The fixed part of an echo state network.

    W_in (N, D), W (N, N), b (N,), leak_rate: float in (0, 1].
    """

    W_in: np.ndarray
    W: np.ndarray
    b: np.ndarray
    leak_rate: float


# --------------------------------------------------------------------------------------
# Input checks (errors that say what was expected and what came)
# --------------------------------------------------------------------------------------

def _check_leak_rate(leak_rate) -> float:
    if not 0.0 < float(leak_rate) <= 1.0:
        raise ValueError(f"leak_rate must lie in (0, 1], got {leak_rate!r}")
    return float(leak_rate)


def _check_reservoir(W_in, W, b):
    W_in, W, b = (np.asarray(a, dtype=float) for a in (W_in, W, b))
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square matrix (N, N), got shape {W.shape}")
    N = W.shape[0]
    if W_in.ndim != 2 or W_in.shape[0] != N:
        raise ValueError(
            f"W_in must have shape (N, D) = ({N}, D) to match W of shape "
            f"{W.shape}, got {W_in.shape}"
        )
    if b.shape != (N,):
        raise ValueError(
            f"b must have shape (N,) = ({N},) to match W of shape {W.shape}, got "
            f"{b.shape}"
        )
    return W_in, W, b


def _check_last_axis(name, array, size, layout):
    if array.shape[-1:] != (size,):
        raise ValueError(
            f"{name} must have shape {layout} with last axis {size}, got {array.shape}"
        )


# --------------------------------------------------------------------------------------
# Construction
# --------------------------------------------------------------------------------------

def spectral_radius(W) -> float:
    """:math:`\\rho(W) = \\max_i |\\lambda_i(W)|`, the largest eigenvalue modulus.

    W: (N, N). Uses ARPACK on the sparse matrix for large sparse W (SciPy), and
    :func:`rnncourse.np.gradients.spectral_radius` (dense ``eigvals``) otherwise or if
    ARPACK does not converge.
    """
    W = np.asarray(W, dtype=float)
    if (
        W.ndim == 2
        and W.shape[0] == W.shape[1] > 64
        and np.count_nonzero(W) < SPARSE_BELOW * W.size
    ):
        try:
            from scipy.sparse import csr_array
            from scipy.sparse.linalg import eigs

            # a fixed start vector: the same result on every run
            start = np.ones(W.shape[0])
            largest = eigs(
                csr_array(W),
                k=6,
                which="LM",
                v0=start,
                return_eigenvectors=False,
                tol=1e-12,
            )
            return float(np.abs(largest).max())
        # no SciPy, or ARPACK did not converge: fall back to dense
        except Exception:
            pass
    return _dense_spectral_radius(W)     # also rejects a W that is not square


def largest_singular_value(W) -> float:
    """:math:`\\sigma_\\max(W) = \\lVert W \\rVert_2`, the most W can lengthen a vector.

    W: (M, N). Uses SciPy's sparse ``svds`` for large sparse W, much faster than a dense
    SVD at N = 1000, and ``np.linalg.norm(W, 2)`` otherwise.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 2:
        raise ValueError(f"W must be a matrix, got shape {W.shape}")
    if min(W.shape) > 64 and np.count_nonzero(W) < SPARSE_BELOW * W.size:
        try:
            from scipy.sparse import csr_array
            from scipy.sparse.linalg import svds

            start = np.ones(min(W.shape))
            return float(svds(csr_array(W), k=1, v0=start, tol=1e-12,
                              return_singular_vectors=False)[0])
        # no SciPy, or ARPACK did not converge: fall back to dense
        except Exception:
            pass
    return float(np.linalg.norm(W, 2))


_radius_of = spectral_radius    # the functions below have an argument of the same name


def random_reservoir(n_units: int, n_inputs: int, rng: np.random.Generator, *,
                     spectral_radius: float = 0.9, input_scaling: float = 1.0,
                     bias_scaling: float = 0.0, leak_rate: float = 1.0,
                     density: float = 0.01) -> Reservoir:
    """Draw a reservoir: sparse uniform weights rescaled to a chosen spectral radius.

    * ``W``: each entry nonzero with probability ``density``, nonzero entries uniform in
      [-1, 1], then the whole matrix multiplied by ``spectral_radius / rho(W)``;
    * ``W_in``: dense, uniform in [-input_scaling, input_scaling];
    * ``b``: uniform in [-bias_scaling, bias_scaling] (zero by default).

    Returns a :class:`Reservoir` with W_in (N, D), W (N, N), b (N,).
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}"
        )
    if not 0.0 < density <= 1.0:
        raise ValueError(f"density must lie in (0, 1], got {density!r}")
    leak_rate = _check_leak_rate(leak_rate)
    W = rng.uniform(-1.0, 1.0, size=(n_units, n_units))
    W *= rng.random((n_units, n_units)) < density
    W *= spectral_radius / max(_radius_of(W), 1e-300)
    W_in = rng.uniform(-input_scaling, input_scaling, size=(n_units, n_inputs))
    b = rng.uniform(-bias_scaling, bias_scaling, size=n_units)
    return Reservoir(W_in, W, b, leak_rate)


def rescaled(
    reservoir: Reservoir, spectral_radius: float, current_radius: float | None = None
) -> Reservoir:
    """The same reservoir with W multiplied to reach a new spectral radius (for sweeps).
    """
    if current_radius is None:
        current_radius = _radius_of(reservoir.W)
    return reservoir._replace(W=reservoir.W * (spectral_radius / current_radius))


# --------------------------------------------------------------------------------------
# Running the reservoir
# --------------------------------------------------------------------------------------

def reservoir_step(x_prev, u, W_in, W, b, leak_rate):
    """One leaky-integrator update.

    .. math::

        x(n) = (1 - \\alpha)\\, x(n-1)
               + \\alpha \\tanh\\big(W_\\text{in} u(n) + W x(n-1) + b\\big)

    x_prev: (N,) or (B, N); u: (D,) or (B, D); W_in (N, D), W (N, N), b (N,).
    Returns x with the shape of x_prev.
    """
    W_in, W, b = _check_reservoir(W_in, W, b)
    leak_rate = _check_leak_rate(leak_rate)
    x_prev, u = np.asarray(x_prev, dtype=float), np.asarray(u, dtype=float)
    _check_last_axis("x_prev", x_prev, W.shape[0], "(N,) or (B, N)")
    _check_last_axis("u", u, W_in.shape[1], "(D,) or (B, D)")
    candidate = np.tanh(u @ W_in.T + x_prev @ W.T + b)
    return (1.0 - leak_rate) * x_prev + leak_rate * candidate


def _fast_product(W):
    """A function x -> x W^T for states x (B, N), sparse when W is mostly zeros."""
    if np.count_nonzero(W) < SPARSE_BELOW * W.size:
        try:
            from scipy.sparse import csr_array

            W_sparse = csr_array(W)
            return lambda x: (W_sparse @ x.T).T
        except ImportError:
            pass
    return lambda x: x @ W.T


def run_reservoir(reservoir: Reservoir, inputs, x0=None) -> np.ndarray:
    """Drive the reservoir with a whole input sequence (teacher forcing) and record its
    states.

    inputs: (T, D) or a batch (T, B, D); x0: (N,) or (B, N), zeros by default.
    Returns states (T, N) or (T, B, N): row n is x(n), the state after input u(n).
    """
    W_in, W, b = _check_reservoir(reservoir.W_in, reservoir.W, reservoir.b)
    a = _check_leak_rate(reservoir.leak_rate)
    inputs = np.asarray(inputs, dtype=float)
    if inputs.ndim not in (2, 3) or inputs.shape[-1] != W_in.shape[1]:
        raise ValueError(
            "inputs must have shape (T, D) or (T, B, D) with D = "
            f"{W_in.shape[1]}, got {inputs.shape}"
        )
    N = W.shape[0]
    x = np.zeros(inputs.shape[1:-1] + (N,)) if x0 is None else np.array(x0, dtype=float)
    if x.shape != inputs.shape[1:-1] + (N,):
        raise ValueError(
            f"x0 must have shape {inputs.shape[1:-1] + (N,)}, got {x.shape}"
        )
    # W_in u(n) + b for every step at once: (T, [B,] N)
    drive = inputs @ W_in.T + b
    recurrent = _fast_product(W)
    states = np.empty(drive.shape)
    for n in range(len(inputs)):
        x = (1.0 - a) * x + a * np.tanh(
            drive[n] + recurrent(x.reshape(-1, N)).reshape(x.shape)
        )
        states[n] = x
    return states


def harvest_states(reservoir: Reservoir, inputs, washout: int, x0=None) -> np.ndarray:
    """Run the reservoir over ``inputs`` and drop the first ``washout`` states.

    The washout removes the memory of the arbitrary starting state x0: with the echo
    state property the states that remain depend on the inputs only.
    inputs: (T, D). Returns states (T - washout, N).
    """
    if not 0 <= washout < len(inputs):
        raise ValueError(
            f"washout must lie in [0, T) = [0, {len(inputs)}), got {washout!r}"
        )
    return run_reservoir(reservoir, inputs, x0)[washout:]


# --------------------------------------------------------------------------------------
# The readout
# --------------------------------------------------------------------------------------

def with_bias(states) -> np.ndarray:
    """:math:`[1; x]` for every state: (..., N) -> (..., 1 + N)."""
    states = np.asarray(states, dtype=float)
    return np.concatenate([np.ones(states.shape[:-1] + (1,)), states], axis=-1)


def _design_and_targets(states, targets):
    """Z = [1, X] (T, 1 + N) and Y (T, K), or a ValueError naming both shapes."""
    Z = with_bias(states)
    Y = np.asarray(targets, dtype=float)
    Y = Y[:, None] if Y.ndim == 1 else Y
    if Z.ndim != 2 or Y.ndim != 2 or len(Y) != len(Z):
        raise ValueError(
            "states (T, N) and targets (T, K) must have the same T, got "
            f"{np.shape(states)} and {np.shape(targets)}"
        )
    return Z, Y


def ridge_readout(states, targets, ridge: float) -> np.ndarray:
    """Closed-form ridge regression for the readout; the bias is not regularised.

    With :math:`Z = [\\mathbf{1}, X]` (T, 1 + N) and targets Y (T, K), minimise
    :math:`\\lVert Z W_{hy}^\\top - Y \\rVert^2
    + \\lambda \\lVert W_{hy}[:, 1:] \\rVert^2`:

    .. math:: W_{hy} = Y^\\top Z \\,(Z^\\top Z + \\lambda P)^{-1},
              \\qquad P = \\operatorname{diag}(0, 1, \\dots, 1)

    states: (T, N); targets: (T, K) or (T,); ridge: :math:`\\lambda \\ge 0`.
    Returns W_hy (K, 1 + N) (K = 1 for 1-d targets). Solved with ``np.linalg.solve``,
    never an explicit inverse.
    """
    Z, Y = _design_and_targets(states, targets)
    if ridge < 0:
        raise ValueError(f"ridge must be >= 0, got {ridge!r}")
    penalty = np.full(Z.shape[1], float(ridge))
    penalty[0] = 0.0                          # the output bias is not shrunk
    gram = Z.T @ Z + np.diag(penalty)         # (1+N, 1+N), symmetric
    # gram is symmetric: W_hy^T = gram^-1 Z^T Y
    return np.linalg.solve(gram, Z.T @ Y).T


def ridge_readouts(states, targets, ridges) -> list[np.ndarray]:
    """:func:`ridge_readout` for several ridge values at once, from one Gram matrix.

    The Gram matrix :math:`Z^\\top Z` and :math:`Z^\\top Y` are formed once and each
    :math:`\\lambda` costs one linear solve, which is what makes a sweep over
    :math:`\\lambda` cheap. states: (T, N); targets: (T, K) or (T,); ridges: iterable of
    :math:`\\lambda \\ge 0`. Returns one W_hy (K, 1 + N) per ridge value, in order.
    """
    Z, Y = _design_and_targets(states, targets)
    ridges = [float(r) for r in ridges]
    if any(r < 0 for r in ridges):
        raise ValueError(f"every ridge must be >= 0, got {ridges!r}")
    gram, ZY = Z.T @ Z, Z.T @ Y
    index = np.arange(1, Z.shape[1])     # the output bias (index 0) is not shrunk
    readouts = []
    for ridge in ridges:
        penalised = gram.copy()
        penalised[index, index] += ridge
        readouts.append(np.linalg.solve(penalised, ZY).T)
    return readouts


def readout(W_hy, states) -> np.ndarray:
    """:math:`y = W_{hy} [1; x]`: states (..., N) -> outputs (..., K)."""
    return with_bias(states) @ np.asarray(W_hy, dtype=float).T


# --------------------------------------------------------------------------------------
# Free-running generation and the error measure
# --------------------------------------------------------------------------------------

def free_run(step: Callable, W_hy, x, n_steps: int) -> np.ndarray:
    """Let the trained network run on its own: each output becomes the next input.

    Starting from the state x(n) reached with the last true input:

    .. math::

        \\hat u(n+1) = W_{hy}[1; x(n)], \\qquad
        x(n+1) = \\text{step}(x(n), \\hat u(n+1)), \\dots

    step: a function (x, u) -> next state, e.g. ``reservoir_step`` with its weights
    fixed;
    W_hy: (D, 1 + N) (a one-step predictor, so K = D); x: (N,) or (B, N).
    Returns predictions (n_steps, D) or (n_steps, B, D): row k predicts u(n + 1 + k).
    """
    outputs = []
    for _ in range(n_steps):
        y = readout(W_hy, x)
        outputs.append(y)
        x = step(x, y)
    return np.array(outputs)


def generate(reservoir: Reservoir, W_hy, warmup, n_steps: int, x0=None) -> np.ndarray:
    """Teacher-force the reservoir with ``warmup`` (T0, [B,] D), then :func:`free_run`.

    Returns predictions (n_steps, [B,] D) of u(T0 + 1), ..., u(T0 + n_steps).
    """
    x = run_reservoir(reservoir, warmup, x0)[-1]
    W_in, W, b, a = reservoir
    product = _fast_product(np.asarray(W, dtype=float))
    N = len(b)

    def step(x, u):
        return (1.0 - a) * x + a * np.tanh(
            u @ W_in.T + product(x.reshape(-1, N)).reshape(x.shape) + b
        )

    return free_run(step, W_hy, x, n_steps)


def nrmse(prediction, target, variance=None) -> float:
    """Normalised root-mean-square error.

    .. math::

        \\text{NRMSE} = \\sqrt{\\frac{\\langle (\\hat y - y)^2 \\rangle}{\\sigma^2}}

    :math:`\\sigma^2` is ``variance`` when given (Jaeger uses the variance of the whole
    attractor signal), else the population variance of ``target``. An NRMSE of 1 is the
    error of always predicting the mean; 0 is perfect.
    prediction, target: arrays of one shape. Returns a float.
    """
    prediction = np.asarray(prediction, dtype=float)
    target = np.asarray(target, dtype=float)
    if prediction.shape != target.shape:
        raise ValueError(
            "prediction and target must have the same shape, got "
            f"{prediction.shape} and {target.shape}"
        )
    variance = np.var(target) if variance is None else float(variance)
    return float(np.sqrt(np.mean((prediction - target) ** 2) / variance))


def horizon_nrmse(reservoir: Reservoir, W_hy, series, *, warmup: int, horizon: int,
                  n_trials: int, variance: float,
                  to_signal: Callable | None = None) -> np.ndarray:
    """Jaeger's test of a free-running predictor, for every horizon 1..``horizon`` at
    once.

    ``series`` (n_trials * (warmup + horizon),) is cut into ``n_trials`` consecutive
    segments. In each, the network is teacher-forced with the first ``warmup`` values
    from a zero state and then runs freely for ``horizon`` steps. Returns (horizon,):
    entry h - 1 is the NRMSE over the trials of the h-step prediction, normalised by
    ``variance``. Entry 83 of a run with horizon 84 is Jaeger's NRMSE84 (GMD Report 148,
    Eq. 25). ``to_signal``: a function applied to predictions and truth before the error
    is taken, for a network that runs on a transformed signal (e.g.
    :func:`rnncourse.data.mackey_glass.unsquash`); ``variance`` is then the variance of
    the signal it returns.
    """
    series = np.asarray(series, dtype=float)
    length = warmup + horizon
    if series.ndim != 1 or len(series) < n_trials * length:
        raise ValueError(
            f"series must be 1-d with at least n_trials * (warmup + horizon) = "
            f"{n_trials * length} values, got shape {series.shape}"
        )
    segments = series[: n_trials * length].reshape(n_trials, length)
    warm = segments[:, :warmup].T[:, :, None]                       # (warmup, B, 1)
    predicted = generate(reservoir, W_hy, warm, horizon)[:, :, 0]   # (horizon, B)
    truth = segments[:, warmup:].T                                   # (horizon, B)
    if to_signal is not None:
        predicted, truth = to_signal(predicted), to_signal(truth)
    return np.sqrt(np.mean((predicted - truth) ** 2, axis=1) / variance)


def stretch_nrmse(reservoir: Reservoir, readouts, series, *, washout: int, horizon: int,
                  n_starts: int, variance: float,
                  to_signal: Callable | None = None) -> np.ndarray:
    """Free-running NRMSE of several readouts of one reservoir along one stretch.

    A cheaper protocol than :func:`horizon_nrmse`, meant for validation sweeps: the
    reservoir is teacher-forced *once* along ``series`` from the zero state. After the
    first ``washout`` values, every ``horizon`` steps gives one start: from the state
    there each readout runs freely for ``horizon`` steps, and its predictions are
    compared with the next ``horizon`` values of the series. With the echo state
    property the state at a start is the same as after a fresh warm-up from zero, so the
    two protocols measure the same thing; this one runs the teacher-forced part once,
    not once per start and readout.

    readouts: a list of R readouts W_hy (D, 1 + N) with D = 1; series:
    (washout + n_starts * horizon,) or longer. ``variance`` and ``to_signal`` as in
    :func:`horizon_nrmse`. Returns (R, horizon): entry [r, h - 1] is readout r's NRMSE
    of the h-step prediction over the starts.
    """
    series = np.asarray(series, dtype=float)
    need = washout + n_starts * horizon
    if series.ndim != 1 or len(series) < need or washout < 1:
        raise ValueError(
            "series must be 1-d with at least washout + n_starts * horizon = "
            f"{need} values and washout >= 1, got shape {series.shape} and "
            f"washout={washout!r}"
        )
    W = np.stack([np.asarray(w, dtype=float) for w in readouts])      # (R, 1, 1 + N)
    if W.ndim != 3 or W.shape[1] != 1 or W.shape[2] != len(reservoir.b) + 1:
        raise ValueError(
            f"each readout must have shape (1, 1 + N) = (1, {len(reservoir.b) + 1}), "
            f"got {W.shape[1:]}"
        )
    states = run_reservoir(reservoir, series[:need, None])
    starts = washout - 1 + horizon * np.arange(n_starts)
    # the values each start must predict, (horizon, S)
    truth = series[starts[None, :] + 1 + np.arange(horizon)[:, None]]
    R, S, N = len(W), n_starts, states.shape[1]
    x = np.broadcast_to(states[starts], (R, S, N)).reshape(R * S, N).copy()
    W_in, _, b, a = reservoir
    product = _fast_product(np.asarray(reservoir.W, dtype=float))
    predicted = np.empty((horizon, R, S))
    for k in range(horizon):
        y = np.einsum("rsn,rn->rs", x.reshape(R, S, N), W[:, 0, 1:]) + W[:, 0, :1]
        predicted[k] = y
        x = (1.0 - a) * x + a * np.tanh(y.reshape(-1, 1) @ W_in.T + product(x) + b)
    truth = np.broadcast_to(truth[:, None, :], predicted.shape)
    if to_signal is not None:
        predicted, truth = to_signal(predicted), to_signal(truth)
    return np.sqrt(np.mean((predicted - truth) ** 2, axis=2) / variance).T
