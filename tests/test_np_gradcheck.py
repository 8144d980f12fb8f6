"""rnncourse.np.gradcheck: rel_error and the central-difference numerical_gradient."""

import numpy as np
import pytest

from rnncourse.np import numerical_gradient, rel_error


def test_rel_error_is_max_of_elementwise_relative_differences():
    a = np.array([1.0, 2.0, -3.0])
    b = np.array([1.0, 2.2, -3.0])
    assert rel_error(a, b) == pytest.approx(0.2 / 4.2)
    assert rel_error(a, a) == 0.0
    assert rel_error(b, a) == rel_error(a, b)


def test_rel_error_floors_the_denominator_at_1e_minus_8():
    """Two values that are both ~0 do not blow up the ratio."""
    assert rel_error(np.array([0.0]), np.array([1e-12])) == pytest.approx(1e-4)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0


def test_rel_error_accepts_scalars_and_lists_and_rejects_shape_mismatch():
    assert rel_error(1.0, 1.5) == pytest.approx(0.5 / 2.5)
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    with pytest.raises(ValueError, match=r"same shape.*\(2,\).*\(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


def test_numerical_gradient_uses_central_differences_with_step_h():
    """For f(x) = x³ the central difference is exactly 3x² + h² (a forward one is not).
    """
    x = np.array([[0.5, -1.0], [2.0, 0.0]])
    df = np.ones_like(x)
    h = 1e-2
    numeric = numerical_gradient(lambda: x ** 3, x, df, h=h)
    np.testing.assert_allclose(numeric, 3 * x ** 2 + h ** 2, rtol=1e-10, atol=1e-12)


def test_numerical_gradient_weights_the_output_by_the_upstream_gradient():
    """L = Σ (A x) ⊙ df has gradient Aᵀ df with respect to x."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 3))
    x = rng.standard_normal((3, 2))
    df = rng.standard_normal((4, 2))
    numeric = numerical_gradient(lambda: A @ x, x, df)
    assert rel_error(numeric, A.T @ df) < 1e-9


def test_numerical_gradient_restores_x_exactly():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    before = x.copy()
    numerical_gradient(lambda: np.tanh(x), x, np.ones((3, 4)))
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_works_when_f_returns_x_itself():
    """f may return a view of x; the perturbed outputs are copied before x changes."""
    x = np.arange(6.0).reshape(2, 3)
    df = np.full((2, 3), 2.0)
    np.testing.assert_allclose(numerical_gradient(lambda: x, x, df), df, rtol=1e-9)


def test_numerical_gradient_matches_a_hand_written_backward():
    """The way the course uses it: a tanh layer's backward pass, checked."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 3))
    W = rng.standard_normal((3, 4))
    dout = rng.standard_normal((5, 4))
    out = np.tanh(x @ W)
    dW = x.T @ (dout * (1 - out ** 2))
    assert rel_error(dW, numerical_gradient(lambda: np.tanh(x @ W), W, dout)) < 1e-8


@pytest.mark.parametrize("bad_x", [[1.0, 2.0], np.arange(3)])
def test_numerical_gradient_rejects_x_it_cannot_perturb_in_place(bad_x):
    with pytest.raises(ValueError, match="floating-point NumPy array"):
        numerical_gradient(lambda: np.asarray(bad_x) * 2.0, bad_x, np.ones(len(bad_x)))


def test_numerical_gradient_rejects_df_of_the_wrong_shape():
    x = np.ones(3)
    with pytest.raises(
        ValueError,
        match=r"df must have the shape of f\(\)'s output, \(3,\), got \(2,\)",
    ):
        numerical_gradient(lambda: 2 * x, x, np.ones(2))
