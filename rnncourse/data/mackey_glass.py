"""The Mackey–Glass delay differential equation: a chaotic benchmark series.

Mackey and Glass (1977) modelled the concentration of blood cells whose production
responds, after a maturation delay :math:`\\tau`, to the concentration itself:

.. math::

    \\frac{dx}{dt} = \\beta \\, \\frac{x(t - \\tau)}{1 + x(t - \\tau)^{n}} - \\gamma \\,
    x(t), \\qquad \\beta = 0.2, \\; \\gamma = 0.1, \\; n = 10 .

With these parameters the only positive fixed point is
:math:`x^* = (\\beta/\\gamma - 1)^{1/n} = 1`. It is stable for short delays, gives way
to a limit cycle (near :math:`\\tau \\approx 4.5`), to period doublings, and to chaos
for :math:`\\tau \\gtrsim 16.8`. :math:`\\tau = 17` is the "mild" chaotic attractor used
as a prediction benchmark since the late 1980s; its dominant quasi-period is about 50
time units.

How the series is made (Jaeger's setup)
---------------------------------------
We follow the recipe of Jaeger's GMD Report 148 (2001, Sec. 6.1), which the echo state
network papers use:

* **Integration:** the explicit Euler method with step :math:`\\delta = 0.1`,

  .. math::

      x_{k+1} = x_k + \\delta \\left( \\beta \\frac{x_{k-d}}{1 + x_{k-d}^{n}}
                - \\gamma x_k \\right),
      \\qquad d = \\tau / \\delta = 170 \\text{ steps};

* **Subsampling:** every 10th Euler point is kept, so one sample of the series is one
  unit of time of the continuous system;
* **Initial history:** the equation needs :math:`x(t)` on the whole interval
  :math:`[-\\tau, 0]`. Jaeger does not state his; we use the constant history
  :math:`x(t) = 1.2` (any positive history off the fixed point leads to the same
  attractor), or an array of :math:`d + 1` values that the caller chooses;
* **Transient:** the first ``discard`` samples (default 1000 time units), during which
  the trajectory settles onto the attractor, are dropped.

Euler with :math:`\\delta = 0.1` is only first-order accurate, so the series follows the
exact solution of the delay equation for a few hundred time units and then drifts away
from it, as any numerical solution of a chaotic system does; it is a faithful sample of
the attractor all the same, and it is exactly the series the benchmark is defined with.
Jaeger's networks read the series shifted and squashed, :math:`u = \\tanh(x - 1)`
(:func:`squash`), a signal in (-1, 1); :func:`unsquash` maps a network's predictions
back to :math:`x`.

The generator is deterministic: no random numbers are drawn.
"""

from __future__ import annotations

import numpy as np

# The benchmark's parameters (Mackey & Glass 1977 in the form used by Jaeger 2001 and
# 2004).
BETA = 0.2
GAMMA = 0.1
EXPONENT = 10
TAU = 17.0
EULER_STEP = 0.1        # Jaeger (2001), Eq. 23: stepsize 1/10 ...
SUBSAMPLE = 10          # ... then keep every 10th point: one sample per unit of time
# constant x(t) on [-tau, 0]; our choice (Jaeger does not state his)
INITIAL_HISTORY = 1.2
DISCARD = 1000          # samples (time units) dropped as the transient


def mackey_glass_rate(x, x_delayed, beta=BETA, gamma=GAMMA, n=EXPONENT):
    """Right-hand side of the delay equation,
    :math:`\\beta x_\\tau / (1 + x_\\tau^n) - \\gamma x`.

    x, x_delayed: arrays of one shape (the state now and :math:`\\tau` earlier).
    Returns dx/dt with that shape.
    """
    x_delayed = np.asarray(x_delayed, dtype=float)
    return beta * x_delayed / (1.0 + x_delayed**n) - gamma * np.asarray(x, dtype=float)


def _delay_steps(tau: float, dt: float) -> int:
    steps = tau / dt
    if tau <= 0 or dt <= 0 or abs(steps - round(steps)) > 1e-9 * max(1.0, steps):
        raise ValueError(
            "tau / dt must be a positive whole number of Euler steps, got "
            f"tau={tau!r}, dt={dt!r} "
            f"(tau / dt = {steps:g})"
        )
    return int(round(steps))


def mackey_glass(
    n_samples: int,
    *,
    tau: float = TAU,
    beta: float = BETA,
    gamma: float = GAMMA,
    n: float = EXPONENT,
    dt: float = EULER_STEP,
    subsample: int = SUBSAMPLE,
    history=INITIAL_HISTORY,
    discard: int = DISCARD,
) -> np.ndarray:
    """A Mackey–Glass series, integrated with Euler's method and subsampled
    (Jaeger's recipe).

    .. math::

        x_{k+1} = x_k + \\delta \\big( \\beta x_{k-d} / (1 + x_{k-d}^{n})
                  - \\gamma x_k \\big), \\quad d = \\tau/\\delta

    Parameters
    ----------
    n_samples : number of samples returned (after the transient).
    tau, beta, gamma, n : the equation's delay and parameters (defaults: 17, 0.2, 0.1,
    10).
    dt : Euler step :math:`\\delta` (default 0.1); ``tau / dt`` must be a whole number.
    subsample : keep every ``subsample``-th Euler point (default 10, one sample per time
    unit).
    history : float, or array (d + 1,)
        :math:`x(t)` on :math:`[-\\tau, 0]` at the Euler grid points, oldest first; a
        float means a constant history (default 1.2).
    discard : number of samples dropped at the start as the transient (default 1000).

    Returns
    -------
    x : (n_samples,) float array, :math:`x(t_0), x(t_0 + \\Delta), \\dots` with
        :math:`\\Delta = \\text{subsample} \\cdot \\delta` and
        :math:`t_0 = \\text{discard} \\cdot \\Delta`.
    """
    for name, value in (("n_samples", n_samples), ("subsample", subsample)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not isinstance(discard, (int, np.integer)) or discard < 0:
        raise ValueError(f"discard must be a non-negative integer, got {discard!r}")
    delay = _delay_steps(tau, dt)
    if np.ndim(history) == 0:
        past = np.full(delay + 1, float(history))
    else:
        past = np.asarray(history, dtype=float)
        if past.shape != (delay + 1,):
            raise ValueError(
                "history must be a float or an array of shape (tau/dt + 1,) "
                f"= ({delay + 1},) "
                f"for tau={tau:g} and dt={dt:g}, got shape {past.shape}"
            )

    n_steps = (n_samples + discard - 1) * subsample
    x = np.empty(delay + 1 + n_steps)
    x[: delay + 1] = past                 # x[delay] is x(0); x[0] is x(-tau)
    # A plain Python loop over floats: each step needs the one before it.
    values = x.tolist()
    for k in range(delay, delay + n_steps):
        lagged = values[k - delay]
        values[k + 1] = values[k] + dt * (
            beta * lagged / (1.0 + lagged**n) - gamma * values[k]
        )
    x = np.array(values[delay:])          # x(0), x(dt), ...
    return x[::subsample][discard: discard + n_samples].copy()


def squash(x):
    """:math:`u = \\tanh(x - 1)`: the series as Jaeger's networks read it.

    x: array (any shape) of Mackey–Glass values. Returns u with that shape, in (-1, 1).
    """
    return np.tanh(np.asarray(x, dtype=float) - 1.0)


def unsquash(u, limit=1.0 - 1e-12):
    """The inverse of :func:`squash`, :math:`x = \\operatorname{artanh}(u) + 1`.

    u: array (any shape). A free-running network can leave (-1, 1), where artanh is not
    defined; such values are first clipped to [-limit, limit], which turns them into
    very large but finite errors. Returns x with the shape of u.
    """
    return np.arctanh(np.clip(np.asarray(u, dtype=float), -limit, limit)) + 1.0
