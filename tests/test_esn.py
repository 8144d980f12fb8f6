"""Tests for rnncourse.np.esn: construction, the leaky update, the echo state property,
the
closed-form ridge readout (against numpy.linalg.lstsq), free-running generation and
NRMSE."""

import numpy as np
import pytest

from rnncourse.np import esn


def small_reservoir(seed=0, n_units=40, n_inputs=2, **kwargs):
    options = dict(
        spectral_radius=0.9,
        input_scaling=0.5,
        bias_scaling=0.2,
        leak_rate=0.6,
        density=0.3,
    )
    options.update(kwargs)
    return esn.random_reservoir(
        n_units, n_inputs, np.random.default_rng(seed), **options
    )


# --- construction ---

@pytest.mark.parametrize("radius", [0.5, 0.9, 1.3])
def test_random_reservoir_has_the_requested_spectral_radius(radius):
    r = small_reservoir(spectral_radius=radius, n_units=120, density=0.1)
    assert esn.spectral_radius(r.W) == pytest.approx(radius, rel=1e-9)
    assert np.abs(np.linalg.eigvals(r.W)).max() == pytest.approx(radius, rel=1e-9)


def test_sparse_and_dense_spectral_radius_agree_on_a_large_sparse_matrix():
    rng = np.random.default_rng(1)
    W = rng.uniform(-1, 1, (300, 300)) * (rng.random((300, 300)) < 0.02)
    assert esn.spectral_radius(W) == pytest.approx(
        np.abs(np.linalg.eigvals(W)).max(), rel=1e-8
    )


def test_random_reservoir_shapes_density_and_scalings():
    r = esn.random_reservoir(
        500,
        3,
        np.random.default_rng(2),
        input_scaling=0.25,
        bias_scaling=0.1,
        density=0.05,
    )
    assert r.W.shape == (500, 500) and r.W_in.shape == (500, 3) and r.b.shape == (500,)
    assert 0.04 < np.count_nonzero(r.W) / r.W.size < 0.06
    assert np.abs(r.W_in).max() <= 0.25 and np.abs(r.b).max() <= 0.1
    assert np.abs(r.W_in).max() > 0.2


def test_rescaled_multiplies_W_to_the_new_radius():
    r = small_reservoir(spectral_radius=0.8)
    assert esn.spectral_radius(esn.rescaled(r, 1.2).W) == pytest.approx(1.2)
    np.testing.assert_array_equal(esn.rescaled(r, 1.2).W_in, r.W_in)


# --- the update ---

def test_reservoir_step_matches_the_leaky_equation_written_out():
    r = small_reservoir()
    rng = np.random.default_rng(3)
    x, u = rng.uniform(-1, 1, 40), rng.normal(size=2)
    expected = np.empty(40)
    for i in range(40):
        activation = (
            sum(r.W_in[i, d] * u[d] for d in range(2))
            + sum(r.W[i, j] * x[j] for j in range(40))
            + r.b[i]
        )
        expected[i] = (1 - r.leak_rate) * x[i] + r.leak_rate * np.tanh(activation)
    np.testing.assert_allclose(
        esn.reservoir_step(x, u, *r), expected, rtol=1e-12, atol=1e-14
    )


def test_leak_rate_one_is_the_plain_tanh_update_and_small_leak_moves_slowly():
    r = small_reservoir(leak_rate=1.0)
    x, u = np.full(40, 0.3), np.ones(2)
    np.testing.assert_allclose(
        esn.reservoir_step(x, u, *r), np.tanh(r.W_in @ u + r.W @ x + r.b)
    )
    slow = esn.reservoir_step(x, u, r.W_in, r.W, r.b, 0.01)
    assert np.abs(slow - x).max() < 0.02


def test_run_reservoir_equals_repeated_steps_for_one_sequence_and_a_batch():
    r = small_reservoir()
    rng = np.random.default_rng(4)
    inputs = rng.normal(size=(25, 3, 2))
    x0 = rng.uniform(-1, 1, (3, 40))
    states = esn.run_reservoir(r, inputs, x0)
    x = x0
    for n in range(25):
        x = esn.reservoir_step(x, inputs[n], *r)
        np.testing.assert_allclose(states[n], x, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(
        esn.run_reservoir(r, inputs[:, 1], x0[1]), states[:, 1], rtol=1e-12, atol=1e-14
    )


def test_sparse_fast_path_gives_the_dense_result():
    r = esn.random_reservoir(
        400, 1, np.random.default_rng(5), density=0.01, bias_scaling=0.3
    )
    inputs = np.sin(np.arange(60) / 5.0)[:, None]
    x = np.zeros(400)
    for u in inputs:
        x = esn.reservoir_step(x, u, *r)
    np.testing.assert_allclose(
        esn.run_reservoir(r, inputs)[-1], x, rtol=1e-12, atol=1e-14
    )


def test_harvest_states_drops_the_washout():
    r = small_reservoir()
    inputs = np.random.default_rng(6).normal(size=(30, 2))
    np.testing.assert_array_equal(
        esn.harvest_states(r, inputs, 10), esn.run_reservoir(r, inputs)[10:]
    )


# --- echo state property ---

@pytest.mark.parametrize("radius", [0.3, 0.7, 0.95])
def test_two_initial_states_converge_under_the_same_input_when_rho_below_one(radius):
    r = small_reservoir(
        n_units=100, n_inputs=1, spectral_radius=radius, density=0.1, leak_rate=1.0
    )
    rng = np.random.default_rng(7)
    inputs = np.repeat(rng.uniform(-1, 1, (400, 1, 1)), 2, axis=1)
    start = rng.uniform(-1, 1, (2, 100))
    states = esn.run_reservoir(r, inputs, start)
    distance = np.linalg.norm(states[:, 0] - states[:, 1], axis=1)
    assert distance[-1] < 1e-8 * distance[0]


def test_contraction_bound_when_the_largest_singular_value_is_below_one():
    """tanh is 1-Lipschitz: |x - x'| shrinks at least by sigma_max(W) at every step
    (Jaeger 2001, Prop. 3a)."""
    r = small_reservoir(n_units=60, n_inputs=1, leak_rate=1.0)
    W = r.W * (0.8 / np.linalg.norm(r.W, 2))
    rng = np.random.default_rng(8)
    x, y = rng.uniform(-1, 1, 60), rng.uniform(-1, 1, 60)
    for u in rng.normal(size=(50, 1)):
        x_next, y_next = (esn.reservoir_step(s, u, r.W_in, W, r.b, 1.0) for s in (x, y))
        assert np.linalg.norm(x_next - y_next) <= 0.8 * np.linalg.norm(x - y) + 1e-15
        x, y = x_next, y_next


def test_without_input_a_large_radius_keeps_its_own_activity():
    """rho > 1 and zero input: the zero state is unstable, so the echo state property
    fails."""
    r = small_reservoir(
        n_units=100,
        n_inputs=1,
        spectral_radius=1.5,
        density=0.1,
        leak_rate=1.0,
        bias_scaling=0.0,
    )
    rng = np.random.default_rng(9)
    states = esn.run_reservoir(r, np.zeros((300, 2, 1)), rng.uniform(-1, 1, (2, 100)))
    assert np.linalg.norm(states[-1, 0] - states[-1, 1]) > 0.1


# --- ridge readout ---

@pytest.mark.parametrize("ridge", [0.0, 1e-3, 0.5, 10.0])
def test_ridge_readout_equals_lstsq_on_the_augmented_problem(ridge):
    """Ridge = least squares on [Z; sqrt(lambda) P] against [Y; 0], P = diag(0, 1, ...,
    1)."""
    rng = np.random.default_rng(10)
    X, Y = rng.normal(size=(80, 12)), rng.normal(size=(80, 3)) + 2.0
    Z = np.hstack([np.ones((80, 1)), X])
    P = np.diag([0.0] + [1.0] * 12)
    augmented = np.vstack([Z, np.sqrt(ridge) * P])
    expected, *_ = np.linalg.lstsq(
        augmented, np.vstack([Y, np.zeros((13, 3))]), rcond=None
    )
    np.testing.assert_allclose(
        esn.ridge_readout(X, Y, ridge), expected.T, rtol=1e-9, atol=1e-11
    )


def test_ridge_readout_gradient_vanishes_at_the_solution():
    rng = np.random.default_rng(11)
    X, y = rng.normal(size=(50, 8)), rng.normal(size=50)
    W_hy = esn.ridge_readout(X, y, 0.7)
    assert W_hy.shape == (1, 9)
    Z = np.hstack([np.ones((50, 1)), X])
    penalty = 0.7 * np.r_[0.0, np.ones(8)] * W_hy[0]
    np.testing.assert_allclose(Z.T @ (Z @ W_hy[0] - y) + penalty, 0.0, atol=1e-10)


def test_ridge_readout_does_not_shrink_the_bias():
    """With a huge ridge every weight goes to 0 but the bias still fits the targets'
    mean."""
    rng = np.random.default_rng(12)
    X, y = rng.normal(size=(200, 5)), 3.0 + rng.normal(size=200)
    W_hy = esn.ridge_readout(X, y, 1e12)
    assert W_hy[0, 0] == pytest.approx(y.mean(), rel=1e-6)
    assert np.abs(W_hy[0, 1:]).max() < 1e-8


def test_readout_reproduces_a_linear_target_exactly():
    rng = np.random.default_rng(13)
    X = rng.normal(size=(40, 6))
    true = rng.normal(size=(2, 7))
    Y = esn.readout(true, X)
    np.testing.assert_allclose(esn.ridge_readout(X, Y, 0.0), true, rtol=1e-10)


# --- generation and error
# ---------------------------------------------------------------

def test_free_run_feeds_each_prediction_back_as_the_next_input():
    r = small_reservoir(n_inputs=1)
    W_hy = np.random.default_rng(14).normal(scale=0.1, size=(1, 41))
    x = np.random.default_rng(15).uniform(-1, 1, 40)
    predictions = esn.free_run(lambda s, u: esn.reservoir_step(s, u, *r), W_hy, x, 5)
    assert predictions.shape == (5, 1)
    for k in range(5):
        y = W_hy @ np.r_[1.0, x]
        np.testing.assert_allclose(predictions[k], y, rtol=1e-12)
        x = esn.reservoir_step(x, y, *r)


def test_generate_continues_a_sine_wave_it_was_trained_on():
    """The smallest end-to-end check: learn one-step prediction of a sine, then run
    free."""
    r = esn.random_reservoir(
        100,
        1,
        np.random.default_rng(16),
        spectral_radius=0.9,
        input_scaling=0.5,
        density=0.1,
    )
    wave = np.sin(np.arange(700) * 2 * np.pi / 25)
    X = esn.harvest_states(r, wave[:500, None], washout=100)
    W_hy = esn.ridge_readout(X, wave[101:501], 1e-8)
    predictions = esn.generate(r, W_hy, wave[:500, None], 100)
    assert esn.nrmse(predictions[:, 0], wave[500:600]) < 1e-2


def test_generate_batch_equals_one_sequence_at_a_time():
    r = small_reservoir(n_inputs=1)
    W_hy = np.random.default_rng(17).normal(scale=0.1, size=(1, 41))
    warm = np.random.default_rng(18).normal(size=(20, 3, 1))
    batch = esn.generate(r, W_hy, warm, 7)
    for i in range(3):
        np.testing.assert_allclose(
            batch[:, i], esn.generate(r, W_hy, warm[:, i], 7), rtol=1e-12
        )


def test_nrmse_definition():
    target = np.array([1.0, 2.0, 3.0, 4.0])             # population variance 1.25
    prediction = target + np.array([0.5, -0.5, 0.5, -0.5])
    assert esn.nrmse(prediction, target) == pytest.approx(np.sqrt(0.25 / 1.25))
    assert esn.nrmse(prediction, target, variance=0.0625) == pytest.approx(2.0)
    assert esn.nrmse(target, target) == 0.0
    # the mean predictor
    assert esn.nrmse(np.full(4, target.mean()), target) == pytest.approx(1.0)


def test_horizon_nrmse_of_a_perfect_model_is_zero_and_matches_nrmse_by_hand():
    r = small_reservoir(n_inputs=1)
    W_hy = np.random.default_rng(19).normal(scale=0.1, size=(1, 41))
    series = np.random.default_rng(20).normal(size=4 * 13)
    errors = esn.horizon_nrmse(
        r, W_hy, series, warmup=10, horizon=3, n_trials=4, variance=0.5
    )
    segments = series.reshape(4, 13)
    predicted = np.array(
        [esn.generate(r, W_hy, s[:10, None], 3)[:, 0] for s in segments]
    )
    for h in range(3):
        assert errors[h] == pytest.approx(
            esn.nrmse(predicted[:, h], segments[:, 10 + h], variance=0.5)
        )


# --- errors that teach ---

def test_bad_shapes_and_leak_rates_raise_errors_naming_the_argument():
    r = small_reservoir()
    with pytest.raises(ValueError, match=r"W_in must have shape \(N, D\) = \(40, D\)"):
        esn.reservoir_step(np.zeros(40), np.zeros(2), r.W_in.T, r.W, r.b, 0.5)
    with pytest.raises(ValueError, match="leak_rate must lie in"):
        esn.reservoir_step(np.zeros(40), np.zeros(2), r.W_in, r.W, r.b, 1.5)
    with pytest.raises(ValueError, match=r"u must have shape"):
        esn.reservoir_step(np.zeros(40), np.zeros(3), *r)
    with pytest.raises(ValueError, match="same T"):
        esn.ridge_readout(np.zeros((10, 4)), np.zeros(9), 1.0)
    with pytest.raises(ValueError, match="washout"):
        esn.harvest_states(r, np.zeros((5, 2)), 5)
    with pytest.raises(ValueError, match="same shape"):
        esn.nrmse(np.zeros(3), np.zeros(4))


# --- validation sweeps, transformed signals, sigma_max ---

def test_ridge_readouts_equal_ridge_readout_for_each_ridge():
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(60, 8)), rng.normal(size=(60, 2)) + 3.0
    ridges = [0.0, 1e-3, 0.5, 20.0]
    for ridge, W in zip(ridges, esn.ridge_readouts(X, Y, ridges)):
        np.testing.assert_allclose(W, esn.ridge_readout(X, Y, ridge), rtol=1e-10,
                                   atol=1e-12)
    with pytest.raises(ValueError, match="ridge"):
        esn.ridge_readouts(X, Y, [1.0, -1.0])


def test_stretch_nrmse_equals_generate_from_the_teacher_forced_prefix():
    r = small_reservoir(n_inputs=1, spectral_radius=0.8)
    series = np.sin(np.arange(400) * 0.21) * 0.6
    readouts = [
        esn.ridge_readout(esn.harvest_states(r, series[:200, None], 50),
                          series[51:201], ridge)
        for ridge in (1e-8, 1e-2)
    ]
    washout, horizon, n_starts = 100, 12, 5
    got = esn.stretch_nrmse(r, readouts, series, washout=washout, horizon=horizon,
                            n_starts=n_starts, variance=0.3)
    assert got.shape == (2, horizon)
    for k, W in enumerate(readouts):
        squared = []
        for s in range(n_starts):
            last = washout - 1 + s * horizon        # the last teacher-forced input
            predicted = esn.generate(r, W, series[: last + 1, None], horizon)[:, 0]
            squared.append((predicted - series[last + 1: last + 1 + horizon]) ** 2)
        expected = np.sqrt(np.mean(squared, axis=0) / 0.3)
        np.testing.assert_allclose(got[k], expected, rtol=1e-9, atol=1e-13)


def test_stretch_nrmse_rejects_a_stretch_that_is_too_short():
    r = small_reservoir(n_inputs=1)
    W = np.zeros((1, 41))
    with pytest.raises(ValueError, match="washout \\+ n_starts \\* horizon = 70"):
        esn.stretch_nrmse(r, [W], np.zeros(60), washout=10, horizon=12, n_starts=5,
                          variance=1.0)
    with pytest.raises(ValueError, match=r"\(1, 41\)"):
        esn.stretch_nrmse(r, [np.zeros((1, 5))], np.zeros(80), washout=10, horizon=12,
                          n_starts=5, variance=1.0)


def test_horizon_nrmse_measures_the_error_on_the_transformed_signal():
    r = small_reservoir(n_inputs=1)
    series = np.tanh(np.sin(np.arange(300) * 0.3) * 0.5)
    W = esn.ridge_readout(esn.harvest_states(r, series[:150, None], 20),
                          series[21:151], 1e-6)
    args = dict(warmup=40, horizon=10, n_trials=3)
    plain = esn.horizon_nrmse(r, W, series[150:], **args, variance=0.2)
    transformed = esn.horizon_nrmse(r, W, series[150:], **args, variance=0.8,
                                    to_signal=lambda v: 2.0 * v + 1.0)
    # x -> 2x + 1 doubles every error; variance 0.8 = 4 * 0.2 cancels it
    np.testing.assert_allclose(transformed, plain, rtol=1e-12)


def test_largest_singular_value_sparse_and_dense_agree():
    rng = np.random.default_rng(4)
    W = rng.uniform(-1, 1, (300, 300)) * (rng.random((300, 300)) < 0.02)
    assert esn.largest_singular_value(W) == pytest.approx(np.linalg.norm(W, 2),
                                                          rel=1e-9)
    small = rng.normal(size=(5, 7))
    assert esn.largest_singular_value(small) == pytest.approx(np.linalg.norm(small, 2))
    with pytest.raises(ValueError, match="matrix"):
        esn.largest_singular_value(np.ones(3))
