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
fused_lstm, LSTMFunction, fused_rnn, RNNFunction
    One LSTM (``fused_lstm``) or Elman RNN (``fused_rnn``) layer over a whole sequence
    as a single autograd node with a hand-derived backward pass; the default fast path
    of ``LSTM`` and ``RNN``.

Modules of the chapters (loaded on first use, e.g. ``rnncourse.torch.seq2seq``)
-----------------------------------------------------------------------------
gradients
    Jacobian products, gradient norms and clipping experiments (chapter 5).
lstm_variants, continual
    The 1997 LSTM without a forget gate, peepholes, many LSTMs trained at once;
    continual prediction on an endless symbol stream (chapter 7).
ensemble_rnn
    Many small tanh RNNs trained at once, stacked or bidirectional (chapters 7 and 9).
sequence_models
    The GRU chapter's piano-roll and three-situation models on ``torch.nn`` layers
    (chapter 8).
pixelrnn
    A pixel-by-pixel recurrent model of 8 × 8 digits (chapter 9).
word_lm
    A word-level LSTM language model with truncated BPTT and dropout (chapter 10).
seq2seq
    Encoder–decoders with and without additive attention, greedy and beam decoding
    (chapters 11 and 12).
convlstm
    The convolutional LSTM and its encoder–forecaster (chapter 13).
scan
    Linear recurrences, the parallel scan, minGRU and minLSTM (chapter 14).

The package is called ``rnncourse.torch``; inside it ``import torch`` is the real
PyTorch (absolute imports).
"""

import importlib

from .cells import GRUCell, LSTMCell, RNNCell, gru_step, lstm_step, rnn_step
from .fused_lstm import LSTMFunction, fused_lstm
from .fused_rnn import RNNFunction, fused_rnn
from .rnn import GRU, LSTM, RNN

__all__ = [
    "RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU",
    "rnn_step", "lstm_step", "gru_step", "fused_lstm", "LSTMFunction",
    "fused_rnn", "RNNFunction",
]

_ON_FIRST_USE = (
    "gradients", "lstm_variants", "continual", "ensemble_rnn", "sequence_models",
    "pixelrnn", "word_lm", "seq2seq", "convlstm", "scan",
)


def __getattr__(name):
    if name in _ON_FIRST_USE:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
