"""Synthetic long-range tasks of the vanishing-gradient literature.

Each generator takes a ``numpy.random.Generator`` and returns time-major NumPy arrays,
inputs ``(T, B, D)``, so that one call makes a whole batch and the chapters stay
deterministic.

latch_noise
    Bengio, Simard & Frasconi (1994), the "latching" (minimal) problem: one tanh unit
    must keep the sign of its first inputs through T steps of Gaussian noise. The first
    L inputs are trainable parameters, one sequence of them per class; this function
    draws the noise that follows them.
two_sequence
    Bengio et al. (1994), the "2-sequence" problem: the class is decided by the first L
    inputs (noisy values around ±1), followed by pure noise up to length T.
temporal_order
    Hochreiter & Schmidhuber (1997, Experiment 6a), in the form of Pascanu, Mikolov &
    Bengio (2013, code ``tempOrder.py``): one-hot symbols from {A, B, c, d, e, f}; A or
    B appears once in [0.1T, 0.2T) and once in [0.5T, 0.6T); the class is the ordered
    pair (AA, AB, BA, BB).
adding
    Hochreiter & Schmidhuber (1997, Experiment 4), in the common form of Le et al.
    (2015): two channels, a uniform value and a marker; the target is the sum of the two
    marked values, one marked in the first half and one in the second.
"""

import numpy as np

__all__ = [
    "latch_noise",
    "two_sequence",
    "temporal_order",
    "adding",
    "TEMPORAL_ORDER_SYMBOLS",
]

TEMPORAL_ORDER_SYMBOLS = "ABcdef"   # channel i of the one-hot input is symbol i


def _check_length(length, minimum, name="length"):
    if int(length) != length or length < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {length!r}")
    return int(length)


def latch_noise(n_sequences, length, n_free, rng, noise_std=np.sqrt(0.2)):
    """Noise inputs of the latching problem: zeros for the first n_free steps, N(0, s²)
    after.

    The latching unit is ``h_t = tanh(w h_{t-1} + u_t)`` with trainable u_1 ... u_L (one
    sequence per class) and ``u_t = noise`` for t > L; Bengio et al. used noise variance
    s² = 0.2 and targets ±0.8 for h_T.

    Returns (length, n_sequences) noise, the first ``n_free`` rows zero (they are filled
    by the trainable inputs).
    """
    length = _check_length(length, 1)
    n_free = _check_length(n_free, 0, "n_free")
    if n_free > length:
        raise ValueError(f"n_free must be at most length = {length}, got {n_free}")
    noise = rng.normal(0.0, noise_std, size=(length, n_sequences))
    noise[:n_free] = 0.0
    return noise


def two_sequence(n_sequences, length, n_informative, rng, noise_std=np.sqrt(0.2)):
    """The 2-sequence problem: x (length, B, 1) and labels y (B,) in {0, 1}.

    Class 1 sequences start with n_informative values 1 + noise, class 0 with −1 +
    noise; all later values are noise only. The label must be read from the start of the
    sequence.
    """
    length = _check_length(length, 1)
    if not 1 <= n_informative <= length:
        raise ValueError(
            f"n_informative must be in 1 ... length = {length}, got {n_informative}"
        )
    y = rng.integers(0, 2, size=n_sequences)
    x = rng.normal(0.0, noise_std, size=(length, n_sequences, 1))
    x[:n_informative, :, 0] += np.where(y == 1, 1.0, -1.0)[None, :]
    return x, y


def temporal_order(n_sequences, length, rng):
    """The temporal order problem: one-hot x (length, B, 6) and classes y (B,) in 0 ...
    3.

    Positions p0 ∈ [⌊0.1T⌋, 2⌊0.1T⌋) and p1 ∈ [⌊0.5T⌋, ⌊0.5T⌋ + ⌊0.1T⌋) carry A or B
    (values v0, v1 ∈ {0, 1}); every other position one of c, d, e, f. The class is v0 +
    2 v1: 0 = AA, 1 = BA, 2 = AB, 3 = BB (first symbol, second symbol), as in Pascanu et
    al.'s code.
    """
    length = _check_length(length, 10)
    tenth = int(length * 0.1)
    batch = np.arange(n_sequences)
    p0 = rng.integers(0, tenth, size=n_sequences) + tenth
    p1 = rng.integers(0, tenth, size=n_sequences) + int(length * 0.5)
    v0 = rng.integers(0, 2, size=n_sequences)
    v1 = rng.integers(0, 2, size=n_sequences)
    symbols = rng.integers(2, 6, size=(length, n_sequences))
    symbols[p0, batch] = v0
    symbols[p1, batch] = v1
    x = np.eye(6)[symbols]
    return x, v0 + 2 * v1


def adding(n_sequences, length, rng):
    """The adding problem: x (length, B, 2) and targets y (B,).

    Channel 0 holds values from U(0, 1); channel 1 is 1 at two positions, one in the
    first half and one in the second, and 0 elsewhere. The target is the sum of the two
    marked
    values (mean 1, so always predicting 1 gives a mean squared error of about 1/6).
    """
    length = _check_length(length, 2)
    half = length // 2
    batch = np.arange(n_sequences)
    x = np.zeros((length, n_sequences, 2))
    x[:, :, 0] = rng.uniform(0.0, 1.0, size=(length, n_sequences))
    first = rng.integers(0, half, size=n_sequences)
    second = rng.integers(half, length, size=n_sequences)
    x[first, batch, 1] = 1.0
    x[second, batch, 1] = 1.0
    return x, x[first, batch, 0] + x[second, batch, 0]
