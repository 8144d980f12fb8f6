"""From-scratch PyTorch recurrent modules, drop-in for ``torch.nn``.

Every class here has the constructor, ``forward``, initialisation and ``state_dict``
keys of its ``torch.nn`` namesake, so a learner can load weights from one into the
other and compare outputs and gradients::

    theirs = torch.nn.LSTM(10, 20, num_layers=2)
    ours = rnncourse.torch.LSTM(10, 20, num_layers=2)
    ours.load_state_dict(theirs.state_dict())

Contents
--------
RNNCell, LSTMCell, GRUCell
    One time step (``cells``), built on the step functions ``rnn_step``, ``lstm_step``,
    ``gru_step``.
RNN, LSTM, GRU
    Whole sequences, multi-layer, bidirectional, batch_first (``rnn``).
fused_lstm, LSTMFunction
    One LSTM layer over a whole sequence as a single autograd node with a hand-derived
    backward pass (``fused_lstm``); the default fast path of ``LSTM``.

The package is called ``rnncourse.torch``; inside it ``import torch`` is the real
PyTorch (absolute imports).
"""

from .cells import GRUCell, LSTMCell, RNNCell, gru_step, lstm_step, rnn_step
from .fused_lstm import LSTMFunction, fused_lstm
from .rnn import GRU, LSTM, RNN

__all__ = [
    "RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU",
    "rnn_step", "lstm_step", "gru_step", "fused_lstm", "LSTMFunction",
]
