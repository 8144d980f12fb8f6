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
"""

from . import elman, mackey_glass, sequences, synthetic, text, timeline  # noqa: F401
