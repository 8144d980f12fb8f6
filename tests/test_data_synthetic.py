"""Tests for rnncourse.data.synthetic: the long-range tasks have the structure their
papers describe."""

import numpy as np
import pytest

from rnncourse.data import synthetic


def test_temporal_order_has_two_markers_in_their_windows_and_the_right_class():
    x, y = synthetic.temporal_order(500, 50, np.random.default_rng(0))
    assert x.shape == (50, 500, 6) and y.shape == (500,)
    np.testing.assert_array_equal(x.sum(-1), 1.0)                       # one-hot
    symbols = x.argmax(-1)
    for b in range(500):
        positions = np.flatnonzero(symbols[:, b] < 2)
        assert len(positions) == 2
        assert 5 <= positions[0] < 10 and 25 <= positions[1] < 30
        first, second = symbols[positions, b]
        assert y[b] == first + 2 * second
    assert set(np.unique(y)) == {0, 1, 2, 3}


def test_temporal_order_is_deterministic_and_rejects_short_lengths():
    a = synthetic.temporal_order(4, 20, np.random.default_rng(1))
    b = synthetic.temporal_order(4, 20, np.random.default_rng(1))
    np.testing.assert_array_equal(a[0], b[0])
    with pytest.raises(ValueError, match="length must be an integer >= 10"):
        synthetic.temporal_order(4, 5, np.random.default_rng(1))


def test_adding_marks_one_value_in_each_half_and_sums_them():
    x, y = synthetic.adding(300, 40, np.random.default_rng(0))
    assert x.shape == (40, 300, 2)
    np.testing.assert_array_equal(x[:, :, 1].sum(0), 2.0)
    np.testing.assert_array_equal(x[:20, :, 1].sum(0), 1.0)
    np.testing.assert_allclose(y, (x[:, :, 0] * x[:, :, 1]).sum(0))
    # the mean predictor's error
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 0.04


def test_latch_noise_has_variance_0_2_after_the_free_steps():
    noise = synthetic.latch_noise(4000, 30, 3, np.random.default_rng(0))
    assert noise.shape == (30, 4000)
    np.testing.assert_array_equal(noise[:3], 0.0)
    assert noise[3:].var() == pytest.approx(0.2, rel=0.03)
    with pytest.raises(ValueError, match="n_free must be at most"):
        synthetic.latch_noise(3, 2, 5, np.random.default_rng(0))


def test_two_sequence_class_is_in_the_first_inputs_only():
    x, y = synthetic.two_sequence(2000, 30, 3, np.random.default_rng(0))
    assert x.shape == (30, 2000, 1)
    start_mean = x[:3, :, 0].mean(0)
    assert np.mean((start_mean > 0) == (y == 1)) > 0.95
    assert abs(x[3:, y == 1, 0].mean() - x[3:, y == 0, 0].mean()) < 0.05
