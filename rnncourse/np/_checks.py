"""Input validation shared by the NumPy RNN, LSTM and GRU.

Every public function in :mod:`rnncourse.np.rnn`, :mod:`rnncourse.np.lstm` and
:mod:`rnncourse.np.gru` starts by calling :func:`check_cell_inputs`. It turns its
arguments into float arrays of one common dtype and raises a ``ValueError`` that
names the argument, the shape it should have and the shape it has, e.g.::

    W_hh must have shape (4*H, H) = (512, 128) for an LSTM with hidden size 128,
    got (128, 512)

Shapes follow PyTorch's layout, with G gates stacked along the first axis of the
weights (G = 1 for an RNN, 4 for an LSTM, 3 for a GRU)::

    x      (T, B, D) for a sequence, (B, D) for one step
    h, c   (B, H)          hidden size H is read from the hidden state
    W_ih   (G*H, D)
    W_hh   (G*H, H)
    b_ih   (G*H,)
    b_hh   (G*H,)
"""

import numpy as np

# Gate counts and the gate names in the order they are stacked in the weights.
GATES = {
    "RNN": (),
    "LSTM": ("i", "f", "g", "o"),
    "GRU": ("r", "z", "n"),
}

NONLINEARITIES = ("tanh", "relu")


def num_gates(cell):
    """Number of blocks of H rows stacked in ``W_ih`` and ``W_hh``: 1, 4 or 3."""
    return max(1, len(GATES[cell]))


def _article(cell):
    return "an" if cell in ("RNN", "LSTM") else "a"


def _rows(G):
    """How the first axis of a weight matrix is written: ``H`` or ``4*H``."""
    return "H" if G == 1 else f"{G}*H"


def common_float_dtype(*arrays):
    """The dtype NumPy would compute in (``np.result_type``), promoted to float.

    float32 inputs stay float32, mixed float32/float64 become float64, and
    integer inputs become float64 (gradients of integers make no sense).
    """
    dtype = np.result_type(*arrays)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.dtype(np.float64)
    return dtype


def check_nonlinearity(nonlinearity):
    """Raise unless ``nonlinearity`` is ``"tanh"`` or ``"relu"``."""
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(
            f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}"
        )


def _check_rank(name, array, layout):
    """``layout`` is a tuple of axis names such as ``("T", "B", "D")``."""
    if array.ndim != len(layout):
        shape = f"({', '.join(layout)}{',' if len(layout) == 1 else ''})"
        raise ValueError(
            f"{name} must be a {len(layout)}-d array of shape {shape}, "
            f"got shape {tuple(array.shape)}"
        )


def _weight_hint(cell, shape, expected, H):
    """A likely cause of a wrong weight shape, appended to the error message."""
    if len(shape) == 2 and shape == expected[::-1]:
        return "; it looks transposed (PyTorch's layout has one row per gate unit)"
    rows = shape[0] if shape else 0
    if H == 0 or rows % H != 0 or rows // H == num_gates(cell):
        return ""
    for other in GATES:
        if other != cell and num_gates(other) == rows // H:
            gates = GATES[cell]
            count = f"{len(gates)} gates ({', '.join(gates)})" if gates else "1 block"
            return (
                f"; {rows} = {_rows(rows // H)} rows is the layout of "
                f"{_article(other)} "
                f"{other}, but {_article(cell)} {cell} has {count}"
            )
    return ""


def _check_weights(cell, W_ih, W_hh, b_ih, b_hh, H, D):
    G = num_gates(cell)
    rows = _rows(G)
    about = f"for {_article(cell)} {cell} with hidden size {H}"
    expected = {
        "W_ih": (f"({rows}, D)", (G * H, D), f"{about} and input size {D}"),
        "W_hh": (f"({rows}, H)", (G * H, H), about),
        "b_ih": (f"({rows},)", (G * H,), about),
        "b_hh": (f"({rows},)", (G * H,), about),
    }
    for name, array in (("W_ih", W_ih), ("W_hh", W_hh), ("b_ih", b_ih), ("b_hh", b_hh)):
        symbolic, shape, context = expected[name]
        if array.shape != shape:
            raise ValueError(
                f"{name} must have shape {symbolic} = {shape} {context}, "
                f"got {tuple(array.shape)}{_weight_hint(cell, array.shape, shape, H)}"
            )


def check_cell_inputs(cell, x, states, W_ih, W_hh, b_ih, b_hh, *, sequence):
    """Validate the inputs of a forward pass and cast them to one float dtype.

    Parameters
    ----------
    cell : {"RNN", "LSTM", "GRU"}
    x : array_like, (T, B, D) if ``sequence`` else (B, D)
    states : dict name -> array_like, each (B, H)
        The initial states with the names the caller uses in its signature,
        e.g. ``{"h0": h0, "c0": c0}``. The first one fixes the hidden size H.
    W_ih, W_hh, b_ih, b_hh : array_like, (G*H, D), (G*H, H), (G*H,), (G*H,)
    sequence : bool
        Whether ``x`` holds a whole sequence (T, B, D) or one step (B, D).

    Returns
    -------
    x, states, W_ih, W_hh, b_ih, b_hh : ndarrays of the common float dtype
        ``states`` is a list in the order given. Arrays that already have the
        dtype are returned as they are (no copy), so callers must not write
        into them.
    """
    names = ["x", *states, "W_ih", "W_hh", "b_ih", "b_hh"]
    raw = [x, *states.values(), W_ih, W_hh, b_ih, b_hh]
    arrays = [np.asarray(a) for a in raw]
    dtype = common_float_dtype(*arrays)
    arrays = [a.astype(dtype, copy=False) for a in arrays]
    x, *state_arrays = arrays[: 1 + len(states)]
    W_ih, W_hh, b_ih, b_hh = arrays[1 + len(states):]

    if x.ndim != (3 if sequence else 2):
        other = (
            f"{cell.lower()}_step_forward" if sequence else f"{cell.lower()}_forward"
        )
        what = "one step" if sequence else "a whole sequence"
        layout = "(T, B, D)" if sequence else "(B, D)"
        raise ValueError(
            f"x must be a {3 if sequence else 2}-d array of shape {layout}, got shape "
            f"{tuple(x.shape)}; for {what} use {other}"
        )
    for name, state in zip(names[1:], state_arrays):
        _check_rank(name, state, ("B", "H"))
    rows = _rows(num_gates(cell))
    for name, array, layout in (
        ("W_ih", W_ih, (rows, "D")),
        ("W_hh", W_hh, (rows, "H")),
        ("b_ih", b_ih, (rows,)),
        ("b_hh", b_hh, (rows,)),
    ):
        _check_rank(name, array, layout)

    B, D = x.shape[-2:]
    first = names[1]
    H = state_arrays[0].shape[1]
    for name, state in zip(names[1:], state_arrays):
        if state.shape != (B, H):
            raise ValueError(
                f"{name} must have shape (B, H) = {(B, H)}, with batch size B = {B} "
                f"from x and hidden size H = {H} from {first}, got {tuple(state.shape)}"
            )
    _check_weights(cell, W_ih, W_hh, b_ih, b_hh, H, D)
    return x, state_arrays, W_ih, W_hh, b_ih, b_hh


def check_upstream(name, grad, shape, dtype, what):
    """Validate an upstream gradient and cast it to ``dtype``.

    ``shape`` is the shape of the forward quantity the gradient belongs to and
    ``what`` names that quantity, e.g. ``"the output out (T, B, H)"``.
    The result has the dtype NumPy would compute ``grad`` and ``dtype`` in;
    an integer gradient (``np.ones(shape, int)``) takes ``dtype``.
    """
    grad = np.asarray(grad)
    if grad.shape != tuple(shape):
        raise ValueError(
            f"{name} must have the shape of {what}, {tuple(shape)}, "
            f"got {tuple(grad.shape)}"
        )
    if np.issubdtype(grad.dtype, np.floating):
        dtype = np.result_type(grad, dtype)     # e.g. float64 dout on a float32 forward
    return grad.astype(dtype, copy=False)


def check_cache(cache, cell, forward_name, backward_name):
    """Raise a helpful error when a backward pass gets another function's cache."""
    found = cache.get("cell") if isinstance(cache, dict) else None
    if found != cell:
        source = (
            f"a cache from the {found} forward" if found else f"{type(cache).__name__}"
        )
        raise ValueError(
            f"{backward_name} needs the cache returned by {forward_name}, got {source}"
        )
