"""NumPy reference implementations: forward and backward passes written out by hand.

Submodules
----------
hopfield
    Hopfield networks: Hebbian storage, energy, asynchronous and synchronous recall.
rnn
    The simple (Elman) RNN with tanh or relu: one step and whole sequences,
    forward and backward (``rnn_step_forward``, ``rnn_forward``, ...).
lstm
    Long short-term memory, gates i, f, g, o (``lstm_step_forward``, ``lstm_forward``,
    ...).
gru
    Gated recurrent units, gates r, z, n: torch's variant (``gru_step_forward``,
    ``gru_forward``, ...) and Cho et al.'s (``gru_cho_step_forward``, ...).
gradcheck
    Gradient checking: ``rel_error`` and the central-difference ``numerical_gradient``.
elman
    Jordan's and Elman's networks, trained as Elman (1990) did (chapter 3).
charlm
    A character-level language model: softmax cross-entropy over time, training with
    truncated BPTT, sampling with temperature (chapter 4).
gradients
    Jacobian products, gradient clipping by global norm, spectral-radius rescaling and
    orthogonal, identity and Xavier initialisation (chapter 5).
esn
    Echo state networks: reservoir, ridge readout, free-running generation, NRMSE
    (chapter 6).

All recurrent functions use PyTorch's parameter layout (``W_ih`` (G·H, D), ``W_hh``
(G·H, H), ``b_ih`` and ``b_hh`` (G·H,)), time-major inputs (T, B, D), and pair a
forward that returns a ``cache`` with a backward that takes it.
"""

from . import charlm, elman, esn, gradients, hopfield  # noqa: F401
from .gradcheck import numerical_gradient, rel_error  # noqa: F401
from .gru import (  # noqa: F401
    gru_backward,
    gru_cho_step_backward,
    gru_cho_step_forward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
)
from .lstm import (  # noqa: F401
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
)
from .rnn import (  # noqa: F401
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)
