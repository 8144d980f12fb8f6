"""Hopfield networks: Hebbian storage, energy, asynchronous and synchronous recall.

Notation (the book's): ``N`` units with states :math:`s_i \\in \\{-1, +1\\}`, ``P``
stored memories :math:`\\xi^\\mu` (one per row of ``patterns``, shape ``(P, N)``),
weights ``W`` of shape ``(N, N)`` and an optional bias ``b`` of shape ``(N,)``.

* Hebbian storage with zero diagonal:
  :math:`W = \\frac{1}{N} \\sum_\\mu \\xi^\\mu \\xi^{\\mu\\top}`, :math:`W_{ii} = 0`.
* Local field :math:`h = W s + b`; a unit is updated to
  :math:`s_i \\leftarrow \\mathrm{sign}(h_i)`.
* Energy :math:`E(s) = -\\tfrac12 s^\\top W s - b^\\top s`. Flipping unit ``i`` changes
  it by :math:`\\Delta E = -\\Delta s_i\\, h_i` (W symmetric, zero diagonal), so an
  asynchronous update never raises it.

**Ties.** When :math:`h_i = 0` the unit keeps its current state ("sign(0) = keep").
Fields within :data:`TIE_TOLERANCE` of zero count as ties, because floating-point sums
of
:math:`\\pm 1/N` terms that are exactly zero on paper can come out as ``1e-17``.

Batches of states are arrays of shape ``(B, N)``, one state per row. Bad input raises
``ValueError`` naming what was expected and what came.

The module also holds Kosko's bidirectional associative memory (``bam_*``) and the
one-step update of the modern (continuous) Hopfield network (:func:`modern_update`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# Fields this close to zero are ties: sums of +-1/N in floating point are not exact.
TIE_TOLERANCE = 1e-10


# --------------------------------------------------------------------------------------
# Input checks (errors that say what was expected and what came)
# --------------------------------------------------------------------------------------

def _check_plus_minus_one(name: str, array: np.ndarray) -> None:
    bad = (array != 1) & (array != -1)
    if bad.any():
        value = float(array[bad].flat[0])
        raise ValueError(
            f"{name} must contain only -1 and +1, found the value {value:g}"
        )


def _as_patterns(patterns, name: str = "patterns") -> np.ndarray:
    patterns = np.asarray(patterns, dtype=float)
    if patterns.ndim != 2:
        raise ValueError(
            f"{name} must have shape (P, N) (one memory per row), got an array of rank "
            f"{patterns.ndim} with shape {patterns.shape}"
        )
    if patterns.shape[0] == 0 or patterns.shape[1] == 0:
        raise ValueError(
            f"{name} must have at least one row and one column, got shape "
            f"{patterns.shape}"
        )
    _check_plus_minus_one(name, patterns)
    return patterns


def _as_weights(W) -> np.ndarray:
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(
            f"W must be a square matrix of shape (N, N), got shape {W.shape}"
        )
    return W


def _as_states(
    W: np.ndarray, states, name: str = "state", check_values: bool = True
) -> np.ndarray:
    """Return ``states`` as float, shape (N,) or (B, N) matching ``W`` of shape (N, N).
    """
    states = np.asarray(states, dtype=float)
    n_units = W.shape[0]
    if states.ndim not in (1, 2) or states.shape[-1] != n_units:
        raise ValueError(
            f"{name} must have shape ({n_units},) or (B, {n_units}) to match "
            "W of shape "
            f"{W.shape}, got {states.shape}"
        )
    if check_values:
        _check_plus_minus_one(name, states)
    return states


def _as_bias(W: np.ndarray, bias) -> np.ndarray:
    if bias is None:
        return np.zeros(W.shape[0])
    bias = np.asarray(bias, dtype=float)
    if bias.shape != (W.shape[0],):
        raise ValueError(
            f"bias must have shape ({W.shape[0]},) to match W of shape {W.shape}, "
            f"got {bias.shape}"
        )
    return bias


def _check_cap(name: str, value) -> int:
    if not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "rng must be a numpy.random.Generator (e.g. "
            f"np.random.default_rng(0)), got {type(rng).__name__}"
        )
    return rng


# --------------------------------------------------------------------------------------
# Storage, field, energy
# --------------------------------------------------------------------------------------

def random_patterns(
    n_patterns: int, n_units: int, rng: np.random.Generator, balanced: bool = False
) -> np.ndarray:
    """Draw ``n_patterns`` independent memories with i.i.d. fair +-1 entries.

    balanced: instead, give every memory exactly ``n_units // 2`` entries +1, at random
    places (the rest -1), so that no memory has more units on than off.

    Returns ``patterns``: (P, N) float array of -1 and +1.
    """
    n_patterns = _check_cap("n_patterns", n_patterns)
    n_units = _check_cap("n_units", n_units)
    rng = _check_rng(rng)
    if not balanced:
        return rng.choice(np.array([-1.0, 1.0]), size=(n_patterns, n_units))
    patterns = -np.ones((n_patterns, n_units))
    on = np.argsort(rng.random((n_patterns, n_units)), axis=1)[:, : n_units // 2]
    np.put_along_axis(patterns, on, 1.0, axis=1)
    return patterns


def hebbian_weights(patterns) -> np.ndarray:
    """Hebb's outer-product rule with zero self-connections.

    .. math::

        W = \\frac{1}{N} \\sum_{\\mu=1}^{P} \\xi^\\mu \\xi^{\\mu\\top}, \\qquad W_{ii} =
        0

    patterns: (P, N) of +-1.  Returns W: (N, N), symmetric, zero diagonal.
    """
    patterns = _as_patterns(patterns)
    n_units = patterns.shape[1]
    W = patterns.T @ patterns / n_units
    np.fill_diagonal(W, 0.0)
    return W


def binary_neuron_bias(W, threshold_fraction: float = 0.0) -> np.ndarray:
    """The bias that makes +-1 units behave like Hopfield's (1982) 0/1 units.

    Hopfield's neurons have :math:`V_i \\in \\{0, 1\\}` and fire when
    :math:`\\sum_j T_{ij} V_j > U_i`. With :math:`V = (s + 1)/2` this reads
    :math:`\\sum_j W_{ij} s_j + \\sum_j W_{ij} - 2 U_i > 0`, i.e. +-1 units with bias
    :math:`b_i = \\sum_j W_{ij} - 2 U_i`. The paper's simulations use threshold
    :math:`U_i = 0` (the default, ``threshold_fraction=0``), and the paper notes that a
    better choice of thresholds stores about twice as much.

    threshold_fraction: θ in the threshold :math:`U_i = θ \\sum_j W_{ij} / 2`, a
    fraction of the threshold (θ = 1) that turns the 0/1 units into +-1 units without
    bias; the bias is :math:`(1 - θ) \\sum_j W_{ij}`.

    W: (N, N).  Returns b: (N,).
    """
    W = _as_weights(W)
    return (1.0 - float(threshold_fraction)) * W.sum(axis=1)


def local_field(W, states, bias=None) -> np.ndarray:
    """Local fields :math:`h = W s + b`.

    W: (N, N); states: (N,) or (B, N); bias: (N,) or None.  Returns h with the shape of
    states.
    """
    W = _as_weights(W)
    states = _as_states(W, states)
    return states @ W.T + _as_bias(W, bias)


def energy(W, states, bias=None):
    """Hopfield energy :math:`E(s) = -\\tfrac12 s^\\top W s - b^\\top s`.

    W: (N, N); states: (N,) or (B, N); bias: (N,) or None.
    Returns a float for one state, an array (B,) for a batch.
    """
    W = _as_weights(W)
    states = _as_states(W, states)
    bias = _as_bias(W, bias)
    result = -0.5 * np.einsum("...i,ij,...j->...", states, W, states) - states @ bias
    return float(result) if np.ndim(result) == 0 else result


def update_sign(fields, states) -> np.ndarray:
    """The update rule's sign: +1 where h > 0, -1 where h < 0, and *keep the current
    state* where h is zero (within :data:`TIE_TOLERANCE`).

    fields, states: arrays of the same shape.  Returns the new states.
    """
    fields = np.asarray(fields, dtype=float)
    states = np.asarray(states, dtype=float)
    return np.where(
        fields > TIE_TOLERANCE, 1.0, np.where(fields < -TIE_TOLERANCE, -1.0, states)
    )


def is_fixed_point(W, states, bias=None):
    """Whether every unit already agrees with the sign of its field (one matrix
    product).

    W: (N, N); states: (N,) or (B, N).  Returns a bool, or a bool array (B,).
    """
    h = local_field(W, states, bias)
    stable = np.all(update_sign(h, states) == states, axis=-1)
    return bool(stable) if np.ndim(stable) == 0 else stable


def overlap(patterns, states):
    """Overlap :math:`m = \\frac1N \\xi \\cdot s`, from -1 (negated) through 0 to +1
    (equal).

    Broadcasts over leading axes like NumPy: ``patterns`` (P, N) with one state (N,)
    gives the overlaps with every memory, (P,); two arrays (B, N) give row-by-row
    overlaps, (B,).
    """
    patterns = np.asarray(patterns, dtype=float)
    states = np.asarray(states, dtype=float)
    if patterns.shape[-1] != states.shape[-1]:
        raise ValueError(
            "patterns and states must have the same length N in their last "
            "axis, got shapes "
            f"{patterns.shape} and {states.shape}"
        )
    result = np.mean(patterns * states, axis=-1)
    return float(result) if np.ndim(result) == 0 else result


def count_errors(patterns, states):
    """Number of bits in which a state differs from a memory,
    :math:`N_{err} = N(1 - m)/2` (the Hamming distance). Broadcasts like
    :func:`overlap`; returns an int or an int array.
    """
    patterns = np.asarray(patterns)
    states = np.asarray(states)
    if patterns.shape[-1] != states.shape[-1]:
        raise ValueError(
            "patterns and states must have the same length N in their last "
            "axis, got shapes "
            f"{patterns.shape} and {states.shape}"
        )
    result = np.sum(patterns != states, axis=-1)
    return int(result) if np.ndim(result) == 0 else result


def flip_bits(states, n_flips: int, rng: np.random.Generator) -> np.ndarray:
    """A corrupted cue: a copy of ``states`` with exactly ``n_flips`` random bits
    flipped in each row.

    states: (N,) or (B, N) of +-1.  Returns an array of the same shape.
    """
    states = np.array(states, dtype=float)
    _check_plus_minus_one("states", states)
    rng = _check_rng(rng)
    n_units = states.shape[-1]
    if not 0 <= n_flips <= n_units:
        raise ValueError(f"n_flips must be between 0 and N = {n_units}, got {n_flips}")
    rows = states.reshape(-1, n_units)
    for row in rows:
        row[rng.choice(n_units, size=n_flips, replace=False)] *= -1
    return rows.reshape(states.shape)


def mixture_state(patterns, indices=(0, 1, 2)) -> np.ndarray:
    """The symmetric mixture :math:`\\mathrm{sign}(\\xi^{a} + \\xi^{b} + \\xi^{c})` of
    an odd
    number of memories (a spurious state). patterns: (P, N).  Returns (N,)."""
    patterns = _as_patterns(patterns)
    if len(indices) % 2 == 0:
        raise ValueError(
            "indices must name an odd number of memories so that no sum is 0, "
            f"got {len(indices)}"
        )
    return np.sign(patterns[list(indices)].sum(axis=0))


# --------------------------------------------------------------------------------------
# Recall
# --------------------------------------------------------------------------------------

class AsyncResult(NamedTuple):
    """Result of asynchronous recall.

    state: (N,) or (B, N) final states; sweeps: sweeps run (the last one changed nothing
    when converged); converged: whether a fixed point was reached within the cap;
    energies: the energy after every single-unit update (first entry: the initial
    state), or None.
    """

    state: np.ndarray
    sweeps: int | np.ndarray
    converged: bool | np.ndarray
    energies: np.ndarray | None = None


def async_recall(W, state, rng: np.random.Generator, max_sweeps: int = 100, bias=None,
                 record_energy: bool = False) -> AsyncResult:
    """Asynchronous recall from one cue: units are updated one at a time,
    :math:`s_i \\leftarrow \\mathrm{sign}(h_i)` with ties kept, in a fresh random order
    every sweep, until a whole sweep changes nothing (a fixed point) or ``max_sweeps``
    is reached.

    The fields are kept up to date incrementally: when unit i flips by
    :math:`\\Delta s_i`, :math:`h \\mathrel{+}= W_{:,i}\\, \\Delta s_i`.

    W: (N, N); state: (N,) of +-1; rng: numpy Generator (the update order);
    bias: (N,) or None; record_energy: also return E after every single-unit update,
    shape (1 + sweeps * N,), each value computed from the state itself.
    """
    W = _as_weights(W)
    state = _as_states(W, state)
    if state.ndim != 1:
        raise ValueError(
            f"state must have shape ({W.shape[0]},) for async_recall (use "
            "async_recall_batch "
            f"for a batch), got {state.shape}"
        )
    max_sweeps = _check_cap("max_sweeps", max_sweeps)
    rng = _check_rng(rng)
    bias = _as_bias(W, bias)
    s = state.copy()
    n_units = s.size
    energies = [energy(W, s, bias)] if record_energy else None
    converged = False
    h = W @ s + bias
    for sweep in range(1, max_sweeps + 1):
        changed = False
        for i in rng.permuted(np.arange(n_units)):
            new = s[i] if abs(h[i]) <= TIE_TOLERANCE else np.sign(h[i])
            if new != s[i]:
                h += W[:, i] * (new - s[i])   # keep every field current
                s[i] = new
                changed = True
                if record_energy:
                    energies.append(energy(W, s, bias))
            elif record_energy:
                energies.append(energies[-1])  # no flip, same state, same energy
        if not changed:
            converged = True
            break
    return AsyncResult(
        s, sweep, converged, np.array(energies) if record_energy else None
    )


def async_recall_batch(
    W, states, rng: np.random.Generator, max_sweeps: int = 100, bias=None
) -> AsyncResult:
    """:func:`async_recall` for a batch of independent cues in the same network.

    Row b follows its own random order each sweep, exactly as :func:`async_recall` would
    (for one row and the same seed the two give the same result). For speed a sweep
    jumps
    from flip to flip: between two flips no field changes, so the next unit to flip is
    the first *unstable* unit (:math:`s_i h_i < 0`) later in the row's order. A row
    stops when one of its sweeps changes nothing.

    W: (N, N); states: (B, N) of +-1; rng: numpy Generator; bias: (N,) or None.
    Returns state (B, N), sweeps (B,), converged (B,).
    """
    W = _as_weights(W)
    states = _as_states(W, states, name="states")
    if states.ndim != 2:
        raise ValueError(
            f"states must have shape (B, {W.shape[0]}) for async_recall_batch, "
            f"got {states.shape}"
        )
    max_sweeps = _check_cap("max_sweeps", max_sweeps)
    rng = _check_rng(rng)
    bias = _as_bias(W, bias)
    network = np.zeros(len(states), dtype=int)
    return _async_recall_stacked(W[None], bias[None], network, states, rng, max_sweeps)


def _async_recall_stacked(
    weights, biases, network, states, rng, max_sweeps
) -> AsyncResult:
    """The engine of :func:`async_recall_batch`, for rows that may belong to different
    networks.

    weights: (K, N, N); biases: (K, N); network: (B,) which network each row runs in;
    states: (B, N). Running many small networks in one call shares the Python overhead.
    """
    # W_columns[k, i] = W_k[:, i]
    W_columns = np.ascontiguousarray(weights.transpose(0, 2, 1))
    S = states.copy()
    n_states, n_units = S.shape
    h = np.empty_like(S)
    # h = W s + b, then kept current flip by flip
    for k in range(len(weights)):
        rows = network == k
        h[rows] = S[rows] @ weights[k].T + biases[k]
    sweeps = np.zeros(n_states, dtype=int)
    converged = np.zeros(n_states, dtype=bool)
    running = np.arange(n_states)
    for sweep in range(1, max_sweeps + 1):
        s, h_run, net = S[running], h[running], network[running]
        orders = rng.permuted(np.tile(np.arange(n_units), (len(running), 1)), axis=1)
        # position[b, i]: when row b visits unit i
        position = np.empty_like(orders)
        np.put_along_axis(
            position, orders, np.broadcast_to(np.arange(n_units), orders.shape), axis=1
        )
        visited_up_to = np.full(len(running), -1)
        changed = np.zeros(len(running), dtype=bool)
        # rows that may still flip in this sweep
        live = np.arange(len(running))
        while live.size:
            unstable = s[live] * h_run[live] < -TIE_TOLERANCE
            ahead = position[live] > visited_up_to[live, None]
            next_visit = np.where(unstable & ahead, position[live], n_units).min(axis=1)
            live, next_visit = (
                live[next_visit < n_units],
                next_visit[next_visit < n_units],
            )
            units = orders[live, next_visit]
            old = s[live, units]
            s[live, units] = -old
            # h += W[:, i] (s_new - s_old)
            h_run[live] -= 2.0 * old[:, None] * W_columns[net[live], units]
            visited_up_to[live] = next_visit
            changed[live] = True
        S[running], h[running] = s, h_run
        sweeps[running] = sweep
        converged[running[~changed]] = True
        running = running[changed]
        if running.size == 0:
            break
    return AsyncResult(S, sweeps, converged)


class SyncResult(NamedTuple):
    """Result of synchronous recall.

    state: final state(s); steps: parallel updates made; status: "fixed point",
    "2-cycle" (the state alternates between two states; ``state`` is the last of them)
    or "no convergence" (cap reached) -- a str, or an array of str for a batch.
    """

    state: np.ndarray
    steps: int | np.ndarray
    status: str | np.ndarray


def sync_recall(W, states, max_steps: int = 100, bias=None) -> SyncResult:
    """Synchronous (parallel) recall: all units at once,
    :math:`s(t+1) = \\mathrm{sign}(W s(t) + b)` with ties kept, until
    :math:`s(t+1) = s(t)` (fixed point) or :math:`s(t+1) = s(t-1)` (2-cycle; with
    symmetric W these are the only possible limits).

    W: (N, N); states: (N,) or (B, N) of +-1; max_steps: cap on parallel updates.
    """
    W = _as_weights(W)
    states = _as_states(W, states)
    max_steps = _check_cap("max_steps", max_steps)
    bias = _as_bias(W, bias)
    single = states.ndim == 1
    S = np.atleast_2d(states).copy()
    previous = np.full_like(S, np.nan)
    steps = np.zeros(len(S), dtype=int)
    status = np.full(len(S), "no convergence", dtype=object)
    running = np.arange(len(S))
    for step in range(1, max_steps + 1):
        s = S[running]
        new = update_sign(s @ W.T + bias, s)
        fixed = np.all(new == s, axis=1)
        cycle = ~fixed & np.all(new == previous[running], axis=1)
        previous[running], S[running] = s, new
        steps[running] = step
        status[running[fixed]] = "fixed point"
        status[running[cycle]] = "2-cycle"
        running = running[~(fixed | cycle)]
        if running.size == 0:
            break
    if single:
        return SyncResult(S[0], int(steps[0]), str(status[0]))
    return SyncResult(S, steps, status.astype(str))


# --------------------------------------------------------------------------------------
# Experiments: Hopfield (1982) Fig. 2 and the capacity sweep
# --------------------------------------------------------------------------------------

def errors_after_recall(
    patterns,
    rng: np.random.Generator,
    binary_neurons: bool = False,
    max_sweeps: int = 100,
    threshold_fraction: float = 0.0,
) -> np.ndarray:
    """Store each set of memories in its own network, start asynchronous recall at
    *each* memory, and count the bits wrong at the fixed point,
    :math:`N_{err}^\\mu = \\#\\{i : s_i \\ne \\xi_i^\\mu\\}`.

    patterns: (P, N) for one network, or (K, P, N) for K networks (run together,
    faster);
    binary_neurons: use Hopfield's 0/1 units (:func:`binary_neuron_bias`) instead of
    +-1 units; threshold_fraction: their threshold, as in :func:`binary_neuron_bias`
    (0: the paper's threshold 0).  Returns N_err: (P,) or (K, P) ints.
    """
    patterns = np.asarray(patterns, dtype=float)
    single = patterns.ndim == 2
    stacked = patterns[None] if single else patterns
    if stacked.ndim != 3:
        raise ValueError(
            f"patterns must have shape (P, N) or (K, P, N), got {patterns.shape}"
        )
    max_sweeps = _check_cap("max_sweeps", max_sweeps)
    rng = _check_rng(rng)
    n_networks, n_patterns, n_units = stacked.shape
    weights = np.stack([hebbian_weights(p) for p in stacked])
    biases = np.stack(
        [
            binary_neuron_bias(W, threshold_fraction)
            if binary_neurons
            else np.zeros(n_units)
            for W in weights
        ]
    )
    network = np.repeat(np.arange(n_networks), n_patterns)
    starts = stacked.reshape(-1, n_units)
    final = _async_recall_stacked(
        weights, biases, network, starts, rng, max_sweeps
    ).state
    errors = count_errors(starts, final).reshape(n_networks, n_patterns)
    return errors[0] if single else errors


def recall_error_counts(
    n_units: int,
    n_patterns: int,
    n_networks: int,
    rng: np.random.Generator,
    binary_neurons: bool = False,
    threshold_fraction: float = 0.0,
    balanced: bool = False,
) -> np.ndarray:
    """N_err after recall from every memory of ``n_networks`` random networks (the data
    of Hopfield 1982, Fig. 2).

    binary_neurons, threshold_fraction: as in :func:`errors_after_recall`; balanced:
    memories with exactly half their units on (:func:`random_patterns`).
    Returns (n_networks * n_patterns,) ints.
    """
    n_networks = _check_cap("n_networks", n_networks)
    patterns = np.stack(
        [
            random_patterns(n_patterns, n_units, rng, balanced=balanced)
            for _ in range(n_networks)
        ]
    )
    return errors_after_recall(
        patterns, rng, binary_neurons, threshold_fraction=threshold_fraction
    ).ravel()


def capacity_curve(n_units: int, loads, n_networks, rng: np.random.Generator,
                   tolerance: float = 0.01) -> dict[str, np.ndarray]:
    """Recall quality against the load :math:`\\alpha = P/N` (+-1 units, asynchronous
    recall started at each memory).

    loads: (K,) values of alpha, P = round(alpha * N); n_networks: an int or (K,) ints;
    tolerance: a memory counts as recalled when at most ``tolerance * N`` bits are
    wrong.
    Returns a dict of (K,) arrays: ``load`` (the actual P/N), ``n_patterns``,
    ``error_fraction`` (mean N_err / N), ``recalled_fraction`` and ``stable_fraction``
    (memories that are exact fixed points before any update).
    """
    loads = np.asarray(loads, dtype=float)
    n_networks = np.broadcast_to(np.asarray(n_networks), loads.shape)
    out = {
        key: np.zeros(len(loads))
        for key in (
            "load",
            "n_patterns",
            "error_fraction",
            "recalled_fraction",
            "stable_fraction",
        )
    }
    for k, (alpha, nets) in enumerate(zip(loads, n_networks)):
        n_patterns = max(1, int(round(alpha * n_units)))
        patterns = np.stack(
            [random_patterns(n_patterns, n_units, rng) for _ in range(int(nets))]
        )
        stable = [is_fixed_point(hebbian_weights(p), p) for p in patterns]
        errors = errors_after_recall(patterns, rng).ravel() / n_units
        out["load"][k] = n_patterns / n_units
        out["n_patterns"][k] = n_patterns
        out["error_fraction"][k] = errors.mean()
        out["recalled_fraction"][k] = np.mean(errors <= tolerance)
        out["stable_fraction"][k] = np.concatenate(stable).mean()
    return out


def crossing_point(x, y, level: float = 0.5) -> float:
    """The first x where the decreasing curve y(x) falls through ``level`` (linear
    interpolation);
    NaN if it never does."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    below = np.nonzero(y < level)[0]
    if below.size == 0 or below[0] == 0:
        return float("nan")
    k = below[0]
    return float(x[k - 1] + (y[k - 1] - level) * (x[k] - x[k - 1]) / (y[k - 1] - y[k]))


# --------------------------------------------------------------------------------------
# Small pictures to store: 10 x 10 letters ("#" = +1, "." = -1)
# --------------------------------------------------------------------------------------

GLYPHS: dict[str, tuple[str, ...]] = {
    "H": ("##......##", "##......##", "##......##", "##......##", "##########",
          "##########", "##......##", "##......##", "##......##", "##......##"),
    "O": ("..######..", ".########.", "###....###", "##......##", "##......##",
          "##......##", "##......##", "###....###", ".########.", "..######.."),
    "P": ("########..", "#########.", "##.....###", "##.....###", "#########.",
          "########..", "##........", "##........", "##........", "##........"),
    "T": ("##########", "##########", "....##....", "....##....", "....##....",
          "....##....", "....##....", "....##....", "....##....", "....##...."),
}


def glyph_patterns(letters: str = "HOPT") -> np.ndarray:
    """The 10 x 10 letters of :data:`GLYPHS` as memories.  Returns (len(letters), 100)
    of +-1;
    reshape a row to (10, 10) to draw it."""
    unknown = [letter for letter in letters if letter not in GLYPHS]
    if unknown:
        raise ValueError(
            f"letters must be drawn from {''.join(GLYPHS)}, got {unknown[0]!r}"
        )
    return np.array(
        [
            [1.0 if pixel == "#" else -1.0 for pixel in "".join(GLYPHS[letter])]
            for letter in letters
        ]
    )


# --------------------------------------------------------------------------------------
# Bidirectional associative memory (Kosko 1988)
# --------------------------------------------------------------------------------------

class BAMResult(NamedTuple):
    """x: (n,) and y: (m,) final pair; steps: half-steps made; converged: a stable pair
    was
    reached; energies: E(x, y) after every half-step (first entry: the starting
    pair)."""

    x: np.ndarray
    y: np.ndarray
    steps: int
    converged: bool
    energies: np.ndarray


def bam_weights(X, Y) -> np.ndarray:
    """Kosko's correlation matrix :math:`W = \\sum_k x^k y^{k\\top}`.

    X: (K, n) and Y: (K, m) of +-1, pair k in row k.  Returns W: (n, m).
    """
    X, Y = _as_patterns(X, "X"), _as_patterns(Y, "Y")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(
            f"X and Y must hold the same number of pairs (rows), got {X.shape[0]} "
            f"and {Y.shape[0]}"
        )
    return X.T @ Y


def bam_stable_pairs(X, Y) -> np.ndarray:
    """Which stored pairs are stable pairs of the BAM that stores them all.

    Pair k is stable when neither half-step of :func:`bam_recall` changes it:
    :math:`y^k = \\mathrm{sign}(W^\\top x^k)` and :math:`x^k = \\mathrm{sign}(W y^k)`
    (ties keep the current value), with ``W = bam_weights(X, Y)``.

    X: (K, n) and Y: (K, m) of +-1, pair k in row k.  Returns a bool array (K,).
    """
    W = bam_weights(X, Y)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    y_kept = np.all(update_sign(X @ W, Y) == Y, axis=1)
    x_kept = np.all(update_sign(Y @ W.T, X) == X, axis=1)
    return y_kept & x_kept


def bam_energy(W, x, y) -> float:
    """BAM energy :math:`E(x, y) = -x^\\top W y`.  W: (n, m); x: (n,); y: (m,)."""
    W = np.asarray(W, dtype=float)
    return float(-np.asarray(x, dtype=float) @ W @ np.asarray(y, dtype=float))


def bam_recall(W, x, y=None, max_steps: int = 100) -> BAMResult:
    """Back-and-forth recall: :math:`y \\leftarrow \\mathrm{sign}(W^\\top x)`,
    :math:`x \\leftarrow \\mathrm{sign}(W y)` (ties keep the current value) until
    neither layer changes. Each half-step can only lower :math:`E = -x^\\top W y`.

    W: (n, m); x: (n,) cue of +-1; y: (m,) starting y (default: all +1); max_steps: cap
    on half-steps.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 2:
        raise ValueError(f"W must be a matrix of shape (n, m), got shape {W.shape}")
    x = np.asarray(x, dtype=float).copy()
    if x.shape != (W.shape[0],):
        raise ValueError(
            f"x must have shape ({W.shape[0]},) to match W of shape {W.shape}, "
            f"got {x.shape}"
        )
    _check_plus_minus_one("x", x)
    y = np.ones(W.shape[1]) if y is None else np.asarray(y, dtype=float).copy()
    if y.shape != (W.shape[1],):
        raise ValueError(
            f"y must have shape ({W.shape[1]},) to match W of shape {W.shape}, "
            f"got {y.shape}"
        )
    _check_plus_minus_one("y", y)
    max_steps = _check_cap("max_steps", max_steps)
    energies = [bam_energy(W, x, y)]
    unchanged = 0
    for step in range(1, max_steps + 1):
        if step % 2:
            new = update_sign(W.T @ x, y)
            changed, y = np.any(new != y), new
        else:
            new = update_sign(W @ y, x)
            changed, x = np.any(new != x), new
        energies.append(bam_energy(W, x, y))
        unchanged = 0 if changed else unchanged + 1
        if unchanged == 2:          # both layers agree with each other
            return BAMResult(x, y, step, True, np.array(energies))
    return BAMResult(x, y, max_steps, False, np.array(energies))


# --------------------------------------------------------------------------------------
# Modern (continuous) Hopfield network, Ramsauer et al. (2021)
# --------------------------------------------------------------------------------------

def modern_update(patterns, states, beta: float) -> np.ndarray:
    """One update of the modern Hopfield network,
    :math:`\\xi^{new} = X\\, \\mathrm{softmax}(\\beta X^\\top \\xi)` with the memories
    as the columns of X -- attention with the state as query and the memories as keys
    and values.

    patterns: (P, N) memories; states: (N,) or (B, N), any real values; beta: inverse
    temperature > 0.  Returns the new states, same shape as ``states``.
    """
    patterns = np.asarray(patterns, dtype=float)
    states = np.asarray(states, dtype=float)
    if (
        patterns.ndim != 2
        or states.ndim not in (1, 2)
        or states.shape[-1] != patterns.shape[1]
    ):
        raise ValueError(
            f"patterns must be (P, N) and states (N,) or (B, N) with the same N, "
            f"got {patterns.shape} and {states.shape}"
        )
    if not beta > 0:
        raise ValueError(f"beta must be positive, got {beta!r}")
    # (B, P): similarity to every memory
    scores = beta * states @ patterns.T
    scores -= scores.max(axis=-1, keepdims=True)          # stable softmax
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ patterns
