"""rnncourse.torch.sequence_models: the GRU chapter's classifiers, piano-roll networks,
their loss and the gate traces."""

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from rnncourse.data.sequences import irrelevant_tokens
from rnncourse.torch import sequence_models as sm
from rnncourse.train import count_parameters


@pytest.mark.parametrize("kind", sm.KINDS)
def test_token_classifier_reads_the_last_state_or_every_step(kind):
    torch.manual_seed(0)
    x = torch.eye(5)[torch.randint(5, (7, 3))]
    one = sm.TokenClassifier(kind, 5, 8)
    assert one(x).shape == (3, 2)
    every = sm.TokenClassifier(kind, 5, 8, num_classes=3, per_step=True)
    assert every(x).shape == (7, 3, 3)
    # the per-sequence answer is the readout of the last step's state
    every.readout = one.readout
    every.rnn = one.rnn
    torch.testing.assert_close(every(x)[:, :, :2][-1], one(x))


def test_token_classifier_rejects_inputs_of_the_wrong_size():
    with pytest.raises(ValueError, match=r"\(T, B, 5\)"):
        sm.TokenClassifier("gru", 5, 8)(torch.zeros(4, 2, 6))
    with pytest.raises(ValueError, match="kind must be one of"):
        sm.TokenClassifier("relu", 5, 8)


@pytest.mark.parametrize("kind", sm.KINDS)
def test_piano_roll_rnn_predicts_each_frame_from_the_frames_before_it(kind):
    torch.manual_seed(1)
    model = sm.PianoRollRNN(kind, 6, keys=10)
    roll = (torch.rand(9, 2, 10) < 0.3).float()
    logits = model(roll)
    assert logits.shape == roll.shape
    for t in (0, 4, 8):
        changed = roll.clone()
        changed[t:] = 1 - changed[t:]           # change frame t and everything after
        again = model(changed)
        torch.testing.assert_close(again[:t + 1], logits[:t + 1])
        if t < 8:
            assert not torch.allclose(again[t + 1:], logits[t + 1:])


def test_the_three_jsb_networks_have_about_twenty_thousand_parameters():
    counts = {kind: count_parameters(sm.PianoRollRNN(kind, units))
              for kind, units in sm.JSB_UNITS.items()}
    # layer G(HD + H² + 2H) plus readout 88(H + 1)
    expected = {kind: {"tanh": 1, "lstm": 4, "gru": 3}[kind]
                * (units * 88 + units ** 2 + 2 * units) + 88 * (units + 1)
                for kind, units in sm.JSB_UNITS.items()}
    assert counts == expected
    assert all(18_000 <= c <= 30_000 for c in counts.values()), counts


def test_forget_bias_sets_the_lstm_forget_gate_only():
    model = sm.PianoRollRNN("lstm", 4, keys=3, forget_bias=1.0)
    b_ih, b_hh = model.rnn.bias_ih_l0.detach(), model.rnn.bias_hh_l0.detach()
    assert (b_ih[4:8] == 1.0).all() and (b_hh[4:8] == 0.0).all()
    assert not (b_ih[:4] == 1.0).all()
    with pytest.raises(ValueError, match="forget_bias needs kind='lstm'"):
        sm.PianoRollRNN("gru", 4, keys=3, forget_bias=1.0)


def test_frame_nll_sums_the_keys_and_averages_the_counted_frames():
    torch.manual_seed(2)
    logits, roll = torch.randn(5, 3, 4), (torch.rand(5, 3, 4) < 0.5).float()
    mask = torch.rand(5, 3) < 0.6
    p = torch.sigmoid(logits)
    per_frame = -(roll * p.log() + (1 - roll) * (1 - p).log()).sum(-1)
    torch.testing.assert_close(sm.frame_nll(logits, roll, mask), per_frame[mask].mean())
    torch.testing.assert_close(sm.frame_nll(logits, roll), per_frame.mean())
    # uniform predictions cost ln 2 per key
    uniform = sm.frame_nll(torch.zeros(2, 1, 88), torch.ones(2, 1, 88))
    assert uniform.item() == pytest.approx(88 * np.log(2), rel=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        sm.frame_nll(logits, roll[:, :, :3])
    with pytest.raises(ValueError, match="mask must have shape"):
        sm.frame_nll(logits, roll, mask[:4])


def test_gru_gates_match_the_modules_states_and_are_gates():
    torch.manual_seed(3)
    gru = torch.nn.GRU(4, 6)
    x = torch.randn(8, 3, 4)
    with torch.no_grad():
        states, _ = gru(x)
    trace = sm.gru_gates(gru, x.numpy())
    assert set(trace) == {"r", "z", "n", "h"}
    assert all(v.shape == (8, 3, 6) for v in trace.values())
    np.testing.assert_allclose(trace["h"], states.numpy(), atol=1e-5)
    for gate in ("r", "z"):
        assert ((trace[gate] > 0) & (trace[gate] < 1)).all()
    # h_t = (1 - z) n + z h_{t-1}, torch's convention
    previous = np.concatenate([np.zeros((1, 3, 6)), trace["h"][:-1]])
    np.testing.assert_allclose(
        trace["h"], (1 - trace["z"]) * trace["n"] + trace["z"] * previous, atol=1e-12)


def test_gru_gates_rejects_what_it_cannot_trace():
    with pytest.raises(ValueError, match="one-layer, unidirectional"):
        sm.gru_gates(torch.nn.LSTM(4, 6), np.zeros((2, 1, 4)))
    with pytest.raises(ValueError, match="one-layer, unidirectional"):
        sm.gru_gates(torch.nn.GRU(4, 6, num_layers=2), np.zeros((2, 1, 4)))
    with pytest.raises(ValueError, match=r"\(T, B, 4\)"):
        sm.gru_gates(torch.nn.GRU(4, 6), np.zeros((2, 1, 5)))


def test_window_batches_cut_random_windows_and_pad_short_rolls():
    rolls = [np.ones((3, 5)), np.full((40, 5), 2.0)]
    batches = sm.window_batches(rolls, window=8, batch_size=16)
    x, mask = batches(0, np.random.default_rng(0))
    assert x.shape == (8, 16, 5) and mask.shape == (8, 16) and x.dtype == torch.float32
    lengths = mask.sum(0)
    assert set(lengths.tolist()) <= {3, 8} and {3, 8} <= set(lengths.tolist())
    assert (x[~mask] == 0).all()
    again, _ = batches(0, np.random.default_rng(0))
    assert torch.equal(x, again)
    with pytest.raises(ValueError, match="window_batches needs"):
        sm.window_batches([], 8, 4)


def test_train_piano_roll_keeps_the_weights_of_the_best_validation_score():
    rng = np.random.default_rng(4)
    rolls = [(rng.random((12, 6)) < 0.3).astype(np.float32) for _ in range(6)]
    model, history = sm.train_piano_roll("gru", 5, rolls[:4], rolls[4:], steps=30,
                                         lr=0.05, window=8, batch_size=4,
                                         eval_every=5)
    valid = history["eval"]["valid_nll"]
    assert history["best_valid_nll"] == min(valid)
    assert history["best_step"] == history["eval"]["step"][int(np.argmin(valid))]
    from rnncourse.data.chorales import pad
    x, mask = (torch.from_numpy(a) for a in pad(rolls[4:]))
    with torch.no_grad():
        assert sm.frame_nll(model(x), x, mask).item() == pytest.approx(min(valid),
                                                                       rel=1e-6)


def test_train_token_task_learns_a_short_filler_task():
    test = irrelevant_tokens(500, 6, np.random.default_rng(99), n_relevant=1)
    model, history, accuracy = sm.train_token_task(
        "gru", lambda n, rng: irrelevant_tokens(n, 6, rng, n_relevant=1), test,
        hidden_size=8, steps=150, batch_size=32, lr=0.03)
    assert history["steps"] == 150
    assert accuracy > 0.95           # one relevant token among 5 fillers: easy
    x, y = sm.token_tensors(test)
    assert F.cross_entropy(model(x), y).item() < 0.3


def test_memory_unit_finds_the_unit_that_follows_the_quantity():
    rng = np.random.default_rng(5)
    quantity = rng.normal(size=200)
    states = rng.normal(size=(200, 6))
    states[:, 4] = -0.5 * quantity + 0.01 * rng.normal(size=200)   # any sign
    states[:, 2] = 1.0                                           # a constant unit
    unit, correlation = sm.memory_unit(states, quantity)
    assert unit == 4 and 0.99 < correlation <= 1.0
    with pytest.raises(ValueError, match=r"states must be \(N, H\)"):
        sm.memory_unit(states, quantity[:10])
