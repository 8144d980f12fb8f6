"""One training loop for every PyTorch chapter (chapters 7 to 14).

Every chapter that trains a ``torch.nn.Module`` calls :func:`train`, so a reader learns
one loop and can say what each curve was optimised on::

    from rnncourse.train import train, tensor_batches

    def loss_fn(model, batch):              # the loss of one minibatch, a scalar tensor
        x, y = batch
        return F.mse_loss(model(x), y)

    def evaluate(model):                    # run under torch.no_grad() and model.eval()
        return {"test_mse": F.mse_loss(model(x_test), y_test).item()}

    history = train(model, loss_fn, batches, steps=2000, lr=3e-3, clip=1.0,
                    evaluate=evaluate, eval_every=100,
                    stop_when=lambda metrics: metrics["test_mse"] < 0.01)

``batches`` is where the minibatches come from, one per step:

* a function ``batches(step, rng)`` that makes a fresh batch (a synthetic task draws new
  sequences at every step; ``rng`` is a ``numpy.random.Generator`` seeded from
  ``seed``);
* an iterable such as a list of batches or a ``DataLoader``, cycled through epoch after
  epoch (an iterator, e.g. a generator expression, is used once and ends the run when
  exhausted);
* :func:`tensor_batches` turns tensors that share a batch dimension into shuffled
  minibatches, epoch after epoch.

One step is: zero the gradients, ``loss = loss_fn(model, batch)``, ``loss.backward()``,
measure the global gradient norm ‖g‖ = sqrt(Σ_p ‖∂L/∂p‖²) and, with ``clip`` = κ,
rescale the gradient to norm κ when ‖g‖ > κ (Pascanu et al. 2013;
``torch.nn.utils.clip_grad_norm_``), then ``optimizer.step()`` and, if given,
``scheduler.step()``.

The returned history is a plain dict of lists (see :func:`train`), which
:func:`plot_history` draws. Runs are deterministic: the same seed, model initialisation
and data give the same history, number for number.
"""

from __future__ import annotations

import itertools
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

__all__ = ["train", "tensor_batches", "plot_history", "threads", "count_parameters"]

# Below this many parameters one thread is faster than two: the per-step work is too
# small to pay for the threads' synchronisation (measured in chapters 5 and 7 on two
# cores).
SMALL_MODEL_PARAMETERS = 1_000_000


def count_parameters(model: torch.nn.Module) -> int:
    """The number of trainable scalars of ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@contextmanager
def threads(n: int | None):
    """Run the block with ``torch.set_num_threads(n)`` and restore the old count
    afterwards
    (``n = None`` leaves it unchanged)."""
    old = torch.get_num_threads()
    if n is not None:
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"threads must be a positive int or None, got {n!r}")
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def tensor_batches(
    *tensors: torch.Tensor,
    batch_size: int,
    dim: int | tuple[int, ...] = 0,
    shuffle: bool = True,
    drop_last: bool = True,
) -> Callable:
    """Minibatches of tensors that share a batch dimension, epoch after epoch.

    tensors: each with the same size B along its batch dimension; dim: that dimension,
    one for all tensors or one per tensor (``dim=(1, 0)`` for time-major sequences
    (T, B, D) with labels (B,)); batch_size: examples per minibatch.
    Returns a function ``batches(step, rng)`` for :func:`train` that yields a tuple of
    tensors of size ``batch_size`` along ``dim``. Each epoch visits every example once,
    in an order drawn from ``rng`` (or in order when ``shuffle=False``); with
    ``drop_last=False`` an epoch's last minibatch may be smaller.
    """
    if not tensors:
        raise ValueError("tensor_batches needs at least one tensor")
    dims = (dim,) * len(tensors) if isinstance(dim, int) else tuple(dim)
    if len(dims) != len(tensors):
        raise ValueError(
            f"dim must be one int or one per tensor ({len(tensors)}), got {dim!r}"
        )
    for k, (t, d) in enumerate(zip(tensors, dims)):
        if not -t.dim() <= d < t.dim():
            raise ValueError(f"tensor {k} has shape {tuple(t.shape)}: no dimension {d}")
    sizes = [t.shape[d] for t, d in zip(tensors, dims)]
    if len(set(sizes)) != 1:
        raise ValueError(
            f"every tensor must have the same size along its batch dimension "
            f"(dim={dim}), got sizes {sizes}"
        )
    n = sizes[0]
    if not 1 <= batch_size <= n:
        raise ValueError(
            f"batch_size must be between 1 and the number of examples {n}, "
            f"got {batch_size}"
        )
    per_epoch = n // batch_size if drop_last else math.ceil(n / batch_size)
    state = {"epoch": -1, "order": None}

    def batches(step: int, rng: np.random.Generator):
        epoch, k = divmod(step, per_epoch)
        if epoch != state["epoch"]:
            state["epoch"] = epoch
            state["order"] = torch.from_numpy(
                rng.permutation(n) if shuffle else np.arange(n)
            )
        index = state["order"][k * batch_size:(k + 1) * batch_size]
        return tuple(t.index_select(d, index) for t, d in zip(tensors, dims))

    batches.per_epoch = per_epoch
    return batches


def _batch_source(batches) -> Callable:
    """A function (step, rng) -> batch, or raise StopIteration when the data ends."""
    if callable(batches) and not isinstance(batches, Iterable):
        return batches
    if isinstance(batches, Iterator):
        return lambda step, rng: next(batches)
    if isinstance(batches, Iterable):
        cycle = itertools.chain.from_iterable(itertools.repeat(batches))
        return lambda step, rng: next(cycle)
    raise TypeError(
        "batches must be a function (step, rng) -> batch, an iterable of batches "
        f"or an iterator, got {type(batches).__name__}"
    )


def _progress_bar(steps: int, desc: str | None, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm   # the plain text bar: it leaves one line in a built page

    return tqdm(total=steps, desc=desc, file=sys.stdout, leave=True, mininterval=1.0,
                ascii=True, dynamic_ncols=False, ncols=88)


def train(
    model: torch.nn.Module,
    loss_fn: Callable[[torch.nn.Module, Any], torch.Tensor],
    batches,
    *,
    steps: int,
    optimizer: torch.optim.Optimizer | None = None,
    lr: float = 1e-3,
    scheduler=None,
    clip: float | None = None,
    evaluate: Callable[[torch.nn.Module], dict] | None = None,
    eval_every: int | None = None,
    stop_when: Callable[[dict], bool] | None = None,
    seed: int | None = 0,
    num_threads: int | str | None = "auto",
    progress: bool = True,
    desc: str | None = None,
) -> dict:
    """Train ``model`` for at most ``steps`` minibatches and return what happened.

    model: a ``torch.nn.Module``; loss_fn(model, batch): the scalar loss of one
    minibatch;
    batches: where minibatches come from (see the module docstring); steps: the most
    optimiser steps to take.
    optimizer: any ``torch.optim`` optimiser over the model's parameters; by default
    Adam with learning rate ``lr``. scheduler: an optional learning-rate scheduler,
    stepped once
    per step. clip: the threshold κ of gradient clipping by global norm (None: no
    clipping; the norm is measured either way).
    evaluate(model) -> dict of floats: called every ``eval_every`` steps and after the
    last step, with ``torch.no_grad()`` and ``model.eval()`` (training mode is restored
    after).
    stop_when(metrics) -> bool: early stop as soon as an evaluation meets the criterion;
    that step is the run's ``success_step``.
    seed: seeds ``torch.manual_seed`` and the ``rng`` handed to ``batches`` (None: leave
    the global generators as they are and draw the rng from fresh entropy).
    num_threads: torch threads during training, restored afterwards; ``"auto"`` takes 1
    for models under a million parameters (faster for tiny nets) and leaves larger ones
    alone.
    progress: show a text progress bar with the running loss; desc: its label.

    Returns a dict of plain Python numbers and lists:
    ``loss`` and ``grad_norm`` (one per step taken, the norm before clipping),
    ``eval`` (``{"step": [...], name: [...]}`` for every metric ``evaluate`` returned),
    ``steps`` (steps taken), ``success_step`` (the step whose evaluation met
    ``stop_when``, else None), ``stopped_early`` (bool), ``seconds`` (wall time) and
    ``lr`` (the learning rate of the first parameter group after each step).
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if eval_every is not None and (not isinstance(eval_every, int) or eval_every < 1):
        raise ValueError(
            f"eval_every must be a positive int or None, got {eval_every!r}"
        )
    if clip is not None and not clip > 0:
        raise ValueError(f"clip must be a positive number or None, got {clip!r}")
    if stop_when is not None and evaluate is None:
        raise ValueError(
            "stop_when needs an evaluate function: the criterion is checked on "
            "its metrics"
        )
    if num_threads == "auto":
        num_threads = 1 if count_parameters(model) < SMALL_MODEL_PARAMETERS else None
    if seed is not None:
        torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    if optimizer is None:
        # foreach: one op per update for all parameters (same numbers, less overhead)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    next_batch = _batch_source(batches)
    parameters = [p for p in model.parameters() if p.requires_grad]

    history = {"loss": [], "grad_norm": [], "lr": [], "eval": {"step": []},
               "steps": 0, "success_step": None, "stopped_early": False, "seconds": 0.0}

    def run_evaluation(step: int) -> bool:
        was_training = model.training
        model.eval()
        with torch.no_grad():
            metrics = evaluate(model)
        model.train(was_training)
        if not isinstance(metrics, dict):
            raise TypeError(
                f"evaluate must return a dict of numbers, got {type(metrics).__name__}"
            )
        history["eval"]["step"].append(step)
        for name, value in metrics.items():
            history["eval"].setdefault(name, []).append(float(value))
        if stop_when is not None and stop_when(metrics):
            history["success_step"] = step
            return True
        return False

    bar = _progress_bar(steps, desc, progress)
    running = None
    start = time.perf_counter()
    model.train()
    with threads(num_threads):
        for step in range(1, steps + 1):
            try:
                batch = next_batch(step - 1, rng)
            except StopIteration:
                break
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model, batch)
            if not (isinstance(loss, torch.Tensor) and loss.dim() == 0):
                raise TypeError("loss_fn must return a scalar tensor, got "
                                f"{getattr(loss, 'shape', type(loss).__name__)}")
            loss.backward()
            if clip is None:   # measure the norm only: no rescaling by 1.0
                norm = torch.nn.utils.get_total_norm(
                    [p.grad for p in parameters if p.grad is not None])
            else:
                norm = torch.nn.utils.clip_grad_norm_(parameters, float(clip))
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            value = loss.item()
            history["loss"].append(value)
            history["grad_norm"].append(float(norm))
            history["lr"].append(float(optimizer.param_groups[0]["lr"]))
            history["steps"] = step
            running = value if running is None else 0.95 * running + 0.05 * value
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"loss {running:.4g}", refresh=False)
            if (
                evaluate is not None
                and eval_every is not None
                and step % eval_every == 0
            ):
                if run_evaluation(step):
                    history["stopped_early"] = step < steps
                    break
        if (
            evaluate is not None
            and history["steps"]
            and (
                not history["eval"]["step"]
                or history["eval"]["step"][-1] != history["steps"]
            )
        ):
            if run_evaluation(history["steps"]) and history["steps"] < steps:
                history["stopped_early"] = True
    history["seconds"] = time.perf_counter() - start
    if bar is not None:
        last = {k: v[-1] for k, v in history["eval"].items() if k != "step" and v}
        shown = ", ".join(f"{k} {v:.4g}" for k, v in last.items())
        bar.set_postfix_str(
            f"loss {running:.4g}" + (f", {shown}" if shown else ""), refresh=False
        )
        bar.close()
    return history


def plot_history(
    history: dict,
    ax=None,
    *,
    metrics: Iterable[str] | None = None,
    smooth: int = 1,
    log: bool = False,
    label: str | None = None,
    **line_kwargs,
):
    """Draw a history from :func:`train`: the training loss per step and, on the same
    axes, the evaluated metrics at their steps.

    metrics: names from ``history["eval"]`` to draw (default: none, only the loss);
    smooth: average the loss over windows of this many steps; log: log-scaled y axis;
    label: legend label of the loss curve. Returns the axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    loss = np.asarray(history["loss"], dtype=float)
    if smooth > 1 and len(loss) >= smooth:
        loss = np.convolve(loss, np.ones(smooth) / smooth, mode="valid")
        steps = np.arange(smooth, smooth + len(loss))
    else:
        steps = np.arange(1, len(loss) + 1)
    ax.plot(steps, loss, marker="", label=label or "training loss", **line_kwargs)
    for name in metrics or ():
        if name not in history["eval"]:
            raise KeyError(f"no metric {name!r} in the history; it has "
                           f"{sorted(k for k in history['eval'] if k != 'step')}")
        ax.plot(history["eval"]["step"], history["eval"][name], label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    return ax
