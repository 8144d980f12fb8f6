"""The long-time-lag tasks of the LSTM papers, generated exactly as the papers describe.

adding_problem
    Hochreiter & Schmidhuber (1997), Experiment 4 (Section 5.4, Table 7).
temporal_order_problem
    Hochreiter & Schmidhuber (1997), Experiment 6a (Section 5.6, Table 9).
reber_string, embedded_reber_string, continual_reber_stream
    The Reber grammar (Reber 1967, in the form of the LSTM papers), the embedded Reber
    grammar (Hochreiter & Schmidhuber 1997, Experiment 1) and the continual embedded
    Reber grammar of Gers, Schmidhuber & Cummins (2000): embedded strings concatenated
    into one stream with no marker of where a string ends.
ReberAutomaton, next_symbol_sets, is_reber, is_embedded_reber, is_continual_stream
    The grammars as a finite automaton: it accepts exactly the grammar's strings and
    gives, at every position, the set of symbols that may come next (the targets of
    next-symbol prediction).

How these differ from :mod:`rnncourse.data.synthetic` (chapter 5): there, ``adding``
is the later common form (Le et al. 2015: values in [0, 1], fixed length T, one mark in
each half, target the plain sum) and ``temporal_order`` the form of Pascanu et al.'s
code (6 symbols, fixed length, windows at 10 % and 50 % of T). Here the tasks are the
1997 paper's own: variable lengths, the paper's symbols, marker values, positions and
targets.

Sequences of different lengths share one array: they are padded with zeros at the
**end**, and ``lengths`` says where each one stops, so that a model reads its output at
step ``lengths[b] - 1`` (the padding comes after that step and cannot affect it).
Arrays are time-major, ``(T, B, D)``, as everywhere in the course.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .sequences import _check_int, _check_rng

__all__ = [
    "AddingBatch", "adding_problem", "ADDING_TOLERANCE",
    "TemporalOrderBatch", "temporal_order_problem", "TEMPORAL_ORDER_INPUTS",
    "TEMPORAL_ORDER_CLASSES",
    "REBER_SYMBOLS", "REBER_GRAPH", "ReberAutomaton", "reber_string",
    "embedded_reber_string", "continual_reber_stream", "next_symbol_sets",
    "is_reber", "is_embedded_reber", "is_continual_stream", "encode", "decode",
]

# A sequence of the adding problem is processed correctly if the absolute error of the
# output at its last step is below this (Hochreiter & Schmidhuber 1997, Section 5.4).
ADDING_TOLERANCE = 0.04


# --------------------------------------------------------------------------------------
# Experiment 4: the adding problem
# --------------------------------------------------------------------------------------

class AddingBatch(NamedTuple):
    """A batch of the adding problem.

    x: (T + T // 10, B, 2) float64, pairs (value, marker), zero after each sequence's
    end; y: (B,) targets 0.5 + (X1 + X2) / 4; lengths: (B,) int64 in [T, T + T // 10];
    marked: (2, B) int64, the positions of X1 (row 0) and X2 (row 1).
    """

    x: np.ndarray
    y: np.ndarray
    lengths: np.ndarray
    marked: np.ndarray


def adding_problem(n_sequences: int, T: int, rng: np.random.Generator) -> AddingBatch:
    """Hochreiter & Schmidhuber's (1997) adding problem, Experiment 4, as the paper
    states it.

    Every element of a sequence is a pair (value, marker):

    * the value is drawn uniformly from [−1, 1];
    * the length is a random integer in [T, T + T/10] (``T // 10``);
    * one of the first ten pairs is marked (marker 1.0): its value is X1; then one of
      the first T/2 − 1 pairs that are still unmarked is marked: its value is X2;
    * every other marker is 0.0, except those of the first and the last pair, which are
      −1.0. In the rare case that the first pair is one of the marked ones, its marker
      stays −1.0 and its value counts as zero (the paper: "we set X1 to zero"); we
      also set the value itself to 0 in the input;
    * the target, given at the last step only, is 0.5 + (X1 + X2) / 4, the sum scaled
      into [0, 1]. An output is correct if its absolute error is below 0.04
      (``ADDING_TOLERANCE``).

    The first pair is X1 with probability 1/10 and X2 with probability
    (9/10) / (T/2 − 1), so the "rare case" is not rare. The minimal time lag from X2
    to the end is T/2. The best constant output is the mean 0.5, and its mean squared
    error is Var(target) = (Var X1 + Var X2) / 16: (2/3) / 16 ≈ 0.042 if both values
    always counted, ≈ 0.039 at T = 100 with the zeroed first pair.

    Args:
        n_sequences: B >= 1.
        T: the minimal length, an even integer >= 22 (so that the first T/2 − 1 pairs
           hold the first ten).
        rng: numpy.random.Generator.

    Returns:
        :class:`AddingBatch` with x padded with zeros after each sequence's end.
    """
    n_sequences = _check_int("n_sequences", n_sequences, 1)
    T = _check_int("T", T, 22)
    if T % 2:
        raise ValueError(f"T must be even (the paper marks among the first T/2 - 1 "
                         f"pairs), got {T}")
    rng = _check_rng(rng)
    B, longest, half = n_sequences, T + T // 10, T // 2
    batch = np.arange(B)
    lengths = rng.integers(T, longest + 1, size=B)
    x = np.zeros((longest, B, 2))
    x[:, :, 0] = rng.uniform(-1.0, 1.0, size=(longest, B))
    x[np.arange(longest)[:, None] >= lengths[None, :]] = 0.0   # padding after the end
    first = rng.integers(0, 10, size=B)
    # the first T/2 - 1 still unmarked pairs: positions 0 ... T/2 - 1 without `first`
    k = rng.integers(0, half - 1, size=B)
    second = k + (k >= first)
    x[first, batch, 1] = 1.0
    x[second, batch, 1] = 1.0
    x[0, :, 1] = -1.0
    x[lengths - 1, batch, 1] = -1.0
    x[0, :, 0] = np.where((first == 0) | (second == 0), 0.0, x[0, :, 0])
    y = 0.5 + (x[first, batch, 0] + x[second, batch, 0]) / 4.0
    return AddingBatch(x, y, lengths.astype(np.int64), np.stack([first, second]))


# --------------------------------------------------------------------------------------
# Experiment 6a: the temporal order problem
# --------------------------------------------------------------------------------------

# Input channel k of the one-hot code is symbol TEMPORAL_ORDER_INPUTS[k].
TEMPORAL_ORDER_INPUTS = "EBabcdXY"
# Class k: the ordered pair of relevant symbols it stands for, and its name in the
# paper.
TEMPORAL_ORDER_CLASSES = {
    0: ("XX", "Q"), 1: ("XY", "R"), 2: ("YX", "S"), 3: ("YY", "U"),
}


class TemporalOrderBatch(NamedTuple):
    """A batch of the temporal order problem.

    x: (max length, B, 8) one-hot float64 (channels ``TEMPORAL_ORDER_INPUTS``), zero
    after each sequence's end; y: (B,) int64 classes 0 ... 3 (Q, R, S, U); lengths: (B,)
    int64; positions: (2, B) int64, t1 and t2.
    """

    x: np.ndarray
    y: np.ndarray
    lengths: np.ndarray
    positions: np.ndarray


def temporal_order_problem(
    n_sequences: int,
    rng: np.random.Generator,
    length=(100, 110),
    t1=(10, 20),
    t2=(50, 60),
) -> TemporalOrderBatch:
    """Hochreiter & Schmidhuber's (1997) temporal order problem, Experiment 6a.

    A sequence starts with E and ends with the trigger symbol B; every other element is
    drawn from {a, b, c, d}, except the elements at positions t1 and t2, which are X or
    Y. Its length is a random integer in ``length`` (inclusive; the paper: 100 to 110),
    t1 in ``t1`` (10 to 20) and t2 in ``t2`` (50 to 60), counted from 0 at the E. The
    class is the ordered pair: XX → Q (0), XY → R (1), YX → S (2), YY → U (3). The
    paper's network has 8 inputs and 4 outputs and counts a sequence as correct if the
    final absolute error of every output is below 0.3.

    Args:
        n_sequences: B >= 1.
        rng: numpy.random.Generator.
        length, t1, t2: (low, high) inclusive ranges, with 1 <= t1 < t2 and
            t2 < length[0] - 1 (the relevant symbols come after E and before B).

    Returns:
        :class:`TemporalOrderBatch`, padded with zeros after each sequence's end.
    """
    n_sequences = _check_int("n_sequences", n_sequences, 1)
    rng = _check_rng(rng)
    ranges = {"length": length, "t1": t1, "t2": t2}
    for name, r in ranges.items():
        if len(r) != 2 or not all(isinstance(v, (int, np.integer)) for v in r) or \
                r[0] > r[1]:
            raise ValueError(f"{name} must be a pair (low, high) of integers with "
                             f"low <= high, got {r!r}")
    if not (1 <= t1[0] and t1[1] < t2[0] and t2[1] < length[0] - 1):
        raise ValueError(
            "the ranges must satisfy 1 <= t1 < t2 < length - 1 (after the E, before "
            f"the trigger B), got length={length}, t1={t1}, t2={t2}"
        )
    B = n_sequences
    batch = np.arange(B)
    lengths = rng.integers(length[0], length[1] + 1, size=B)
    p1 = rng.integers(t1[0], t1[1] + 1, size=B)
    p2 = rng.integers(t2[0], t2[1] + 1, size=B)
    v1, v2 = rng.integers(0, 2, size=B), rng.integers(0, 2, size=B)   # 0 = X, 1 = Y
    symbols = rng.integers(2, 6, size=(length[1], B))                   # a, b, c, d
    symbols[0] = 0                                                      # E
    symbols[lengths - 1, batch] = 1                                     # B (trigger)
    symbols[p1, batch] = 6 + v1
    symbols[p2, batch] = 6 + v2
    x = np.eye(8)[symbols]
    x[np.arange(length[1])[:, None] >= lengths[None, :]] = 0.0
    return TemporalOrderBatch(x, (2 * v1 + v2).astype(np.int64),
                              lengths.astype(np.int64), np.stack([p1, p2]))


# --------------------------------------------------------------------------------------
# The Reber grammars
# --------------------------------------------------------------------------------------

REBER_SYMBOLS = "BTPSXVE"        # channel k of the one-hot code is symbol k
# The Reber graph: from each node, (symbol, next node); each edge has probability 1/2.
# Node 0 expects the B, node 6 the E; after the E the string is over (node None).
REBER_GRAPH = {
    0: (("B", 1),),
    1: (("T", 2), ("P", 3)),
    2: (("S", 2), ("X", 4)),
    3: (("T", 3), ("V", 5)),
    4: (("X", 3), ("S", 6)),
    5: (("P", 4), ("V", 6)),
    6: (("E", None),),
}


def reber_string(rng: np.random.Generator) -> str:
    """One string of the Reber grammar, e.g. ``"BTSSXXTVVE"``: a random walk through
    :data:`REBER_GRAPH`, each of the two edges of a node taken with probability 1/2."""
    rng = _check_rng(rng)
    node, out = 0, []
    while node is not None:
        edges = REBER_GRAPH[node]
        symbol, node = edges[rng.integers(len(edges))] if len(edges) > 1 else edges[0]
        out.append(symbol)
    return "".join(out)


def embedded_reber_string(rng: np.random.Generator) -> str:
    """One string of the embedded Reber grammar: B, then T or P (probability 1/2), a
    Reber string, the *same* T or P again, and E; e.g. ``"BTBPVVETE"``.

    The second T/P is the long-lag part: it can only be predicted by remembering the
    first one across the whole embedded Reber string (at least 5 symbols).
    """
    rng = _check_rng(rng)
    branch = "TP"[rng.integers(2)]
    return "B" + branch + reber_string(rng) + branch + "E"


def continual_reber_stream(n_symbols: int, rng: np.random.Generator) -> str:
    """The first ``n_symbols`` symbols of a continual embedded Reber stream (Gers et al.
    2000): embedded Reber strings, one after the other, with nothing between them and
    no signal of where one ends (the last string may be cut off)."""
    n_symbols = _check_int("n_symbols", n_symbols, 1)
    rng = _check_rng(rng)
    pieces, total = [], 0
    while total < n_symbols:
        pieces.append(embedded_reber_string(rng))
        total += len(pieces[-1])
    return "".join(pieces)[:n_symbols]


class ReberAutomaton:
    """The (embedded, continual) Reber grammar as a finite automaton.

    ``embedded=False``: the plain Reber grammar. ``embedded=True``: B, T|P, a Reber
    string, the same T|P, E. ``continual=True`` (embedded only): after the final E a
    new embedded string begins. The state is ``(phase, branch, node)``; ``allowed()``
    is the set of symbols that may come next, and ``step(symbol)`` moves on or raises
    ``ValueError`` for a symbol the grammar does not allow there.
    """

    def __init__(self, embedded: bool = True, continual: bool = False):
        if continual and not embedded:
            raise ValueError("a continual stream is made of embedded Reber strings: "
                             "use embedded=True with continual=True")
        self.embedded, self.continual = embedded, continual
        self.reset()

    def reset(self):
        # phases of the embedded grammar: "start" (expects B), "branch" (T or P),
        # "inner" (a Reber string at graph node `node`), "repeat" (the same T/P),
        # "end" (E), "done" (nothing more)
        self.phase = "start" if self.embedded else "inner"
        self.branch, self.node = None, 0

    def allowed(self) -> frozenset:
        if self.phase == "start":
            return frozenset("B")
        if self.phase == "branch":
            return frozenset("TP")
        if self.phase == "inner":
            return frozenset(symbol for symbol, _ in REBER_GRAPH[self.node])
        if self.phase == "repeat":
            return frozenset(self.branch)
        if self.phase == "end":
            return frozenset("E")
        return frozenset()

    def step(self, symbol: str):
        if symbol not in self.allowed():
            raise ValueError(
                f"symbol {symbol!r} is not allowed here; the grammar allows "
                f"{sorted(self.allowed())}"
            )
        if self.phase == "start":
            self.phase = "branch"
        elif self.phase == "branch":
            self.branch, self.phase, self.node = symbol, "inner", 0
        elif self.phase == "inner":
            self.node = dict(REBER_GRAPH[self.node])[symbol]
            if self.node is None:
                self.phase = "repeat" if self.embedded else "done"
        elif self.phase == "repeat":
            self.phase = "end"
        elif self.phase == "end":
            self.phase, self.branch = ("start" if self.continual else "done"), None

    @property
    def complete(self) -> bool:
        """True where a whole string (or, continual, a whole number of strings) ends."""
        return self.phase == "done" or (self.continual and self.phase == "start")


def _accepts(string, automaton: ReberAutomaton, prefix_ok: bool) -> bool:
    for symbol in string:
        try:
            automaton.step(symbol)
        except ValueError:
            return False
    return prefix_ok or automaton.complete


def is_reber(string: str) -> bool:
    """True if ``string`` is a (whole) string of the Reber grammar."""
    return _accepts(string, ReberAutomaton(embedded=False), prefix_ok=False)


def is_embedded_reber(string: str) -> bool:
    """True if ``string`` is a (whole) string of the embedded Reber grammar."""
    return _accepts(string, ReberAutomaton(embedded=True), prefix_ok=False)


def is_continual_stream(stream: str) -> bool:
    """True if ``stream`` is a start of a continual embedded Reber stream (embedded
    strings back to back; the last one may be cut off)."""
    return _accepts(stream, ReberAutomaton(embedded=True, continual=True),
                    prefix_ok=True)


def _transition_table(embedded: bool, continual: bool):
    """The automaton as integer tables: states numbered in the order they are met,
    ``step[state][symbol index]`` (−1 where the grammar forbids the symbol) and
    ``allowed[state]`` (7 floats, 1 for the symbols that may come next)."""
    key = (embedded, continual)
    if key in _TABLES:
        return _TABLES[key]
    start = ReberAutomaton(embedded, continual)
    names = {(start.phase, start.branch, start.node): 0}
    steps, allowed, queue = [], [], [(start.phase, start.branch, start.node)]
    while queue:
        phase, branch, node = queue.pop(0)
        automaton = ReberAutomaton(embedded, continual)
        automaton.phase, automaton.branch, automaton.node = phase, branch, node
        mask = automaton.allowed()
        allowed.append([1.0 if s in mask else 0.0 for s in REBER_SYMBOLS])
        row = []
        for symbol in REBER_SYMBOLS:
            if symbol not in mask:
                row.append(-1)
                continue
            after = ReberAutomaton(embedded, continual)
            after.phase, after.branch, after.node = phase, branch, node
            after.step(symbol)
            target = (after.phase, after.branch, after.node)
            if target not in names:
                names[target] = len(names)
                queue.append(target)
            row.append(names[target])
        steps.append(row)
    _TABLES[key] = (steps, np.array(allowed))
    return _TABLES[key]


_TABLES: dict = {}


def next_symbol_sets(stream: str, embedded: bool = True,
                     continual: bool = True) -> np.ndarray:
    """The targets of next-symbol prediction: which symbols may follow each position.

    Returns (len(stream), 7) float64 with entry [t, k] = 1 if symbol
    ``REBER_SYMBOLS[k]`` may come right after ``stream[:t + 1]``. Raises ``ValueError``
    at the first symbol the grammar does not allow. (The automaton runs as a table of
    its states, :class:`ReberAutomaton` numbered once, so long streams are fast.)
    """
    steps, allowed = _transition_table(embedded, continual)
    index = {s: k for k, s in enumerate(REBER_SYMBOLS)}
    states = np.empty(len(stream), dtype=np.int64)
    state = 0
    for t, symbol in enumerate(stream):
        nxt = steps[state][index[symbol]] if symbol in index else -1
        if nxt < 0:
            expected = [s for s, v in zip(REBER_SYMBOLS, allowed[state]) if v]
            raise ValueError(f"position {t} of the stream: symbol {symbol!r} is not "
                             f"allowed here; the grammar allows {expected}")
        states[t] = state = nxt
    return allowed[states]


def encode(string: str) -> np.ndarray:
    """One-hot code of a Reber string: (len(string), 7) float64, channels
    ``REBER_SYMBOLS``."""
    unknown = sorted(set(string) - set(REBER_SYMBOLS))
    if unknown:
        raise ValueError(f"string must use the symbols {REBER_SYMBOLS!r}, got "
                         f"{unknown}")
    index = np.fromiter((REBER_SYMBOLS.index(s) for s in string), dtype=np.int64,
                        count=len(string))
    return np.eye(len(REBER_SYMBOLS))[index]


def decode(one_hot) -> str:
    """The string of a one-hot code (..., 7): the inverse of :func:`encode`."""
    one_hot = np.asarray(one_hot)
    if one_hot.ndim != 2 or one_hot.shape[1] != len(REBER_SYMBOLS):
        raise ValueError(f"one_hot must have shape (length, {len(REBER_SYMBOLS)}), got "
                         f"{one_hot.shape}")
    return "".join(REBER_SYMBOLS[k] for k in one_hot.argmax(1))
