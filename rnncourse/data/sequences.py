"""Three token tasks on which plain recurrence struggles and gated recurrence helps.

Each task isolates one situation from the first chapter ("Sequences and memory"):

* :func:`early_checksum` -- **an important early token**. The first token is a checksum
  of the last digits; the model must keep it, untouched, until the end of the sequence.
* :func:`irrelevant_tokens` -- **tokens to skip**. A few tokens carry the answer, the
  many filler tokens between them carry nothing, and the state should not change on
  them.
* :func:`logical_breaks` -- **a break that should reset the state**. A break token
  starts a new segment, and the per-step target depends only on the current segment.

Chapter 1's *hard case*, which later chapters revisit with gated networks, is the
checksum over every digit: :func:`parity_checksum`, trained on the lengths and with the
budget of :data:`PARITY_HARD_CASE` (batches from :func:`parity_batch`). In that
setting a small tanh RNN stays at chance where an LSTM of the same size learns the task.

Conventions shared by all three (those of the whole course):

* ``rng`` is a ``numpy.random.Generator`` (``np.random.default_rng(seed)``); the same
  seed gives the same arrays, bit for bit.
* Tokens are **time-major**: ``tokens`` has shape ``(T, B)`` for ``B`` sequences of
  length ``T``, dtype ``int64``, with values in ``0 .. vocabulary_size - 1``.
  ``one_hot(tokens, V)`` turns them into the ``(T, B, V)`` float inputs that
  ``torch.nn.RNN`` expects by default.
* Targets are ``int64`` class labels: shape ``(B,)`` for a many-to-one task, ``(T, B)``
  for a synchronised many-to-many task.
* ``marks`` (``(T, B)``, bool) flags the tokens that make the situation: the checksum,
  the relevant tokens, the breaks. Later chapters plot the gates at these positions.

Bad arguments raise ``ValueError`` naming the argument, what was expected and what came.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "TokenTask", "early_checksum", "irrelevant_tokens", "logical_breaks", "one_hot",
    "NEGATIVE", "POSITIVE", "FIRST_FILLER", "BREAK",
    "parity_checksum", "parity_batch", "HardCase", "PARITY_HARD_CASE",
]

# Token ids of irrelevant_tokens and logical_breaks.
NEGATIVE = 0      # a "negative" word (counts -1)
POSITIVE = 1      # a "positive" word (counts +1)
# irrelevant_tokens: ids 2, 3, ... are fillers that carry no information
FIRST_FILLER = 2
BREAK = 2         # logical_breaks: the token that starts a new segment


class TokenTask(NamedTuple):
    """A batch of a token task.

    tokens: (T, B) int64, the input tokens, time-major.
    targets: (B,) int64 for a many-to-one task, (T, B) int64 for a per-step task.
    marks: (T, B) bool, the positions that make the task's situation.
    vocabulary_size: number of distinct token ids (the ``V`` of ``one_hot``).
    """

    tokens: np.ndarray
    targets: np.ndarray
    marks: np.ndarray
    vocabulary_size: int


# --------------------------------------------------------------------------------------
# Argument checks (errors that say what was expected and what came)
# --------------------------------------------------------------------------------------

def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "rng must be a numpy.random.Generator (e.g. "
            f"np.random.default_rng(0)), got {type(rng).__name__}"
        )
    return rng


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(
            f"{name} must be an integer >= {minimum}, got {value!r} of type "
            f"{type(value).__name__}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


# --------------------------------------------------------------------------------------
# The three tasks
# --------------------------------------------------------------------------------------

def early_checksum(
    n_sequences: int,
    length: int,
    rng: np.random.Generator,
    modulus: int = 2,
    n_checked: int = 1,
) -> TokenTask:
    """Sequences whose first token claims a checksum of the last digits: is the claim
    right?

    Each sequence is ``c, d_1, ..., d_{T-1}``, like a packet whose header ``c`` carries
    a checksum of its payload. The digits ``d_t`` are drawn uniformly from
    ``0 .. modulus-1``; the payload is the last ``n_checked`` of them (K =
    ``n_checked``), and the digits before it are unchecked padding. Half of the
    sequences, at random places, carry the correct checksum (for odd B a fair coin
    decides whether the correct or the wrong ones are one more),

        c = (d_{T-K} + ... + d_{T-1}) mod modulus,

    the others a wrong value drawn uniformly from the remaining ``modulus - 1`` values.
    The target is 1 if the claim is correct and 0 if not (many-to-one). With the
    defaults (``modulus=2, n_checked=1``) the target is 1 when the first and the last
    bit agree; with ``n_checked = length - 1`` every digit is checked, and for
    ``modulus=2`` the target is 1 exactly when the whole sequence has even parity (much
    harder to learn).

    Any model that does not see the first token is at chance: given the digits alone, a
    correct and a wrong claim are equally likely. A recurrent model must carry ``c``
    through all ``T - 1`` later steps and compare it with the payload at the end.

    Args:
        n_sequences: B >= 1, the number of sequences.
        length: T >= 2, tokens per sequence (the checksum and T - 1 digits).
        rng: numpy.random.Generator.
        modulus: m >= 2; tokens take values 0 .. m-1 (the vocabulary size is m).
        n_checked: 1 <= K <= T - 1, how many final digits the checksum covers.

    Returns:
        TokenTask with tokens (T, B) int64, targets (B,) int64 in {0, 1}, and marks
        (T, B) bool that is True on the first row (the checksum) only.
    """
    n_sequences = _check_int("n_sequences", n_sequences, 1)
    length = _check_int("length", length, 2)
    modulus = _check_int("modulus", modulus, 2)
    n_checked = _check_int("n_checked", n_checked, 1)
    if n_checked > length - 1:
        raise ValueError(
            f"n_checked must be at most length - 1 = {length - 1} (the digits "
            "after the "
            f"checksum), got {n_checked}"
        )
    rng = _check_rng(rng)
    digits = rng.integers(0, modulus, size=(length - 1, n_sequences))
    checksum = digits[-n_checked:].sum(axis=0) % modulus
    # Balanced labels: half 0 and half 1; for odd B a coin decides which class has one
    # more.
    targets = rng.permutation((np.arange(n_sequences) + rng.integers(2)) % 2)
    # a wrong claim differs by 1..m-1
    offset = rng.integers(1, modulus, size=n_sequences)
    claim = np.where(targets == 1, checksum, (checksum + offset) % modulus)
    tokens = np.concatenate([claim[None, :], digits]).astype(np.int64)
    marks = np.zeros(tokens.shape, dtype=bool)
    marks[0] = True
    return TokenTask(tokens, targets.astype(np.int64), marks, modulus)


def parity_checksum(
    n_sequences: int, length: int, rng: np.random.Generator
) -> TokenTask:
    """:func:`early_checksum` with every digit checked: the parity of a bit sequence.

    ``modulus=2, n_checked=length - 1``: the header claims the parity of all ``T - 1``
    digits after it, so the target is 1 exactly when the whole sequence (header
    included) has an even number of ones. A recurrent model must flip its state at every
    1 it reads and carry the result to the end; no single token, and no window that
    misses a single token, says anything about the answer.

    Returns TokenTask with tokens (T, B) int64 in {0, 1}, targets (B,) int64 and marks
    (T, B) (the header row), as :func:`early_checksum`.
    """
    length = _check_int("length", length, 2)
    return early_checksum(n_sequences, length, rng, modulus=2, n_checked=length - 1)


class HardCase(NamedTuple):
    """A training setting for :func:`parity_checksum`: data, model size and budget.

    Every field is what chapter 1 uses for its hard case, so that a later chapter can
    train another model in the same setting and compare (same generator, same budget):

    min_length, max_length: each training batch has one length, drawn uniformly from
    ``min_length .. max_length`` (both included); batch_size: sequences per batch;
    steps: optimiser steps (Adam, learning rate ``learning_rate``, no clipping);
    hidden_size: units of the recurrent layer, read out from its last state by a linear
    layer with 2 outputs and trained with cross-entropy; test_lengths: the lengths at
    which accuracy is measured, on ``test_sequences`` fresh sequences each.
    """

    min_length: int = 2
    max_length: int = 20
    batch_size: int = 64
    steps: int = 1000
    learning_rate: float = 0.01
    hidden_size: int = 16
    test_lengths: tuple[int, ...] = (5, 10, 20, 40)
    test_sequences: int = 1000


# Chapter 1's hard case: a 16-unit tanh RNN stays at chance here at every test length
# (six of six seeds, measured for chapter 1), while an LSTM of the same size learns it.
PARITY_HARD_CASE = HardCase()


def parity_batch(
    rng: np.random.Generator, setting: HardCase = PARITY_HARD_CASE
) -> TokenTask:
    """One training batch of the hard case: ``setting.batch_size`` parity sequences of
    one length drawn uniformly from ``setting.min_length .. setting.max_length`` with
    ``rng`` (then the sequences, from the same ``rng``).

    Returns the :class:`TokenTask` of :func:`parity_checksum`.
    """
    rng = _check_rng(rng)
    if not isinstance(setting, HardCase):
        raise ValueError(
            f"setting must be a HardCase (e.g. PARITY_HARD_CASE), got "
            f"{type(setting).__name__}"
        )
    if not 2 <= setting.min_length <= setting.max_length:
        raise ValueError(
            "setting needs 2 <= min_length <= max_length, got "
            f"min_length={setting.min_length}, max_length={setting.max_length}"
        )
    length = int(rng.integers(setting.min_length, setting.max_length + 1))
    return parity_checksum(setting.batch_size, length, rng)


def irrelevant_tokens(
    n_sequences: int,
    length: int,
    rng: np.random.Generator,
    n_relevant: int = 3,
    n_fillers: int = 8,
) -> TokenTask:
    """Sentiment of a few relevant words hidden among many irrelevant filler tokens.

    Each sequence holds ``n_relevant`` relevant tokens at random positions, each
    ``NEGATIVE`` (id 0) or ``POSITIVE`` (id 1) with probability 1/2; every other
    position holds a filler token drawn uniformly from ids ``2 .. n_fillers+1`` (think
    of the markup around the words of a web page). The target is the majority sentiment:

        y = 1  if  #POSITIVE > #NEGATIVE  else  0        (n_relevant is odd: no ties).

    The fillers carry no information. A model does best by leaving its state unchanged
    on them; a plain recurrent layer cannot, because it applies ``tanh(W_hh h + ...)``
    at every step, relevant or not.

    Args:
        n_sequences: B >= 1.
        length: T >= n_relevant, tokens per sequence.
        rng: numpy.random.Generator.
        n_relevant: odd number >= 1 of relevant tokens per sequence.
        n_fillers: number >= 1 of distinct filler tokens.

    Returns:
        TokenTask with tokens (T, B) int64 in 0 .. n_fillers+1, targets (B,) int64 in
        {0, 1}, and marks (T, B) bool, True at the relevant tokens (``n_relevant`` per
        column).
    """
    n_sequences = _check_int("n_sequences", n_sequences, 1)
    n_relevant = _check_int("n_relevant", n_relevant, 1)
    if n_relevant % 2 == 0:
        raise ValueError(
            "n_relevant must be odd, so that the majority is never a tie, got "
            f"{n_relevant}"
        )
    length = _check_int("length", length, n_relevant)
    n_fillers = _check_int("n_fillers", n_fillers, 1)
    rng = _check_rng(rng)
    tokens = rng.integers(
        FIRST_FILLER, FIRST_FILLER + n_fillers, size=(length, n_sequences)
    )
    # Relevant positions: the first n_relevant entries of an independent random order
    # per column.
    positions = np.argsort(rng.random((length, n_sequences)), axis=0)[:n_relevant]
    marks = np.zeros((length, n_sequences), dtype=bool)
    np.put_along_axis(marks, positions, True, axis=0)
    words = rng.integers(NEGATIVE, POSITIVE + 1, size=(n_relevant, n_sequences))
    np.put_along_axis(tokens, positions, words, axis=0)
    targets = (2 * words.sum(axis=0) > n_relevant).astype(np.int64)
    return TokenTask(tokens.astype(np.int64), targets, marks, FIRST_FILLER + n_fillers)


def logical_breaks(
    n_sequences: int,
    length: int,
    rng: np.random.Generator,
    break_probability: float = 0.1,
    positive_probability: float = 0.5,
) -> TokenTask:
    """Running majority within segments that break tokens separate (a per-step task).

    Every token is ``BREAK`` (id 2) with probability ``break_probability``, else
    ``POSITIVE`` (id 1) with probability ``positive_probability`` and ``NEGATIVE``
    (id 0) otherwise. A break starts a new segment, like a new chapter of a book or a
    change of regime in a market. The target at step t counts only the current segment,
    from the last break up to and including step t:

        s_t = #POSITIVE - #NEGATIVE since the last break,     y_t = 1 if s_t > 0 else 0

    (so ``y_t = 0`` on a break itself and on ties). Before the first break the segment
    starts at t = 0. A model that carries its count across a break is wrong right after
    it; a model must learn to *reset* its state at every break.

    Args:
        n_sequences: B >= 1.
        length: T >= 1.
        rng: numpy.random.Generator.
        break_probability: in [0, 1), the chance that a token is a break.
        positive_probability: in [0, 1], the chance that a non-break token is POSITIVE.

    Returns:
        TokenTask with tokens (T, B) int64 in {0, 1, 2}, targets (T, B) int64 in {0, 1},
        and
        marks (T, B) bool, True at the breaks.
    """
    n_sequences = _check_int("n_sequences", n_sequences, 1)
    length = _check_int("length", length, 1)
    if not 0.0 <= float(break_probability) < 1.0:
        raise ValueError(
            f"break_probability must be in [0, 1), got {break_probability}"
        )
    if not 0.0 <= float(positive_probability) <= 1.0:
        raise ValueError(
            f"positive_probability must be in [0, 1], got {positive_probability}"
        )
    rng = _check_rng(rng)
    is_break = rng.random((length, n_sequences)) < break_probability
    is_positive = rng.random((length, n_sequences)) < positive_probability
    tokens = np.where(
        is_break, BREAK, np.where(is_positive, POSITIVE, NEGATIVE)
    ).astype(np.int64)
    # Per-step count, then subtract the running total at the latest break (a segmented
    # cumsum).
    step = np.where(is_break, 0, np.where(is_positive, 1, -1))
    total = np.cumsum(step, axis=0)
    total_at_last_break = np.maximum.accumulate(
        np.where(is_break, np.arange(length)[:, None], -1), axis=0
    )
    base = np.where(
        total_at_last_break >= 0,
        np.take_along_axis(total, np.maximum(total_at_last_break, 0), axis=0),
        0,
    )
    targets = (total - base > 0).astype(np.int64)
    return TokenTask(tokens, targets, is_break, 3)


def one_hot(tokens, vocabulary_size: int) -> np.ndarray:
    """One-hot encode integer tokens: (...,) int -> (..., vocabulary_size) float32.

    ``one_hot(task.tokens, task.vocabulary_size)`` gives the (T, B, V) input of a
    recurrent layer. Tokens outside 0 .. vocabulary_size-1 raise ValueError.
    """
    vocabulary_size = _check_int("vocabulary_size", vocabulary_size, 1)
    tokens = np.asarray(tokens)
    if not np.issubdtype(tokens.dtype, np.integer):
        raise ValueError(f"tokens must be integers, got dtype {tokens.dtype}")
    if tokens.size and (tokens.min() < 0 or tokens.max() >= vocabulary_size):
        raise ValueError(
            f"tokens must lie in 0 .. {vocabulary_size - 1} for "
            f"vocabulary_size={vocabulary_size}, "
            f"got values from {tokens.min()} to {tokens.max()}"
        )
    return np.eye(vocabulary_size, dtype=np.float32)[tokens]
