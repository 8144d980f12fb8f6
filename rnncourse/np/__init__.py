"""NumPy reference implementations: forward and backward passes written out by hand.

Submodules
----------
hopfield
    Hopfield networks: Hebbian storage, energy, asynchronous and synchronous recall.
"""

from . import hopfield  # noqa: F401
