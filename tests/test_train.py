"""Tests for rnncourse.train: the one training loop of the torch chapters."""

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from rnncourse.train import (
    count_parameters,
    plot_history,
    tensor_batches,
    threads,
    train,
)


def regression_problem(n=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    return x, y


def mse(model, batch):
    x, y = batch
    return F.mse_loss(model(x), y)


def test_overfits_a_tiny_regression_problem():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    x, y = regression_problem()
    history = train(model, mse, tensor_batches(x, y, batch_size=16), steps=600, lr=0.05,
                    progress=False)
    assert history["steps"] == 600 and len(history["loss"]) == 600
    assert history["loss"][-1] < 1e-4 < history["loss"][0]
    assert F.mse_loss(model(x), y).item() < 1e-4


def test_overfits_a_tiny_sequence_task_with_an_lstm():
    """A small LSTM memorises 8 random sequences' classes: the "overfit this" check."""
    g = torch.Generator().manual_seed(1)
    # time-major (T, B, D)
    x, labels = torch.randn(12, 8, 4, generator=g), torch.arange(8) % 4

    class Classifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm, self.head = torch.nn.LSTM(4, 16), torch.nn.Linear(16, 4)

        def forward(self, x):
            return self.head(self.lstm(x)[0][-1])

    model = Classifier()

    def accuracy(model):
        return {"accuracy": (model(x).argmax(-1) == labels).float().mean().item()}

    history = train(
        model,
        lambda m, b: F.cross_entropy(m(b[0]), b[1]),
        tensor_batches(x, labels, batch_size=8, dim=(1, 0)),
        steps=400,
        lr=1e-2,
        evaluate=accuracy,
        eval_every=20,
        stop_when=lambda m: m["accuracy"] == 1.0,
        progress=False,
    )
    assert history["success_step"] is not None and history["stopped_early"]
    assert history["eval"]["accuracy"][-1] == 1.0
    assert history["steps"] == history["success_step"] < 400


def test_same_seed_same_history_and_weights():
    def run(seed):
        torch.manual_seed(123)
        model = torch.nn.Sequential(
            torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
        )
        x, y = regression_problem()
        h = train(model, mse, tensor_batches(x, y, batch_size=8), steps=50, seed=seed,
                  progress=False)
        return h, torch.cat([p.detach().flatten() for p in model.parameters()])

    (h1, w1), (h2, w2), (h3, _) = run(0), run(0), run(1)
    assert h1["loss"] == h2["loss"] and h1["grad_norm"] == h2["grad_norm"]
    assert torch.equal(w1, w2)
    assert h1["loss"] != h3["loss"], (
        "another seed should shuffle the minibatches differently"
    )


def test_clipping_bounds_the_update_and_records_the_norm_before_clipping():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    x, y = regression_problem()
    y = y * 1000.0                                          # huge gradients
    before = [p.detach().clone() for p in model.parameters()]
    history = train(
        model,
        mse,
        [(x, y)],
        steps=1,
        optimizer=torch.optim.SGD(model.parameters(), lr=1.0),
        clip=0.5,
        progress=False,
    )
    step = torch.sqrt(
        sum(((p.detach() - b) ** 2).sum() for p, b in zip(model.parameters(), before))
    )
    assert history["grad_norm"][0] > 100.0
    assert step.item() == pytest.approx(0.5, rel=1e-5)


def test_generator_batches_get_a_seeded_rng_and_the_step():
    seen = []

    def batches(step, rng):
        seen.append((step, rng.integers(1_000_000)))
        x = torch.from_numpy(rng.normal(size=(4, 3))).float()
        return x, x.sum(1, keepdim=True)

    train(torch.nn.Linear(3, 1), mse, batches, steps=3, seed=7, progress=False)
    first = list(seen)
    seen.clear()
    train(torch.nn.Linear(3, 1), mse, batches, steps=3, seed=7, progress=False)
    assert [s for s, _ in first] == [0, 1, 2]
    assert first == seen


def test_an_iterator_that_runs_out_ends_the_run_and_a_list_cycles():
    x, y = regression_problem(8)
    history = train(
        torch.nn.Linear(3, 1), mse, iter([(x, y)] * 5), steps=100, progress=False
    )
    assert history["steps"] == 5
    history = train(
        torch.nn.Linear(3, 1), mse, [(x, y), (x, y)], steps=7, progress=False
    )
    assert history["steps"] == 7


def test_evaluation_runs_in_eval_mode_without_gradients_and_after_the_last_step():
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 3), torch.nn.Dropout(0.5), torch.nn.Linear(3, 1)
    )
    modes = []

    def evaluate(m):
        modes.append((m.training, torch.is_grad_enabled()))
        return {"value": 1.0}

    x, y = regression_problem(8)
    history = train(
        model, mse, [(x, y)], steps=25, evaluate=evaluate, eval_every=10, progress=False
    )
    assert history["eval"]["step"] == [10, 20, 25]
    assert modes == [(False, False)] * 3
    assert model.training


def test_tensor_batches_visit_every_example_once_per_epoch():
    x = torch.arange(10.0)[None, :, None].repeat(3, 1, 1)          # (T, B, D), B = 10
    batches = tensor_batches(x, batch_size=5, dim=1)
    rng = np.random.default_rng(0)
    epoch = [batches(k, rng)[0] for k in range(2)]
    assert all(b.shape == (3, 5, 1) for b in epoch)
    ids = sorted(int(v) for b in epoch for v in b[0, :, 0])
    assert ids == list(range(10))
    with pytest.raises(ValueError, match="same size along its batch dimension"):
        tensor_batches(torch.zeros(4, 2), torch.zeros(5, 2), batch_size=2)
    with pytest.raises(ValueError, match="batch_size"):
        tensor_batches(torch.zeros(4, 2), batch_size=5)


def test_bad_arguments_get_clear_errors():
    model = torch.nn.Linear(3, 1)
    x, y = regression_problem(8)
    with pytest.raises(ValueError, match="steps must be a positive int"):
        train(model, mse, [(x, y)], steps=0, progress=False)
    with pytest.raises(ValueError, match="stop_when needs an evaluate"):
        train(model, mse, [(x, y)], steps=1, stop_when=lambda m: True, progress=False)
    with pytest.raises(TypeError, match="scalar tensor"):
        train(model, lambda m, b: m(b[0]), [(x, y)], steps=1, progress=False)
    with pytest.raises(TypeError, match="batches must be"):
        train(model, mse, 3, steps=1, progress=False)


def test_threads_are_restored_and_small_models_train_on_one_thread():
    old = torch.get_num_threads()
    seen = []
    x, y = regression_problem(8)

    def loss_fn(model, batch):
        seen.append(torch.get_num_threads())
        return mse(model, batch)

    train(torch.nn.Linear(3, 1), loss_fn, [(x, y)], steps=2, progress=False)
    assert seen == [1, 1] and torch.get_num_threads() == old
    with threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == old
    assert count_parameters(torch.nn.Linear(3, 2)) == 8


def test_the_progress_bar_leaves_one_final_line_with_the_loss(capsys):
    x, y = regression_problem(8)
    train(torch.nn.Linear(3, 1), mse, [(x, y)], steps=30, desc="demo",
          evaluate=lambda m: {"mse": 0.5}, eval_every=10)
    out = capsys.readouterr().out
    final = out.split("\r")[-1].strip()
    assert (
        final.startswith("demo")
        and "30/30" in final
        and "loss" in final
        and "mse 0.5" in final
    )


def test_plot_history_draws_the_loss_and_the_metrics():
    import matplotlib
    matplotlib.use("Agg")
    x, y = regression_problem(8)
    history = train(
        torch.nn.Linear(3, 1),
        mse,
        [(x, y)],
        steps=20,
        evaluate=lambda m: {"a": 1.0},
        eval_every=5,
        progress=False,
    )
    ax = plot_history(history, metrics=["a"], smooth=5, log=True)
    assert len(ax.get_lines()) == 2 and ax.get_yscale() == "log"
    with pytest.raises(KeyError, match="no metric 'b'"):
        plot_history(history, metrics=["b"])
