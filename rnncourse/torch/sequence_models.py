"""Small sequence models of the GRU chapter, built on ``torch.nn``'s recurrent layers.

* :class:`TokenClassifier` -- a one-layer tanh RNN, LSTM or GRU with a linear readout,
  for the three token tasks of :mod:`rnncourse.data.sequences` (one answer per sequence
  or one per step).
* :class:`PianoRollRNN` -- the same layers predicting the next frame of a piano roll
  with one sigmoid per key, as in Chung et al. (2014); :func:`frame_nll` is its loss,
  the negative log-likelihood per time step.
* :func:`gru_gates` -- the reset and update gates of a trained ``torch.nn.GRU`` at every
  step, computed by :func:`rnncourse.np.gru_step_forward` from the module's weights.
* :func:`train_token_task` -- train a :class:`TokenClassifier` on fresh batches of one
  of the token tasks with :func:`rnncourse.train.train`.

Sequences are time-major, (T, B, D), as everywhere in the course.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from rnncourse.np import gru_step_forward

__all__ = [
    "KINDS",
    "TokenClassifier",
    "PianoRollRNN",
    "frame_nll",
    "gru_gates",
    "memory_unit",
    "token_tensors",
    "train_token_task",
]

KINDS = ("tanh", "lstm", "gru")


def _recurrent_layer(kind: str, input_size: int, hidden_size: int) -> nn.Module:
    if kind == "tanh":
        return nn.RNN(input_size, hidden_size, nonlinearity="tanh")
    if kind == "lstm":
        return nn.LSTM(input_size, hidden_size)
    if kind == "gru":
        return nn.GRU(input_size, hidden_size)
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _check_sequence(name: str, x: torch.Tensor, size: int, meaning: str):
    if x.dim() != 3 or x.shape[2] != size:
        raise ValueError(
            f"{name} must have shape (T, B, {size}) ({meaning}), got {tuple(x.shape)}"
        )


class TokenClassifier(nn.Module):
    """A recurrent layer and a linear readout ℓ = W_hy h + b_y.

    kind: "tanh", "lstm" or "gru"; vocabulary_size V: the size of the one-hot inputs;
    hidden_size H; num_classes K; per_step: one answer per step (logits (T, B, K))
    instead of one per sequence, read from the last state (logits (B, K)).
    """

    def __init__(self, kind, vocabulary_size, hidden_size, num_classes=2,
                 per_step=False):
        super().__init__()
        self.kind, self.per_step = kind, per_step
        self.vocabulary_size = vocabulary_size
        self.rnn = _recurrent_layer(kind, vocabulary_size, hidden_size)
        self.readout = nn.Linear(hidden_size, num_classes)        # W_hy, b_y

    def forward(self, x):
        """x: (T, B, V) one-hot tokens. Returns logits (B, K), or (T, B, K) per step."""
        _check_sequence("x", x, self.vocabulary_size, "one-hot tokens")
        states, _ = self.rnn(x)                                   # (T, B, H)
        return self.readout(states if self.per_step else states[-1])


class PianoRollRNN(nn.Module):
    """Predict each frame of a piano roll from the frames before it.

    kind: "tanh", "lstm" or "gru"; hidden_size H; keys K (88 for a piano). The network
    reads x_0 = 0, x_1, ..., x_{T-1} and its logits ℓ_t = W_hy h_t + b_y give
    P(key k sounds in frame t | frames before t) = σ(ℓ_t[k]), each key independently
    (sigmoid outputs, not a softmax: several keys sound together).
    forget_bias: for an LSTM, set the forget gate's bias b_if to this value and b_hf
    to 0 (None keeps torch's initialisation).
    """

    def __init__(self, kind, hidden_size, keys=88, forget_bias=None):
        super().__init__()
        self.kind, self.keys = kind, keys
        self.rnn = _recurrent_layer(kind, keys, hidden_size)
        self.readout = nn.Linear(hidden_size, keys)               # W_hy, b_y
        if forget_bias is not None:
            if kind != "lstm":
                raise ValueError(f"forget_bias needs kind='lstm', got {kind!r}")
            with torch.no_grad():                  # gate order i, f, g, o
                self.rnn.bias_ih_l0[hidden_size:2 * hidden_size] = forget_bias
                self.rnn.bias_hh_l0[hidden_size:2 * hidden_size] = 0.0

    def forward(self, roll):
        """roll: (T, B, K) frames x_1 ... x_T. Returns logits (T, B, K); logits[t]
        predicts roll[t] from roll[:t]."""
        _check_sequence("roll", roll, self.keys, "frames of a piano roll")
        previous = torch.cat([torch.zeros_like(roll[:1]), roll[:-1]])
        states, _ = self.rnn(previous)
        return self.readout(states)


def frame_nll(logits, roll, mask=None):
    """Negative log-likelihood per time step, in nats.

    logits, roll: (T, B, K); mask: (T, B) bool, True on the frames to count (padding
    excluded), or None for all. Each frame costs −Σ_k log P(x_t[k]), the sum of the
    binary cross-entropies of its K keys; the result is the mean over counted frames.
    """
    if logits.shape != roll.shape:
        raise ValueError(
            f"logits and roll must have the same shape (T, B, K), got "
            f"{tuple(logits.shape)} and {tuple(roll.shape)}"
        )
    per_key = F.binary_cross_entropy_with_logits(logits, roll, reduction="none")
    per_frame = per_key.sum(-1)
    if mask is None:
        return per_frame.mean()
    if mask.shape != per_frame.shape:
        raise ValueError(
            f"mask must have shape (T, B) = {tuple(per_frame.shape)}, got "
            f"{tuple(mask.shape)}"
        )
    return per_frame[mask].mean()


@torch.no_grad()
def gru_gates(gru: nn.GRU, x) -> dict:
    """The gates of a one-layer ``torch.nn.GRU`` at every step, from NumPy.

    gru: a unidirectional one-layer ``torch.nn.GRU``; x: (T, B, D) input, tensor or
    array. Runs :func:`rnncourse.np.gru_step_forward` in float64 with the module's
    weights, step after step from h_0 = 0. Returns a dict of (T, B, H) arrays:
    ``r`` and ``z`` (the reset and update gates), ``n`` (the candidate) and ``h``
    (the states, equal to the module's output up to float32 rounding).
    """
    if not isinstance(gru, nn.GRU) or gru.num_layers != 1 or gru.bidirectional:
        raise ValueError("gru must be a one-layer, unidirectional torch.nn.GRU")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3 or x.shape[2] != gru.input_size:
        raise ValueError(
            f"x must have shape (T, B, {gru.input_size}), got {x.shape}"
        )
    weights = [getattr(gru, name).detach().double().numpy()
               for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")]
    h = np.zeros((x.shape[1], gru.hidden_size))
    trace = {key: [] for key in ("r", "z", "n", "h")}
    for x_t in x:
        h, cache = gru_step_forward(x_t, h, *weights)
        for key in ("r", "z", "n"):
            trace[key].append(cache[key])
        trace["h"].append(h)
    return {key: np.stack(values) for key, values in trace.items()}


def memory_unit(states, quantity):
    """The unit whose state follows a quantity most closely, and how closely.

    states: (N, H) states of N examples (for example h_t of every test sequence at
    one step); quantity: (N,) what the network must remember (a header token, a
    count). Returns (unit, |correlation|): the unit j with the largest absolute
    Pearson correlation between states[:, j] and quantity (0 for a constant unit).
    """
    states = np.asarray(states, dtype=np.float64)
    quantity = np.asarray(quantity, dtype=np.float64)
    if states.ndim != 2 or quantity.shape != states.shape[:1]:
        raise ValueError(
            f"states must be (N, H) and quantity (N,), got {states.shape} and "
            f"{quantity.shape}"
        )
    s = states - states.mean(axis=0)
    q = quantity - quantity.mean()
    scale = np.sqrt((s ** 2).sum(axis=0) * (q ** 2).sum())
    correlation = np.abs(s.T @ q) / np.where(scale > 0, scale, np.inf)
    unit = int(correlation.argmax())
    return unit, float(correlation[unit])


def token_tensors(task):
    """A TokenTask as tensors: one-hot inputs (T, N, V) float32 and targets int64."""
    from rnncourse.data.sequences import one_hot

    x = torch.from_numpy(one_hot(task.tokens, task.vocabulary_size))
    return x, torch.from_numpy(task.targets)


def train_token_task(kind, make_batch, test, *, hidden_size=32, steps=300,
                     batch_size=64, lr=1e-2, clip=1.0, seed=0, progress=False):
    """Train a :class:`TokenClassifier` on fresh batches of a token task.

    kind: "tanh", "lstm" or "gru"; make_batch(n, rng) -> a
    :class:`rnncourse.data.sequences.TokenTask` of n sequences, called once per step
    (for example ``lambda n, rng: irrelevant_tokens(n, 40, rng)``), so the network
    never sees the same sequence twice; test: a TokenTask held out for the accuracy,
    measured after training (per sequence, or per step for a per-step task).
    Returns (model, history, accuracy), the history that of
    :func:`rnncourse.train.train`.
    """
    from rnncourse.train import train

    x_test, y_test = token_tensors(test)
    torch.manual_seed(seed)
    model = TokenClassifier(kind, test.vocabulary_size, hidden_size,
                            per_step=y_test.dim() == 2)

    def loss_fn(model, batch):
        x, y = batch
        logits = model(x)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))

    history = train(
        model, loss_fn, lambda step, rng: token_tensors(make_batch(batch_size, rng)),
        steps=steps, lr=lr, clip=clip, seed=seed, progress=progress,
        desc=f"{kind}, {steps} steps",
    )
    with torch.no_grad():
        accuracy = (model(x_test).argmax(-1) == y_test).double().mean().item()
    return model, history, accuracy


def window_batches(rolls, window: int, batch_size: int):
    """Random windows of piano rolls, for :func:`rnncourse.train.train`.

    rolls: list of (T_i, K) arrays; window: frames per window; batch_size: windows per
    batch. Each batch draws ``batch_size`` rolls uniformly and, in each, a window that
    starts at a uniform frame (a roll shorter than the window is taken whole and
    padded). Returns ``batches(step, rng) -> (x, mask)`` with x (window, B, K) float32
    and mask (window, B) bool, True on real frames.
    """
    rolls = [np.asarray(r, dtype=np.float32) for r in rolls]
    if not rolls or window < 1 or batch_size < 1:
        raise ValueError(
            f"window_batches needs rolls, window >= 1 and batch_size >= 1, got "
            f"{len(rolls)} rolls, window={window}, batch_size={batch_size}"
        )
    keys = rolls[0].shape[1]

    def batches(step, rng):
        x = np.zeros((window, batch_size, keys), dtype=np.float32)
        mask = np.zeros((window, batch_size), dtype=bool)
        for b, k in enumerate(rng.integers(len(rolls), size=batch_size)):
            roll = rolls[k]
            start = rng.integers(max(len(roll) - window, 0) + 1)
            piece = roll[start:start + window]
            x[:len(piece), b] = piece
            mask[:len(piece), b] = True
        return torch.from_numpy(x), torch.from_numpy(mask)

    return batches


def train_piano_roll(kind, hidden_size, train_rolls, valid_rolls, *, steps=300,
                     lr=1e-2, window=32, batch_size=32, eval_every=25, seed=0,
                     forget_bias=None, progress=False):
    """Train a :class:`PianoRollRNN` on random windows; keep the best on validation.

    The network trains on ``window``-frame windows of ``train_rolls`` (a zero state at
    each window's start) and is evaluated every ``eval_every`` steps on the whole
    ``valid_rolls``, with :func:`frame_nll`. The weights of the evaluation with the
    lowest validation NLL are restored at the end: early stopping, chosen on the
    validation chorales only. Returns (model, history), the history of
    :func:`rnncourse.train.train` with ``best_step`` and ``best_valid_nll`` added.
    """
    from rnncourse.data.chorales import pad
    from rnncourse.train import train

    x_valid, mask_valid = (torch.from_numpy(a) for a in pad(valid_rolls))
    torch.manual_seed(seed)
    model = PianoRollRNN(kind, hidden_size, keys=x_valid.shape[2],
                         forget_bias=forget_bias)
    best = {"nll": float("inf"), "state": None}

    def evaluate(model):
        nll = frame_nll(model(x_valid), x_valid, mask_valid).item()
        if nll < best["nll"]:
            best.update(nll=nll, state={k: v.clone()
                                        for k, v in model.state_dict().items()})
        return {"valid_nll": nll}

    history = train(
        model, lambda model, batch: frame_nll(model(batch[0]), *batch),
        window_batches(train_rolls, window, batch_size), steps=steps, lr=lr,
        evaluate=evaluate, eval_every=eval_every, seed=seed, progress=progress,
        desc=f"{kind} H={hidden_size}",
    )
    model.load_state_dict(best["state"])
    valid = history["eval"]["valid_nll"]
    history["best_step"] = history["eval"]["step"][int(np.argmin(valid))]
    history["best_valid_nll"] = best["nll"]
    return model, history


# Chung et al. (2014)'s JSB comparison at CPU scale: one layer of each kind, sized to
# about 20 000 parameters as in their Table 1 (units: tanh 100, LSTM 36, GRU 46).
JSB_UNITS = {"tanh": 100, "lstm": 36, "gru": 46}
JSB_SETTINGS = {"steps": 250, "window": 32, "batch_size": 32, "eval_every": 25}
LEARNING_RATES = (0.003, 0.01, 0.03, 0.1)
# The learning rate of each kind, chosen by choose_learning_rates() (seed 0, lowest
# validation NLL over LEARNING_RATES); rerun with
# ``python -m rnncourse.torch.sequence_models --choose-learning-rates``.
JSB_LEARNING_RATES = {"tanh": 0.01, "lstm": 0.03, "gru": 0.03}


def choose_learning_rates(rates=LEARNING_RATES, seed=0, progress=True) -> dict:
    """The rule behind JSB_LEARNING_RATES: for each kind, train with every rate on the
    training chorales and keep the one with the lowest validation NLL (early-stopped).

    Uses only the ``train`` and ``valid`` splits. Returns {kind: (best rate,
    {rate: validation NLL})}.
    """
    from rnncourse.data.chorales import load_chorales

    train_rolls = load_chorales("train").rolls
    valid_rolls = load_chorales("valid").rolls
    chosen = {}
    for kind, units in JSB_UNITS.items():
        scores = {}
        for rate in rates:
            _, history = train_piano_roll(kind, units, train_rolls, valid_rolls,
                                          lr=rate, seed=seed, **JSB_SETTINGS)
            scores[rate] = history["best_valid_nll"]
            if progress:
                print(f"{kind:5s} lr {rate:<6g} validation NLL {scores[rate]:.3f}",
                      flush=True)
        chosen[kind] = (min(scores, key=scores.get), scores)
    return chosen


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m rnncourse.torch.sequence_models")
    parser.add_argument("--choose-learning-rates", action="store_true",
                        help="rerun the validation search behind JSB_LEARNING_RATES")
    if parser.parse_args().choose_learning_rates:
        torch.set_num_threads(1)
        for kind, (rate, _) in choose_learning_rates().items():
            print(f"{kind}: {rate}")
