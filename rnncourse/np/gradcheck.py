"""Gradient checking: compare a hand-written backward pass with finite differences.

The two functions of the Stanford CS231n assignments, with the same semantics::

    grads = lstm_backward(dout, cache)
    loss_output = lambda: lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh)[0]
    num = numerical_gradient(loss_output, W_ih, dout)
    rel_error(grads["W_ih"], num)   # 1e-7 or less in float64 when both are right

CS231n's notebooks advise that a correct layer shows "relative errors around e-8 or
less". The maximum over the elements is set by the smallest ones: the difference
between the two gradients is the finite difference's rounding and truncation error,
which does not shrink with the element, and divided by a tiny element it becomes a
large relative error (chapter 4 plots this).
"""

import numpy as np

__all__ = ["rel_error", "numerical_gradient"]


def rel_error(a, b):
    """Largest relative difference between two arrays of the same shape.

    rel_error(a, b) = max over elements of |a − b| / max(1e-8, |a| + |b|)

    The floor 1e-8 keeps elements where both are (nearly) zero from dividing by
    zero. Scalars and nested lists are accepted.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"rel_error needs arrays of the same shape, got {a.shape} and {b.shape}"
        )
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numerical_gradient(f, x, df, h=1e-5):
    """Central-difference gradient of the scalar Σ f() ⊙ df with respect to x.

    Parameters
    ----------
    f : callable with no arguments, returning an array
        Must read ``x`` (for example a lambda that calls the forward pass with it).
    x : ndarray, any shape, floating point
        The input to perturb. Each element is changed in place by ±h and then
        restored exactly, so x is unchanged when this returns.
    df : array_like, the shape of f()'s output
        Upstream gradient: the check is of the scalar loss L = Σ f() ⊙ df.
    h : float
        Step size. 1e-5 suits float64; float32 is too coarse for gradient checks.

    Returns
    -------
    grad : ndarray of float64, the shape of x
        grad[i] = Σ (f(x + h e_i) − f(x − h e_i)) ⊙ df / (2h) for every element i.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(
            "x must be a floating-point NumPy array that f reads (it is perturbed in "
            f"place), got {type(x).__name__}"
            + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    df = np.asarray(df)
    grad = np.zeros(x.shape, dtype=np.result_type(x, np.float64))
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        # copy: f may return a view of x
        plus = np.array(f(), dtype=np.float64, copy=True)
        x[index] = original - h
        minus = np.array(f(), dtype=np.float64, copy=True)
        x[index] = original
        if plus.shape != df.shape:
            raise ValueError(
                f"df must have the shape of f()'s output, {plus.shape}, got {df.shape}")
        grad[index] = np.sum((plus - minus) * df) / (2 * h)
    return grad
