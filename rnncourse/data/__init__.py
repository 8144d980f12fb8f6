"""Synthetic tasks and small offline corpora used by the chapters and assignments.

Every generator takes an explicit ``rng`` (``numpy.random.Generator``) or ``seed``, so that
the chapters are deterministic, and documents where its task comes from.
"""
