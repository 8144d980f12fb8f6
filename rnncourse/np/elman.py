"""Jordan's and Elman's networks in NumPy: forward passes and training as Elman did.

Both are feedforward networks with logistic units, ``input -> hidden -> output``, plus a
layer of units that carries something from the previous step back into the hidden layer.
Vectors are columns in the equations; σ(a) = 1 / (1 + e^{-a}). The output of a network
is ŷ_t and its target y_t, as in every chapter of the book.

**Elman's simple recurrent network** (SRN) copies the hidden layer into *context units*,
which are read at the next step like an extra input. The context units hold h_{t-1} and
need no symbol of their own::

    h_t = σ(W_ih x_t + W_hh h_{t-1} + b_h)    (h_0: 0.5 in every unit unless given)
    ŷ_t = σ(W_hy h_t + b_y)

**Jordan's network** feeds the *output* back into *state units*, each with a
self-connection of weight μ (the decay), so the state is a fading trace of past
outputs::

    s_t = μ s_{t-1} + ŷ_{t-1}         (s_1 = s_0, zeros unless given)
    h_t = σ(W_ih x_t + W_sh s_t + b_h)
    ŷ_t = σ(W_hy h_t + b_y)

With teacher forcing the target ``y_{t-1}`` is fed back instead of the output
``ŷ_{t-1}``.

Parameters are dicts of arrays, in the course's (torch-like) layout: ``W_ih`` (H, D),
``W_hh`` (H, H) or ``W_sh`` (H, K), ``b_h`` (H,), ``W_hy`` (K, H), ``b_y`` (K,), with K
the number of output units. Sequences are time-major, ``x`` (T, B, D); a single sequence
may also be given as (T, D).

**Training as Elman did.** After every step, plain gradient descent on that step's
squared error E_t = ½ ||ŷ_t − y_t||², with the context (or state) units treated as one
more input: no error flows back into earlier steps. This is backpropagation truncated to
a single step; with δ's for the gradients of E_t with respect to the pre-activations::

    δ_y = (ŷ_t − y_t) ⊙ ŷ_t ⊙ (1 − ŷ_t)        δ_h = (W_hyᵀ δ_y) ⊙ h_t ⊙ (1 − h_t)
    ∂E_t/∂W_hy = δ_y h_tᵀ    ∂E_t/∂b_y = δ_y    ∂E_t/∂W_ih = δ_h x_tᵀ
    ∂E_t/∂W_hh = δ_h h_{t-1}ᵀ    ∂E_t/∂b_h = δ_h

and every weight moves by ``-learning_rate`` times its gradient before the next input.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "sigmoid", "init_srn", "srn_step", "srn_forward", "srn_step_gradients", "train_srn",
    "init_jordan", "jordan_step", "jordan_forward", "train_jordan",
    "rms_error", "error_by_position",
]

CONTEXT_START = 0.5   # Elman's context units start half-way between off and on


def sigmoid(a):
    """The logistic function σ(a) = 1 / (1 + exp(-a)), computed without overflow."""
    a = np.asarray(a, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * a))


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------

SRN_SHAPES = {
    "W_ih": ("H", "D"),
    "W_hh": ("H", "H"),
    "b_h": ("H",),
    "W_hy": ("K", "H"),
    "b_y": ("K",),
}
JORDAN_SHAPES = {
    "W_ih": ("H", "D"),
    "W_sh": ("H", "K"),
    "b_h": ("H",),
    "W_hy": ("K", "H"),
    "b_y": ("K",),
}


def _check_params(params, shapes, network):
    missing = [k for k in shapes if k not in params]
    if missing:
        raise ValueError(
            f"params of {network} must contain {list(shapes)}, missing {missing}"
        )
    params = {k: np.asarray(params[k], dtype=float) for k in shapes}
    H, D = params["W_ih"].shape if params["W_ih"].ndim == 2 else (None, None)
    if H is None:
        raise ValueError(f"W_ih must have shape (H, D), got {params['W_ih'].shape}")
    K = params["W_hy"].shape[0] if params["W_hy"].ndim == 2 else None
    if K is None:
        raise ValueError(f"W_hy must have shape (K, H), got {params['W_hy'].shape}")
    sizes = {"H": H, "D": D, "K": K}
    for name, layout in shapes.items():
        expected = tuple(sizes[s] for s in layout)
        if params[name].shape != expected:
            symbolic = "(" + ", ".join(layout) + ("," if len(layout) == 1 else "") + ")"
            raise ValueError(
                f"{name} must have shape {symbolic} = {expected} for "
                f"{network} with input size "
                f"D = {D}, hidden size H = {H} (from W_ih) and output size K "
                f"= {K} (from W_hy), "
                f"got {params[name].shape}"
            )
    return params, D, H, K


def _as_sequence(x, D):
    """x as (T, B, D) and whether it came as a single sequence (T, D)."""
    x = np.asarray(x, dtype=float)
    single = x.ndim == 2
    if single:
        x = x[:, None, :]
    if x.ndim != 3 or x.shape[2] != D:
        raise ValueError(
            f"x must have shape (T, B, D) or (T, D) with D = {D} (from W_ih), got "
            f"{np.shape(x)}"
        )
    return x, single


def _initial(value, B, size, name, default):
    """An initial context/state (B, size) from None, a number, (size,) or (B, size)."""
    if value is None:
        value = default
    value = np.asarray(value, dtype=float)
    if value.ndim == 0:
        return np.full((B, size), float(value))
    if value.shape == (size,):
        return np.tile(value, (B, 1))
    if value.shape != (B, size):
        raise ValueError(
            f"{name} must be a number, shape ({size},) or (B, {size}) = "
            f"{(B, size)}, got {value.shape}"
        )
    return value.copy()


# --------------------------------------------------------------------------------------
# Elman's simple recurrent network
# --------------------------------------------------------------------------------------

def init_srn(input_size, hidden_size, output_size, rng, scale=0.5):
    """Weights and biases of an SRN, uniform in [-scale, scale].

    Returns a dict with ``W_ih`` (H, D), ``W_hh`` (H, H), ``b_h`` (H,), ``W_hy`` (K, H),
    ``b_y`` (K,).
    """
    H, D, K = hidden_size, input_size, output_size
    shapes = {"W_ih": (H, D), "W_hh": (H, H), "b_h": (H,), "W_hy": (K, H), "b_y": (K,)}
    return {
        name: rng.uniform(-scale, scale, size=shape) for name, shape in shapes.items()
    }


def srn_step(x, context, params):
    """One step of Elman's network: h_t = σ(W_ih x_t + W_hh h_{t-1} + b_h) and
    ŷ_t = σ(W_hy h_t + b_y), where the context units hold h_{t-1}.

    x : (B, D) input x_t; context : (B, H), the context units: a copy of h_{t-1}
    Returns h (B, H), the new hidden layer (and the next step's context), and ŷ (B, K).
    """
    p = params
    h = sigmoid(x @ p["W_ih"].T + context @ p["W_hh"].T + p["b_h"])
    y = sigmoid(h @ p["W_hy"].T + p["b_y"])
    return h, y


def srn_forward(x, params, context0=None):
    """Run Elman's network over whole sequences, copying the hidden layer into the
    context.

    x : (T, B, D) or (T, D) inputs
    params : dict from :func:`init_srn`
    context0 : the context read at the first step, h_0: None (0.5 everywhere), a
        number, (H,) or (B, H)

    Returns
    -------
    hidden : (T, B, H) the hidden layers h_1 ... h_T
    outputs : (T, B, K) the outputs ŷ_1 ... ŷ_T
    (without the B axis when x was (T, D)).
    """
    params, D, H, K = _check_params(params, SRN_SHAPES, "an SRN")
    x, single = _as_sequence(x, D)
    T, B, _ = x.shape
    context = _initial(context0, B, H, "context0", CONTEXT_START)
    hidden, outputs = np.empty((T, B, H)), np.empty((T, B, K))
    for t in range(T):
        # the copy: the context units of step t + 1 hold h_t
        context, outputs[t] = srn_step(x[t], context, params)
        hidden[t] = context
    if single:
        return hidden[:, 0], outputs[:, 0]
    return hidden, outputs


def srn_step_gradients(x, context, target, params):
    """Gradients of one step's error E_t = ½ ||ŷ_t − y_t||² with the context held
    fixed (treated as an input: no gradient flows into earlier steps).

    x : (D,) x_t, context : (H,) the copy of h_{t-1}, target : (K,) y_t — one step of
    one sequence.
    Returns a dict of gradients with the shapes of ``params``, plus ``"error"``: E.
    """
    p = params
    h, y = srn_step(x[None], context[None], p)
    h, y = h[0], y[0]
    delta_y = (y - target) * y * (1 - y)
    delta_h = (p["W_hy"].T @ delta_y) * h * (1 - h)
    return {
        "W_hy": np.outer(delta_y, h),
        "b_y": delta_y,
        "W_ih": np.outer(delta_h, x),
        "W_hh": np.outer(delta_h, context),
        "b_h": delta_h,
        "error": 0.5 * float(np.sum((y - target) ** 2)),
    }


def _sum_of_outer_products(a, b):
    """Σ_streams a bᵀ for column blocks a (N, M, B) and b (N, P, B) -> (N, M, P)."""
    if a.shape[2] == 1:
        # one stream: a plain outer product is faster
        return a * b.transpose(0, 2, 1)
    return a @ b.transpose(0, 2, 1)


def _online_passes(
    W_in,
    W_hy,
    inputs,
    targets,
    passes,
    learning_rate,
    n_fed_back,
    feedback,
    start,
    n_streams=1,
):
    """The update loop shared by :func:`train_srn` and :func:`train_jordan`.

    The hidden layer of network n reads z = [x_t; r_t; 1] through W_in[n] (H, D + R + 1)
    and the output reads [h_t; 1] through W_hy[n] (K, H + 1); r_t, the R fed-back units,
    is ``feedback(r, h, y, target)`` of the previous step, ``start`` at the start of a
    pass.
    Vectors are columns: z has shape (N, Z, B), one column per stream. The stream is cut
    into B = ``n_streams`` equal pieces read side by side; every step updates the
    weights in place by the sum of the B one-step gradients (B = 1 is Elman's online
    learning).
    Returns the mean squared error per output unit of each pass, (passes, N).
    """
    N, H, Z = W_in.shape
    T, D = inputs.shape
    B = n_streams
    steps = T // B
    # (steps, D, B): column b of step t is item b * steps + t of the stream
    xs = inputs[: steps * B].reshape(B, steps, D).transpose(1, 2, 0)
    ys = targets[: steps * B].reshape(B, steps, -1).transpose(1, 2, 0)
    z = np.ones((N, Z, B))                 # [x_t; fed-back units; 1 (bias)]
    hz = np.ones((N, H + 1, B))            # [h_t; 1 (bias)]
    history = np.zeros((passes, N))
    for p in range(passes):
        z[:, D:D + n_fed_back] = start
        squared = np.zeros(N)
        for x, target in zip(xs, ys):
            z[:, :D] = x
            h = sigmoid(W_in @ z)                                      # (N, H, B)
            hz[:, :H] = h
            y = sigmoid(W_hy @ hz)                                    # (N, K, B)
            error = y - target
            squared += (error * error).sum(axis=(1, 2))
            delta_y = error * y * (1 - y)                               # δ_y
            delta_h = (W_hy[:, :, :H].transpose(0, 2, 1) @ delta_y) * h * (1 - h)
            # ∂E_t/∂[W_hy b_y] = δ_y [h_t; 1]ᵀ, ∂E_t/∂[W_ih W_hh b_h] = δ_h z_tᵀ
            W_hy -= learning_rate * _sum_of_outer_products(delta_y, hz)
            W_in -= learning_rate * _sum_of_outer_products(delta_h, z)
            z[:, D:D + n_fed_back] = feedback(z[:, D:D + n_fed_back], h, y, target)
        history[p] = squared / (steps * B * W_hy.shape[1])
    return history


def _stack(params, shapes, network):
    """A dict or a list of dicts -> (list of checked dicts, whether a list came)."""
    many = isinstance(params, (list, tuple))
    checked = [
        _check_params(p, shapes, network) for p in (params if many else [params])
    ]
    first = checked[0][1:]
    for k, c in enumerate(checked):
        if c[1:] != first:
            raise ValueError(
                "all networks trained together must have the sizes (D, H, K) = "
                f"{first}; "
                f"network {k} has {c[1:]}"
            )
    return [c[0] for c in checked], many, first


def _check_count_arg(name, value, maximum):
    if int(value) != value or not 1 <= value <= maximum:
        raise ValueError(
            f"{name} must be an integer between 1 and {maximum}, got {value!r}"
        )
    return int(value)


def _check_stream(inputs, targets, D, K):
    inputs, targets = np.asarray(inputs, dtype=float), np.asarray(targets, dtype=float)
    if inputs.ndim != 2 or inputs.shape[1] != D:
        raise ValueError(
            f"inputs must have shape (T, D) with D = {D} (from W_ih), got "
            f"{inputs.shape}"
        )
    if targets.shape != (len(inputs), K):
        raise ValueError(
            f"targets must have shape (T, K) = {(len(inputs), K)}, got {targets.shape}"
        )
    return inputs, targets


def train_srn(
    params, inputs, targets, passes, learning_rate, context0=None, n_streams=1
):
    """Train Elman's network online, as Elman did: one update after every input.

    The stream is read from start to end ``passes`` times; the context starts at
    ``context0`` (0.5 by default) at the beginning of each pass and is the copy of the
    hidden layer after that. Each update is gradient descent on the squared error of the
    current step with the context treated as an input (see the module docstring).

    params : a dict from :func:`init_srn`, or a list of such dicts: independent networks
        trained side by side on the same stream (one vectorised loop for all of them)
    inputs : (T, D), targets : (T, K) — one stream
    n_streams : 1 for Elman's procedure. With B > 1 the stream is cut into B equal
    pieces
        (a remainder of T mod B items is dropped) that are read side by side, each with
        its own context, and every step applies the sum of their B one-step gradients: B
        times fewer, larger updates, for speed on long streams.
    Returns (trained params in the same form, new arrays) and the mean squared error per
    output unit of every pass, (passes,) or (passes, N) for a list of N networks.
    """
    nets, many, (D, H, K) = _stack(params, SRN_SHAPES, "an SRN")
    inputs, targets = _check_stream(inputs, targets, D, K)
    W_in = np.stack(
        [np.hstack([p["W_ih"], p["W_hh"], p["b_h"][:, None]]) for p in nets]
    )
    W_hy = np.stack([np.hstack([p["W_hy"], p["b_y"][:, None]]) for p in nets])
    n_streams = _check_count_arg("n_streams", n_streams, len(inputs))
    start = _initial(context0, 1, H, "context0", CONTEXT_START).T[None]     # (1, H, 1)
    history = _online_passes(W_in, W_hy, inputs, targets, passes, learning_rate, H,
                             lambda fed_back, h, y, target: h, start, n_streams)
    trained = [
        {
            "W_ih": w[:, :D].copy(),
            "W_hh": w[:, D : D + H].copy(),
            "b_h": w[:, -1].copy(),
            "W_hy": v[:, :H].copy(),
            "b_y": v[:, -1].copy(),
        }
        for w, v in zip(W_in, W_hy)
    ]
    return (trained, history) if many else (trained[0], history[:, 0])


# --------------------------------------------------------------------------------------
# Jordan's network
# --------------------------------------------------------------------------------------

def init_jordan(input_size, hidden_size, output_size, rng, scale=0.5):
    """Weights and biases of a Jordan network, uniform in [-scale, scale].

    Returns a dict with ``W_ih`` (H, D), ``W_sh`` (H, K), ``b_h`` (H,), ``W_hy`` (K, H),
    ``b_y`` (K,). The state has as many units as the output.
    """
    H, D, K = hidden_size, input_size, output_size
    shapes = {"W_ih": (H, D), "W_sh": (H, K), "b_h": (H,), "W_hy": (K, H), "b_y": (K,)}
    return {
        name: rng.uniform(-scale, scale, size=shape) for name, shape in shapes.items()
    }


def jordan_step(x, state, fed_back, params, decay):
    """One step of Jordan's network.

    x : (B, D) input (Jordan's "plan"); state : (B, K) the state s_{t-1};
    fed_back : (B, K), the previous output ŷ_{t-1} (or the target y_{t-1}, with teacher
    forcing)
    Returns the new state s_t = decay * s_{t-1} + fed_back (B, K), h_t (B, H) and ŷ_t
    (B, K).
    """
    p = params
    state = decay * state + fed_back
    h = sigmoid(x @ p["W_ih"].T + state @ p["W_sh"].T + p["b_h"])
    y = sigmoid(h @ p["W_hy"].T + p["b_y"])
    return state, h, y


def jordan_forward(x, params, decay, state0=None, teacher=None):
    """Run Jordan's network over whole sequences, feeding the output back into the
    state.

    x : (T, B, D) or (T, D) inputs
    decay : μ, the weight of each state unit's connection to itself (0 <= μ < 1 keeps it
    bounded)
    state0 : s_0, None (zeros), a number, (K,) or (B, K); ŷ_0 is taken as zero
    teacher : None, or targets of the shape of the outputs: fed back instead of the
    outputs

    Returns states (T, B, K), hidden (T, B, H) and outputs (T, B, K) (no B axis for
    (T, D) x).
    """
    params, D, H, K = _check_params(params, JORDAN_SHAPES, "a Jordan network")
    x, single = _as_sequence(x, D)
    T, B, _ = x.shape
    if teacher is not None:
        teacher = np.asarray(teacher, dtype=float)
        teacher = teacher[:, None, :] if single and teacher.ndim == 2 else teacher
        if teacher.shape != (T, B, K):
            raise ValueError(
                f"teacher must have the shape of the outputs, {(T, B, K)}, got "
                f"{teacher.shape}"
            )
    state = _initial(state0, B, K, "state0", 0.0)
    fed_back = np.zeros((B, K))
    states, hidden, outputs = (
        np.empty((T, B, K)),
        np.empty((T, B, H)),
        np.empty((T, B, K)),
    )
    for t in range(T):
        state, hidden[t], outputs[t] = jordan_step(x[t], state, fed_back, params, decay)
        states[t] = state
        fed_back = outputs[t] if teacher is None else teacher[t]
    if single:
        return states[:, 0], hidden[:, 0], outputs[:, 0]
    return states, hidden, outputs


def train_jordan(params, sequences, passes, learning_rate, decay, teacher_forcing=True):
    """Train Jordan's network online with Elman's rule (the state treated as an input).

    sequences : list of (inputs (T, D), targets (T, K)) pairs; the state starts at zero
    at
        the start of each sequence, and the sequences are presented in order in every
        pass.
    teacher_forcing : feed the targets back into the state during training instead of
    the
        network's own outputs.
    Returns the trained params (new arrays) and the mean squared error per output unit
    of every pass, (passes,).
    """
    (p,), _, (D, H, K) = _stack(params, JORDAN_SHAPES, "a Jordan network")
    W_in = np.hstack([p["W_ih"], p["W_sh"], p["b_h"][:, None]])[None]
    W_hy = np.hstack([p["W_hy"], p["b_y"][:, None]])[None]
    checked = [_check_stream(x, y, D, K) for x, y in sequences]
    total = sum(len(x) for x, _ in checked)

    def feed(state, h, y, target):
        # s_{t+1} = μ s_t + ŷ_t (or + y_t with teacher forcing): the state is stored
        # at step t as s_t, before its own decay
        return decay * state + (target if teacher_forcing else y)

    history = np.zeros(passes)
    for k in range(passes):
        for x, y in checked:
            # The first state s_1 = μ s_0 + ŷ_0 = 0; the loop stores s_{t+1} after
            # step t.
            history[k] += _online_passes(
                W_in, W_hy, x, y, 1, learning_rate, K, feed, 0.0
            )[0, 0] * len(x)
        history[k] /= total
    w, v = W_in[0], W_hy[0]
    trained = {
        "W_ih": w[:, :D].copy(),
        "W_sh": w[:, D : D + K].copy(),
        "b_h": w[:, -1].copy(),
        "W_hy": v[:, :H].copy(),
        "b_y": v[:, -1].copy(),
    }
    return trained, history


# --------------------------------------------------------------------------------------
# Measuring prediction error
# --------------------------------------------------------------------------------------

def rms_error(outputs, targets, axis=-1):
    """Root mean squared error over ``axis`` (the output units by default)."""
    outputs, targets = (
        np.asarray(outputs, dtype=float),
        np.asarray(targets, dtype=float),
    )
    if outputs.shape != targets.shape:
        raise ValueError(
            f"outputs and targets must have the same shape, got {outputs.shape} "
            f"and {targets.shape}"
        )
    return np.sqrt(np.mean((outputs - targets) ** 2, axis=axis))


def error_by_position(outputs, targets, period):
    """RMS error at each position of a repeating window, averaged over all windows.

    The stream of T steps is cut into ``T // period`` consecutive windows of ``period``
    steps (a remainder at the end is dropped); at each position p of the window the
    squared error, averaged over the K output units, is averaged over the windows, and
    the root taken:

        e_p = sqrt( mean_w  mean_k (ŷ[w·period + p, k] − y[w·period + p, k])² )

    This is how the paper's Fig. 3 shows the temporal XOR: a dip at every position whose
    target is predictable. outputs, targets : (T, K) or (T,). Returns (period,).
    """
    outputs, targets = (
        np.asarray(outputs, dtype=float),
        np.asarray(targets, dtype=float),
    )
    if outputs.shape != targets.shape:
        raise ValueError(
            f"outputs and targets must have the same shape, got {outputs.shape} "
            f"and {targets.shape}"
        )
    squared = (outputs - targets) ** 2
    squared = squared.reshape(len(squared), -1).mean(axis=1)
    n_windows = len(squared) // period
    if n_windows == 0:
        raise ValueError(
            f"the stream ({len(squared)} steps) is shorter than one window of {period}"
        )
    return np.sqrt(
        squared[: n_windows * period].reshape(n_windows, period).mean(axis=0)
    )
