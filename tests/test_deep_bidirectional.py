"""Chapter 9's modules: the window and ball tasks, the delay alignment, many small RNNs
trained at once, and the pixel-by-pixel digit model."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from rnncourse.data import window_task
from rnncourse.torch import pixelrnn
from rnncourse.torch.ensemble_rnn import EnsembleRNN, rnn_parameter_count

# --- window_task ----------------------------------------------------------------------


def test_window_targets_are_the_sign_of_the_past_and_future_window_sum():
    x, y = window_task.past_future_window(7, 12, 3, 2, np.random.default_rng(0))
    assert x.shape == (12, 7, 1) and y.shape == (12, 7)
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    values = x[..., 0].numpy()
    for t in range(12):
        window = values[max(t - 3, 0): t + 3].sum(0)      # x_{t-3} ... x_{t+2}
        assert (y[t].numpy() == (window > 0)).all(), t


def test_window_task_with_no_past_and_no_future_is_the_sign_of_the_input():
    x, y = window_task.past_future_window(50, 5, 0, 0, np.random.default_rng(1))
    assert torch.equal(y, (x[..., 0] > 0).float())


@pytest.mark.parametrize("argument", ["n_sequences", "length", "past", "future"])
def test_window_task_rejects_bad_sizes_naming_the_argument(argument):
    kwargs = {"n_sequences": 2, "length": 3, "past": 1, "future": 1}
    kwargs[argument] = -1
    with pytest.raises(ValueError, match=argument):
        window_task.past_future_window(**kwargs, rng=np.random.default_rng(0))


def test_ball_labels_follow_the_two_frame_energy_and_are_balanced():
    from scipy.stats import chi2

    x, y = window_task.two_frame_ball(400, 10, 3, np.random.default_rng(2))
    assert x.shape == (10, 400, 3) and y.shape == (10, 400)
    energy = (x.double() ** 2).sum(-1)
    pair = energy + torch.cat([torch.zeros(1, 400, dtype=torch.float64), energy[:-1]])
    # the first frame has no predecessor: its "pair" is the frame alone
    assert torch.equal(y[1:], (pair[1:] < chi2.median(6)).float())
    assert abs(y[1:].mean().item() - 0.5) < 0.02


def test_ball_rejects_a_bad_dimension():
    with pytest.raises(ValueError, match="dim"):
        window_task.two_frame_ball(2, 3, 0, np.random.default_rng(0))


def test_delayed_picks_each_networks_answer_d_steps_later():
    outputs = torch.arange(10 * 3 * 2, dtype=torch.float32).view(10, 3, 2)
    answers = window_task.delayed(outputs, torch.tensor([0, 2, 5]), 4)
    assert answers.shape == (4, 3, 2)
    for e, d in enumerate([0, 2, 5]):
        assert torch.equal(answers[:, e], outputs[d: d + 4, e])


def test_delayed_refuses_too_few_steps_and_a_wrong_member_count():
    outputs = torch.zeros(6, 2, 3)
    with pytest.raises(ValueError, match="needs 8"):
        window_task.delayed(outputs, torch.tensor([0, 3]), 5)
    with pytest.raises(ValueError, match="E = len"):
        window_task.delayed(outputs, torch.tensor([0, 1, 2]), 2)


# --- EnsembleRNN ----------------------------------------------------------------------


@pytest.mark.parametrize("layers, bidirectional", [(1, False), (2, False), (2, True)])
def test_each_member_is_a_torch_rnn_with_a_linear_readout(layers, bidirectional):
    torch.manual_seed(0)
    model = EnsembleRNN(3, 4, 5, 2, num_layers=layers, bidirectional=bidirectional)
    x = torch.randn(7, 6, 4)
    logits = model(x)
    assert logits.shape == (7, 3, 6, 2)
    for e in range(3):
        rnn, readout = model.member(e)
        want = readout(rnn(x)[0])
        assert (logits[:, e] - want).abs().max() < 1e-5


def test_members_do_not_share_gradients():
    torch.manual_seed(1)
    model = EnsembleRNN(2, 3, 4, 1, num_layers=2, bidirectional=True)
    model(torch.randn(5, 2, 3))[:, 0].sum().backward()
    for name, p in model.named_parameters():
        assert p.grad[1].abs().max() == 0, name
        assert p.grad[0].abs().max() > 0, name


@pytest.mark.parametrize("layers, bidirectional", [(1, False), (2, False), (3, True)])
def test_parameter_count_matches_torch_and_the_ensemble(layers, bidirectional):
    count = rnn_parameter_count(4, 6, 2, layers, bidirectional)
    rnn = torch.nn.RNN(4, 6, layers, bidirectional=bidirectional)
    readout = torch.nn.Linear(6 * (2 if bidirectional else 1), 2)
    torch_count = sum(p.numel() for m in (rnn, readout) for p in m.parameters())
    model = EnsembleRNN(3, 4, 6, 2, num_layers=layers, bidirectional=bidirectional)
    assert count == torch_count == model.parameters_per_member()


def test_ensemble_rejects_inputs_of_the_wrong_shape():
    model = EnsembleRNN(2, 3, 4, 1)
    with pytest.raises(ValueError, match="D = 3"):
        model(torch.zeros(5, 2, 4))
    with pytest.raises(ValueError, match="n_members"):
        EnsembleRNN(0, 3, 4, 1)


# --- pixelrnn -------------------------------------------------------------------------


def test_digit_split_is_fixed_and_disjoint():
    train, train_labels = pixelrnn.digit_images("train")
    test, _ = pixelrnn.digit_images("test")
    everything, _ = pixelrnn.digit_images("all")
    assert train.shape == (1438, 64) and test.shape == (359, 64)
    assert len(train_labels) == 1438
    assert torch.equal(test, everything[4::5])
    assert int(everything.min()) == 0 and int(everything.max()) == pixelrnn.LEVELS - 1
    with pytest.raises(ValueError, match="split"):
        pixelrnn.digit_images("valid")


def test_pixel_lstm_is_causal_in_raster_order():
    torch.manual_seed(0)
    model = pixelrnn.PixelLSTM(hidden_size=8, embedding_size=4)
    images = pixelrnn.digit_images("test")[0][:3]
    changed = images.clone()
    changed[:, 30] = (changed[:, 30] + 5) % pixelrnn.LEVELS
    before, after = model(images), model(changed)
    assert before.shape == (64, 3, pixelrnn.LEVELS)
    assert torch.equal(before[:31], after[:31])        # row t reads pixels before t
    assert (before[31:] - after[31:]).abs().max() > 0


def test_bits_per_pixel_is_the_cross_entropy_in_bits():
    torch.manual_seed(0)
    model = pixelrnn.PixelLSTM(hidden_size=8, embedding_size=4)
    images = pixelrnn.digit_images("test")[0][:5]
    logits = model(images)
    log_p = F.log_softmax(logits, -1).gather(2, images.t()[..., None])
    want = -log_p.mean().item() / math.log(2)
    assert abs(pixelrnn.bits_per_pixel(model, images) - want) < 1e-6
    assert model.training, "bits_per_pixel restores training mode"


def test_independent_baseline_counts_levels_per_position():
    train = torch.tensor([[0] * 64, [1] * 64, [1] * 64])
    test = torch.tensor([[1] * 64])
    # per position: counts 1 + 1 for level 0, 2 + 1 for level 1, 1 for the others
    want = -math.log2(3 / (3 + pixelrnn.LEVELS))
    assert abs(pixelrnn.independent_bits_per_pixel(train, test) - want) < 1e-12
    uniform = pixelrnn.independent_bits_per_pixel(train[:0], test)
    assert abs(uniform - math.log2(pixelrnn.LEVELS)) < 1e-12


def test_samples_are_repeatable_levels_and_follow_the_model():
    torch.manual_seed(0)
    model = pixelrnn.PixelLSTM(hidden_size=8, embedding_size=4)
    a = pixelrnn.sample(model, 4, torch.Generator().manual_seed(3))
    b = pixelrnn.sample(model, 4, torch.Generator().manual_seed(3))
    assert a.shape == (4, 64) and a.dtype == torch.int64 and torch.equal(a, b)
    assert int(a.min()) >= 0 and int(a.max()) < pixelrnn.LEVELS
    # a model whose readout always prefers level 7 by a wide margin samples only 7s
    with torch.no_grad():
        model.readout.weight.zero_()
        model.readout.bias.fill_(-50.0)
        model.readout.bias[7] = 50.0
    assert (pixelrnn.sample(model, 3, torch.Generator().manual_seed(0)) == 7).all()
