"""Reference implementations for *Recurrent Neural Networks, from Hopfield to seq2seq*.

Subpackages
-----------
rnncourse.np
    NumPy implementations with hand-written forward and backward passes.
rnncourse.torch
    From-scratch PyTorch modules that load ``torch.nn`` state dicts.
rnncourse.plotting
    The one figure style every chapter uses.
"""

__version__ = "0.1.0"
