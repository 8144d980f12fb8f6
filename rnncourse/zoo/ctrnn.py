"""Continuous-time recurrent networks (CTRNNs), integrated with Euler's method.

A CTRNN's state follows an ordinary differential equation instead of a discrete
update. In the form that Beer (1995) analyses, neuron i has a state y_i, a time constant
τ_i, a bias θ_i and an external input I_i, and it reads every neuron's firing rate
σ(y_j + θ_j) through the weight W[i, j] (row i receives, column j sends, as in every
weight matrix of the book)::

    τ_i dy_i/dt = −y_i + Σ_j W[i, j] σ(y_j + θ_j) + I_i,      σ(a) = 1 / (1 + e^{−a})

Funahashi & Nakamura (1993) proved that the output units of such a network can follow
any finite-time trajectory of a smooth dynamical system to any accuracy, given enough
hidden neurons. A computer integrates the equation in small steps Δt; the simplest
scheme, Euler's, replaces dy/dt by (y(t + Δt) − y(t)) / Δt::

    y_{k+1} = y_k + (Δt / τ) ⊙ (−y_k + W σ(y_k + θ) + I)

With Δt = τ this is a discrete recurrent network, y_{k+1} = W σ(y_k + θ) + I; with
Δt < τ it is a *leaky* one, whose leak rate Δt/τ is the leaky integrator of chapter 6.

States are arrays whose last axis has N entries (N neurons), so one call integrates a
whole batch of starting points, (B, N), at once. ``W`` is (N, N); ``theta``, ``tau``
and ``inputs`` are (N,) or broadcast against the states.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "sigmoid", "check_ctrnn", "ctrnn_derivative", "euler_step", "simulate",
    "beer_oscillator", "centre_crossing_biases", "limit_cycle",
    "oscillation_amplitude", "orbit_distance",
]


def sigmoid(a):
    """σ(a) = 1 / (1 + e^{−a}), computed without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(a, dtype=float)))


def check_ctrnn(W, theta, tau, inputs=0.0):
    """The parameters as float arrays; a ValueError that names the wrong one.

    W: (N, N), or (M, N, N) for M networks integrated side by side; theta, tau (> 0)
    and inputs: (N,), or any shape that broadcasts against the states with N entries
    on the last axis (e.g. (M, 1, N) for M networks); inputs may be a number.
    Returns (W, theta, tau, inputs) as float arrays.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim < 2 or W.shape[-1] != W.shape[-2]:
        raise ValueError(
            f"W must be a square (N, N) matrix or a stack (M, N, N) of them, got "
            f"shape {W.shape}"
        )
    N = W.shape[-1]
    theta = np.asarray(theta, dtype=float)
    tau = np.asarray(tau, dtype=float)
    inputs = np.asarray(inputs, dtype=float)
    for name, value in (("theta", theta), ("tau", tau), ("inputs", inputs)):
        if value.ndim and value.shape[-1] != N:
            raise ValueError(
                f"{name} must have N = {N} entries on its last axis (N neurons, "
                f"from W), e.g. shape ({N},), got {value.shape}"
            )
    if theta.ndim == 0 or tau.ndim == 0:
        raise ValueError(
            f"theta and tau must have shape ({N},) (one per neuron), got "
            f"{theta.shape} and {tau.shape}"
        )
    if not np.all(tau > 0):
        raise ValueError(f"every time constant tau must be positive, got {tau}")
    return W, theta, tau, inputs


def _check_states(name, y, W):
    y = np.asarray(y, dtype=float)
    N = W.shape[-1]
    if y.ndim < 1 or y.shape[-1] != N:
        raise ValueError(
            f"{name} must have N = {N} entries on its last axis (from W), got shape "
            f"{y.shape}"
        )
    return y


def ctrnn_derivative(y, W, theta, tau, inputs=0.0):
    """dy/dt = (−y + W σ(y + θ) + I) / τ for states y (..., N).

    With a stack of networks W (M, N, N), y is (M, B, N): B states per network.
    """
    W, theta, tau, inputs = check_ctrnn(W, theta, tau, inputs)
    y = _check_states("y", y, W)
    # σ(y + θ) as rows: (..., N) @ Wᵀ puts Σ_j W[i, j] σ_j in entry i
    return (-y + np.matmul(sigmoid(y + theta), np.swapaxes(W, -1, -2)) + inputs) / tau


def euler_step(y, W, theta, tau, dt, inputs=0.0):
    """One Euler step of length ``dt``: y + Δt · dy/dt. y: (..., N) -> (..., N)."""
    if not dt > 0:
        raise ValueError(f"dt must be a positive step length, got {dt!r}")
    return y + dt * ctrnn_derivative(y, W, theta, tau, inputs)


def simulate(y0, W, theta, tau, dt, n_steps, inputs=0.0):
    """Integrate from y0 (..., N) for ``n_steps`` Euler steps of length ``dt``.

    Returns the trajectory (n_steps + 1, ..., N), starting with y0: entry k is the
    state at time k·Δt.
    """
    W, theta, tau, inputs = check_ctrnn(W, theta, tau, inputs)
    if int(n_steps) != n_steps or n_steps < 0:
        raise ValueError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    y = np.array(_check_states("y0", y0, W))
    path = np.empty((int(n_steps) + 1, *y.shape))
    path[0] = y
    for k in range(int(n_steps)):
        y = euler_step(y, W, theta, tau, dt, inputs)
        path[k + 1] = y
    return path


# Two neurons that excite themselves, coupled with opposite signs: neuron 1 excites
# neuron 2 (W[1, 0] = +1) and neuron 2 inhibits neuron 1 (W[0, 1] = -1). This is the
# kind of small circuit whose bifurcations Beer (1995) maps.
CROSS_WEIGHTS = ((0.0, -1.0), (1.0, 0.0))


def centre_crossing_biases(W):
    """θ_i = −½ Σ_j W[i, j]: the biases that put y* = −θ at a fixed point where every
    neuron sits at the steepest point of its sigmoid (σ(0) = ½, σ'(0) = ¼)."""
    W = np.asarray(W, dtype=float)
    return -0.5 * W.sum(axis=1)


def beer_oscillator(self_weight=4.5):
    """(W, θ, τ) of the two-neuron circuit with both self-weights ``self_weight``.

    The biases are the centre-crossing ones, so y* = −θ is always a fixed point. Its
    linearisation has the Jacobian (−I + W/4)/τ with eigenvalues −1 + w/4 ± i/4
    (τ = 1): it loses stability at w = 4, where a limit cycle is born (a Hopf
    bifurcation).
    """
    W = np.array(CROSS_WEIGHTS) + self_weight * np.eye(2)
    return W, centre_crossing_biases(W), np.ones(2)


def limit_cycle(path, dt, unit=0, min_amplitude=1e-3):
    """Period and one closed orbit of a trajectory that has settled on a cycle.

    path: (T, N) states of one trajectory (after its transient). The period is the
    mean time between upward crossings of the mean of ``unit``; the orbit is the last
    full period of the path, (P, N). Returns (period, orbit); (nan, path[-1:]) when
    the unit's peak-to-peak range is below ``min_amplitude`` (a fixed point, or a
    transient that is still dying out) or it crosses its mean fewer than three times.
    """
    path = np.asarray(path, dtype=float)
    if path.ndim != 2:
        raise ValueError(f"path must have shape (T, N), got {path.shape}")
    x = path[:, unit] - path[:, unit].mean()
    up = np.flatnonzero((x[:-1] < 0) & (x[1:] >= 0))
    if np.ptp(x) < min_amplitude or len(up) < 3:
        return float("nan"), path[-1:]
    period = float(np.mean(np.diff(up))) * dt
    return period, path[up[-2]:up[-1] + 1]


def oscillation_amplitude(path):
    """Peak-to-peak range of every neuron over a trajectory: (T, ..., N) -> (..., N)."""
    path = np.asarray(path, dtype=float)
    return path.max(axis=0) - path.min(axis=0)


def orbit_distance(points, orbit):
    """Distance from each point (M, N) to the nearest point of an orbit (P, N): (M,)."""
    points, orbit = np.atleast_2d(points), np.atleast_2d(orbit)
    if points.shape[-1] != orbit.shape[-1]:
        raise ValueError(
            f"points and orbit must have the same number of neurons, got "
            f"{points.shape} and {orbit.shape}"
        )
    return np.sqrt(((points[:, None, :] - orbit[None]) ** 2).sum(-1)).min(axis=1)
