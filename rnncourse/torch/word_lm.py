"""A word-level LSTM language model trained with truncated BPTT, as in Zaremba,
Sutskever & Vinyals (2014), *Recurrent neural network regularization* (chapter 10).

The model (L layers, hidden size H, vocabulary size K)::

    x_t    = E[w_t]                                 (B, H)    embedding of word w_t
    h_t^l  = LSTM_l(D(h_t^{l-1}), h_{t-1}^l)        (B, H)    l = 1 ... L, h_t^0 = x_t
    ℓ_t    = W_hy D(h_t^L) + b_y                    (B, K)    logits of word w_{t+1}

D is dropout, applied only to the **non-recurrent** connections: the embedding, between
layers (``torch.nn.LSTM(dropout=p)``) and before the output layer, so that a word's
information meets dropout L + 1 times on its way up, however many steps it is carried
in time. The recurrent connections h_{t-1}^l -> h_t^l are never dropped.

Training (:func:`train_lm`) goes through :func:`rnncourse.train.train`: the text is
cut into B parallel streams (:func:`rnncourse.data.corpus.batchify`), each step takes
the next window of ``unroll`` words of every stream, and :class:`TruncatedBPTT` starts
the window from the final state of the previous window, **detached**: the state carries
information forward across windows, the gradient stops at the window's start
(truncated backpropagation through time, Williams & Peng 1990).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from rnncourse.data.corpus import bptt_batches
from rnncourse.train import train

__all__ = ["WordLM", "detach_state", "TruncatedBPTT", "window_batches", "perplexity",
           "epoch_perplexities", "paper_schedule", "train_lm", "length_mask",
           "masked_cross_entropy", "ZAREMBA_SMALL", "ZAREMBA_SLICE", "zaremba_run"]


class WordLM(nn.Module):
    """Embedding, an L-layer LSTM and a softmax output layer (W_hy, b_y).

    vocab_size (K), hidden_size (H; also the embedding size), num_layers (L),
    dropout: probability p of the non-recurrent dropout (0 = none); init_range: every
    parameter ~ U(−r, r) (Zaremba et al.: 0.1 for 200 units); lstm: the LSTM class,
    ``torch.nn.LSTM`` or the drop-in ``rnncourse.torch.LSTM``.

    ``forward(ids, state=None)``: ids (T, B) int64 -> (logits (T, B, K), state), the
    state a tuple (h, c) of (L, B, H) tensors as ``torch.nn.LSTM`` returns it.
    """

    def __init__(self, vocab_size, hidden_size=200, num_layers=2, dropout=0.0,
                 init_range=0.1, lstm=nn.LSTM):
        super().__init__()
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        self.embedding = nn.Embedding(vocab_size, hidden_size)
        self.lstm = lstm(hidden_size, hidden_size, num_layers,
                         dropout=dropout if num_layers > 1 else 0.0)
        self.W_hy = nn.Parameter(torch.empty(vocab_size, hidden_size))
        self.b_y = nn.Parameter(torch.empty(vocab_size))
        self.dropout = dropout
        with torch.no_grad():
            for p in self.parameters():
                p.uniform_(-init_range, init_range)

    def forward(self, ids, state=None):
        if ids.dim() != 2:
            raise ValueError(
                f"ids must be (T, B) word ids, got shape {tuple(ids.shape)}")
        x = F.dropout(self.embedding(ids), self.dropout, self.training)
        h, state = self.lstm(x, state)
        h = F.dropout(h, self.dropout, self.training)
        return F.linear(h, self.W_hy, self.b_y), state


def detach_state(state):
    """The same state cut from the graph that produced it (a tensor or a tuple)."""
    if state is None:
        return None
    if isinstance(state, torch.Tensor):
        return state.detach()
    return tuple(s.detach() for s in state)


class TruncatedBPTT:
    """``loss_fn(model, batch)`` for :func:`rnncourse.train.train` that carries the
    state from one window to the next.

    batch: ``(x, y, first)`` from :func:`window_batches`; x, y (T, B) word ids and
    next-word targets; ``first``: True for an epoch's first window, where the state
    starts at zero. Otherwise the window starts from the previous window's final state,
    detached, so backpropagation stops at the window's first step. Returns the mean
    cross-entropy per word, in nats.
    """

    def __init__(self):
        self.state = None

    def __call__(self, model, batch):
        x, y, first = batch
        logits, state = model(x, None if first else self.state)
        self.state = detach_state(state)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


def window_batches(data, unroll):
    """``batches(step, rng)`` for :func:`rnncourse.train.train`: the windows of
    :func:`rnncourse.data.corpus.bptt_batches` in order, epoch after epoch, as
    ``(x, y, first)``. ``batches.per_epoch`` is the number of windows, and
    ``batches.sizes`` the number of targets of each window."""
    windows = bptt_batches(data, unroll)

    def batches(step, rng):
        k = step % len(windows)
        return (*windows[k], k == 0)

    batches.per_epoch = len(windows)
    batches.sizes = [y.numel() for _, y in windows]
    return batches


@torch.no_grad()
def perplexity(model, data, unroll=35, carry=True):
    """exp(mean cross-entropy per word) of ``model`` on batchified ``data`` (T, B),
    reading every stream from its start with the state carried across windows
    (``carry=False``: every window starts from a zero state)."""
    was_training = model.training
    model.eval()
    state, total, count = None, 0.0, 0
    for x, y in bptt_batches(data, unroll):
        logits, state = model(x, state if carry else None)
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                 reduction="sum").item()
        count += y.numel()
    model.train(was_training)
    return math.exp(total / count)


def epoch_perplexities(history, sizes):
    """The training perplexity of every complete epoch of a :func:`train` history:
    exp of the mean loss per word over the epoch (with dropout on, if the model has
    it). sizes: targets per window (``batches.sizes``)."""
    loss, sizes = np.asarray(history["loss"]), np.asarray(sizes, dtype=float)
    epochs = len(loss) // len(sizes)
    per_epoch = loss[: epochs * len(sizes)].reshape(epochs, len(sizes))
    return np.exp((per_epoch * sizes).sum(1) / sizes.sum()).tolist()


def paper_schedule(optimizer, per_epoch, constant_epochs=4, decay=0.5):
    """Zaremba et al.'s learning-rate schedule as a per-step scheduler: the initial
    rate for ``constant_epochs`` epochs, then multiplied by ``decay`` after every
    further epoch (small model: 4 epochs, then halved)."""
    def factor(steps_done):
        epoch = steps_done // per_epoch      # the epoch of the next step
        return decay ** max(0, epoch - constant_epochs + 1)

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def train_lm(model, train_data, valid_data, *, epochs, unroll=20, lr=1.0,
             optimizer="sgd", schedule=None, clip=5.0, seed=0, progress=True,
             desc=None, eval_unroll=35, on_valid=None):
    """Train a :class:`WordLM` with truncated BPTT and report per-epoch perplexities.

    train_data, valid_data: batchified (T, B) word ids; epochs: passes over the
    training streams; unroll: the BPTT window; optimizer: ``"sgd"`` (learning rate
    ``lr``, and with ``schedule=(constant_epochs, decay)`` the paper's decay) or
    ``"adam"``; clip: the gradient-norm threshold κ (None: none); on_valid: called
    with each validation perplexity right after it is measured (e.g. to keep the best
    weights), returning it.

    Returns the history of :func:`rnncourse.train.train` plus ``train_ppl`` and
    ``valid_ppl``: one number per epoch (training perplexity averaged over the epoch,
    validation perplexity after it).
    """
    batches = window_batches(train_data, unroll)
    on_valid = on_valid or (lambda ppl: ppl)
    if optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=lr)
    elif optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    else:
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    scheduler = None if schedule is None else paper_schedule(opt, batches.per_epoch,
                                                             *schedule)
    history = train(
        model, TruncatedBPTT(), batches, steps=epochs * batches.per_epoch,
        optimizer=opt, scheduler=scheduler, clip=clip, seed=seed, num_threads=1,
        evaluate=lambda m: {"valid_ppl": on_valid(perplexity(m, valid_data,
                                                             eval_unroll))},
        eval_every=batches.per_epoch, progress=progress, desc=desc,
    )
    history["train_ppl"] = epoch_perplexities(history, batches.sizes)
    history["valid_ppl"] = history["eval"]["valid_ppl"]
    return history


# -- sequences of unequal length ----------------------------------------------------

def length_mask(lengths, steps):
    """(T, B) bool mask, True at the real steps t < lengths[b] of a padded batch.

    lengths: (B,) integers between 1 and ``steps`` (= T).
    """
    lengths = torch.as_tensor(lengths)
    if lengths.dim() != 1:
        raise ValueError(f"lengths must be 1-D (B,), got shape {tuple(lengths.shape)}")
    if len(lengths) and (lengths.min() < 1 or lengths.max() > steps):
        raise ValueError(f"lengths must lie between 1 and steps = {steps}, got "
                         f"{lengths.min().item()} ... {lengths.max().item()}")
    return torch.arange(steps)[:, None] < lengths[None, :]


def masked_cross_entropy(logits, targets, lengths):
    """The mean cross-entropy per real target of a padded batch, in nats.

    logits: (T, B, K); targets: (T, B) ids (anything at the padded steps); lengths:
    (B,) the real length of each sequence. The padded steps t >= lengths[b] are left
    out of both the sum and the count, so the result equals the loss of the
    sequences taken one by one without padding (summed, then divided by the number
    of real targets).
    """
    if logits.dim() != 3 or targets.shape != logits.shape[:2]:
        raise ValueError(f"logits must be (T, B, K) and targets (T, B); got logits "
                         f"{tuple(logits.shape)} and targets {tuple(targets.shape)}")
    mask = length_mask(lengths, logits.shape[0])
    if mask.shape != targets.shape:
        raise ValueError(f"lengths must have one entry per sequence, B = "
                         f"{targets.shape[1]}, got {len(lengths)}")
    losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                             reduction="none").reshape(targets.shape)
    return (losses * mask).sum() / mask.sum()


# -- the reproduction of Zaremba et al. (2014) --------------------------------------

# The paper's small, non-regularised model on PTB, for reference: a full
# run on the 648 k training words of the corpus takes hours on two CPU cores.
ZAREMBA_SMALL = {
    "vocab_size": 10_000, "train_words": None, "valid_words": None, "test_words": None,
    "hidden_size": 200, "num_layers": 2, "init_range": 0.1, "batch_size": 20,
    "unroll": 20, "optimizer": "sgd", "lr": 1.0, "schedule": (4, 0.5), "clip": None,
    "epochs": 13, "eval_batch_size": 10,
}

# The slice that chapter 10 trains live (a minute on two cores for four runs): the
# first 6 000 training words, the 2 000 most frequent training words as vocabulary,
# a 2 x 128 LSTM trained with Adam; chosen on the validation slice (chapter 10).
ZAREMBA_SLICE = {
    "vocab_size": 2_000, "train_words": 6_000, "valid_words": 3_000,
    "test_words": 3_000, "hidden_size": 128, "num_layers": 2, "init_range": 0.3,
    "batch_size": 20, "unroll": 20, "optimizer": "adam", "lr": 0.008,
    "schedule": None, "clip": 5.0, "epochs": 6, "eval_batch_size": 10,
}


def zaremba_run(config, dropout, seed, *, progress=True):
    """Train one word-level LSTM language model of Zaremba et al.'s recipe and return
    its curves.

    config: a dict like :data:`ZAREMBA_SLICE` (the corpus slice, the model, the
    optimiser); dropout: the probability p of the non-recurrent dropout (0: none);
    seed: seeds the initialisation (and the dropout masks).

    The model is validated after every epoch; the test perplexity is measured once,
    with the weights of the epoch of lowest validation perplexity (early stopping on
    the validation data). Returns ``{"train_ppl": [...], "valid_ppl": [...],
    "best_epoch": e (from 1), "best_valid_ppl": x, "test_ppl": y, "seconds": s,
    "parameters": n}``.
    """
    import copy

    from rnncourse.data.corpus import batchify, load_corpus
    from rnncourse.train import count_parameters

    corpus = load_corpus(config["vocab_size"])
    parts = {name: corpus.split(name)[: config[f"{name}_words"]]
             for name in ("train", "valid", "test")}
    train_data = batchify(parts["train"], config["batch_size"])
    valid_data = batchify(parts["valid"], config["eval_batch_size"])
    test_data = batchify(parts["test"], config["eval_batch_size"])
    torch.manual_seed(seed)
    model = WordLM(len(corpus.vocab), config["hidden_size"], config["num_layers"],
                   dropout=dropout, init_range=config["init_range"])
    best = {"ppl": math.inf, "state": None}

    def keep_best(valid_ppl):
        if valid_ppl < best["ppl"]:
            best.update(ppl=valid_ppl, state=copy.deepcopy(model.state_dict()))
        return valid_ppl

    history = train_lm(
        model, train_data, valid_data, epochs=config["epochs"],
        unroll=config["unroll"], lr=config["lr"], optimizer=config["optimizer"],
        schedule=config["schedule"], clip=config["clip"], seed=seed,
        progress=progress, desc=f"dropout {dropout:g}, seed {seed}", on_valid=keep_best,
    )
    model.load_state_dict(best["state"])
    valid_ppl = history["valid_ppl"]
    return {"train_ppl": history["train_ppl"], "valid_ppl": valid_ppl,
            "best_epoch": int(np.argmin(valid_ppl)) + 1,
            "best_valid_ppl": float(min(valid_ppl)),
            "test_ppl": perplexity(model, test_data),
            "seconds": history["seconds"], "parameters": count_parameters(model)}
