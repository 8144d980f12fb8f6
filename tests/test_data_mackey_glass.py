"""Tests for rnncourse.data.mackey_glass: the generator against an independent
integration of
the delay equation (SciPy, method of steps) and against known properties of the
attractor."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from rnncourse.data.mackey_glass import mackey_glass, mackey_glass_rate


def reference_solution(t_end, tau=17.0, history=1.2):
    """x(t) on [0, t_end] by the method of steps: on [k tau, (k+1) tau] the delayed term
    is the
    (dense) solution of the previous interval, so each piece is an ordinary ODE for
    solve_ivp."""
    pieces = []

    def delayed(t):
        if t <= 0:
            return history
        k = min(int(t // tau), len(pieces) - 1)
        return float(pieces[k](t)[0])

    start, x0 = 0.0, history
    while start < t_end:
        stop = start + tau
        sol = solve_ivp(
            lambda t, x: mackey_glass_rate(x, delayed(t - tau)),
            (start, stop),
            [x0],
            method="DOP853",
            dense_output=True,
            rtol=1e-11,
            atol=1e-12,
            max_step=0.05,
        )
        pieces.append(sol.sol)
        start, x0 = stop, sol.y[0, -1]
    return lambda t: np.array(
        [delayed(s) if s > 0 else history for s in np.atleast_1d(t)]
    )


@pytest.fixture(scope="module")
def exact():
    return reference_solution(3 * 17.0)


def test_euler_series_follows_an_accurate_integration_of_the_delay_equation(exact):
    t = np.arange(52.0)                            # three delays: t = 0, 1, ..., 51
    # Jaeger's recipe: dt = 0.1, every 10th point
    series = mackey_glass(52, discard=0)
    error = np.abs(series - exact(t)).max()
    assert error < 0.02, (
        f"Euler (dt = 0.1) is {error:.3g} away from the accurate solution"
    )
    assert series[0] == 1.2 and exact(np.array([0.0]))[0] == 1.2


def test_euler_error_shrinks_tenfold_with_a_tenfold_smaller_step(exact):
    """First-order convergence: the error is proportional to the step."""
    t = np.arange(52.0)
    coarse = np.abs(mackey_glass(52, discard=0, dt=0.1, subsample=10) - exact(t)).max()
    fine = np.abs(mackey_glass(52, discard=0, dt=0.01, subsample=100) - exact(t)).max()
    assert 6 < coarse / fine < 14, f"error ratio {coarse / fine:.2f}, expected about 10"


def test_generator_is_deterministic_and_discard_drops_the_first_samples():
    a = mackey_glass(300, discard=50)
    np.testing.assert_array_equal(a, mackey_glass(300, discard=50))
    np.testing.assert_array_equal(a, mackey_glass(350, discard=0)[50:])


def test_subsampling_keeps_every_tenth_euler_point():
    every_point = mackey_glass(1000, discard=0, subsample=1)
    np.testing.assert_array_equal(mackey_glass(100, discard=0), every_point[::10])


def test_tau17_attractor_has_the_known_range_variance_and_quasi_period():
    x = mackey_glass(20000)
    assert 0.35 < x.min() < 0.5 and 1.25 < x.max() < 1.4
    assert 0.04 < x.var() < 0.06
    spectrum = np.abs(np.fft.rfft(x - x.mean()))
    frequencies = np.fft.rfftfreq(len(x))
    period = 1 / frequencies[1:][np.argmax(spectrum[1:])]
    assert 45 < period < 55, (
        f"dominant period {period:.1f} time units, expected about 50"
    )


def test_short_delay_settles_on_the_fixed_point_one():
    """x* = (beta/gamma - 1)^(1/n) = 1 is stable for short delays."""
    x = mackey_glass(500, tau=2.0)
    np.testing.assert_allclose(x[-100:], 1.0, atol=1e-6)


def test_medium_delay_gives_a_periodic_orbit():
    """tau = 6: past the Hopf bifurcation (near 4.5) but before chaos, a limit cycle."""
    # one point every 0.1
    x = mackey_glass(30000, tau=6.0, subsample=1, discard=0)[-5000:]
    # not at the fixed point
    assert x.max() - x.min() > 0.1
    centred = x - x.mean()
    lags = np.arange(50, 400)
    lag = lags[np.argmax([centred[:-k] @ centred[k:] / (len(x) - k) for k in lags])]
    assert 15 < lag * 0.1 < 25, f"period {lag * 0.1:.1f} time units"
    # repeats after one period
    np.testing.assert_allclose(x[:-lag], x[lag:], atol=2e-3)


def test_tau17_is_sensitive_to_initial_conditions_but_tau2_is_not():
    def gap(tau):
        a = mackey_glass(4000, tau=tau, history=1.2, discard=0)
        b = mackey_glass(4000, tau=tau, history=1.2 + 1e-9, discard=0)
        return np.abs(a - b)[-500:].max()
    # a 1e-9 difference grows ten million times
    assert gap(17.0) > 1e-2
    assert gap(2.0) < 1e-12


def test_history_array_sets_the_initial_interval():
    d = 170
    ramp = np.linspace(0.5, 1.2, d + 1)
    x = mackey_glass(5, discard=0, history=ramp, subsample=1)
    assert x[0] == 1.2
    expected = 1.2 + 0.1 * (0.2 * 0.5 / (1 + 0.5**10) - 0.1 * 1.2)
    assert x[1] == pytest.approx(expected)


@pytest.mark.parametrize("kwargs, message", [
    (dict(tau=17.05), "whole number of Euler steps"),
    (dict(history=np.ones(10)),
     r"history must be a float or an array of shape \(tau/dt \+ 1,\) = \(171,\)"),
    (dict(subsample=0), "subsample must be a positive integer"),
    (dict(discard=-1), "discard must be a non-negative integer"),
])
def test_bad_arguments_raise_errors_that_say_what_was_expected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mackey_glass(10, **kwargs)


def test_unsquash_inverts_squash_and_stays_finite_outside_the_range():
    from rnncourse.data.mackey_glass import squash, unsquash

    x = mackey_glass(500)
    u = squash(x)
    assert np.abs(u).max() < 1
    np.testing.assert_allclose(np.tanh(x - 1.0), u)
    np.testing.assert_allclose(unsquash(u), x, rtol=1e-12)
    # a free-running prediction outside (-1, 1): a large but finite value
    outside = unsquash(np.array([1.2, -3.0]))
    assert np.isfinite(outside).all() and outside[0] > 10 and outside[1] < -10
