"""The word-level LSTM language model of chapter 10 (rnncourse.torch.word_lm): the
model, truncated BPTT with a carried, detached state, the masked loss, perplexity, the
paper's schedule and the training wrapper."""

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

import rnncourse.torch as rt
from rnncourse.data.corpus import batchify
from rnncourse.torch import word_lm as lm


def small_model(dropout=0.0, vocab=13, hidden=6, seed=0, **kwargs):
    torch.manual_seed(seed)
    return lm.WordLM(vocab, hidden_size=hidden, num_layers=2, dropout=dropout,
                     **kwargs)


# --- the model ------------------------------------------------------------------------

def test_wordlm_shapes_and_state():
    model = small_model()
    ids = torch.randint(0, 13, (7, 3))
    logits, (h, c) = model(ids)
    assert logits.shape == (7, 3, 13)
    assert h.shape == c.shape == (2, 3, 6)
    assert model.W_hy.shape == (13, 6) and model.b_y.shape == (13,)
    assert all(p.abs().max() <= 0.1 for p in model.parameters())   # U(-0.1, 0.1)


def test_wordlm_rejects_bad_input():
    with pytest.raises(ValueError, match=r"ids must be \(T, B\)"):
        small_model()(torch.zeros(5, dtype=torch.int64))
    with pytest.raises(ValueError, match="dropout must be in"):
        lm.WordLM(10, dropout=1.0)


def test_dropout_is_active_in_training_only_and_absent_at_p_zero():
    ids = torch.randint(0, 13, (6, 2))
    model = small_model(dropout=0.5)
    model.eval()
    assert torch.equal(model(ids)[0], model(ids)[0])
    model.train()
    assert not torch.allclose(model(ids)[0], model(ids)[0])
    plain = small_model(dropout=0.0).train()
    assert torch.equal(plain(ids)[0], plain.eval()(ids)[0])


def test_wordlm_dropout_touches_only_the_non_recurrent_connections():
    """With the same kept units, the model equals an LSTM run on the dropped inputs."""
    model = small_model(dropout=0.5).train()
    assert model.lstm.dropout == 0.5          # between layers, inside torch.nn.LSTM
    ids = torch.randint(0, 13, (4, 2))
    torch.manual_seed(3)
    logits, _ = model(ids)
    torch.manual_seed(3)
    x = F.dropout(model.embedding(ids), 0.5, True)
    h, _ = model.lstm(x)
    expected = F.linear(F.dropout(h, 0.5, True), model.W_hy, model.b_y)
    assert torch.allclose(logits, expected)


def test_wordlm_with_the_course_lstm_matches_torch_nn():
    ours = small_model(lstm=rt.LSTM).eval()
    theirs = small_model().eval()
    theirs.load_state_dict(ours.state_dict())
    ids = torch.randint(0, 13, (5, 3))
    assert torch.allclose(ours(ids)[0], theirs(ids)[0], atol=1e-6)


# --- truncated BPTT -------------------------------------------------------------------

def test_detach_state_cuts_the_gradient_but_keeps_the_value():
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 4)
    first = torch.randn(5, 2, 3, requires_grad=True)
    second = torch.randn(5, 2, 3)
    _, state = lstm(first)
    lstm(second, state)[0].sum().backward()
    assert first.grad is not None and first.grad.norm() > 1e-4
    first.grad = None
    _, state = lstm(first)
    cut = lm.detach_state(state)
    assert all(not s.requires_grad for s in cut)
    assert all(torch.equal(a, b) for a, b in zip(cut, state))
    lstm(second, cut)[0].sum().backward()
    assert first.grad is None
    assert lm.detach_state(None) is None
    assert not lm.detach_state(state[0]).requires_grad


def test_truncated_bptt_continues_each_stream_and_restarts_at_an_epochs_start():
    model = small_model().eval()
    data = batchify(torch.randint(0, 13, (3 * 21,)), batch_size=3)     # (21, 3)
    batches = lm.window_batches(data, unroll=5)
    assert batches.per_epoch == 4 and batches.sizes == [15, 15, 15, 15]
    step = lm.TruncatedBPTT()
    with torch.no_grad():
        losses = [step(model, batches(k, None)).item() for k in range(4)]
        full_logits, _ = model(data[:-1])
        per_window = [F.cross_entropy(full_logits[i:i + 5].reshape(-1, 13),
                                      data[i + 1:i + 6].reshape(-1)).item()
                      for i in range(0, 20, 5)]
        assert np.allclose(losses, per_window, atol=1e-6)
        # the next epoch starts again from a zero state
        x, y, first = batches(4, None)
        assert first and torch.equal(x, data[:5])
        assert math.isclose(step(model, (x, y, first)).item(), losses[0], rel_tol=1e-6)
        # a state that was not reset would give another loss
        assert not math.isclose(step(model, (x, y, False)).item(), losses[0],
                                rel_tol=1e-6)


# --- sequences of unequal length ------------------------------------------------------

def test_masked_loss_over_a_padded_batch_equals_the_unpadded_loss():
    torch.manual_seed(0)
    lengths = torch.tensor([4, 9, 1, 6])
    logits = torch.randn(9, 4, 11)
    targets = torch.randint(0, 11, (9, 4))
    garbage = targets.clone()
    for b, n in enumerate(lengths):
        garbage[n:, b] = 7                       # anything at the padded steps
    total = sum(F.cross_entropy(logits[:n, b], targets[:n, b], reduction="sum")
                for b, n in enumerate(lengths))
    expected = total / lengths.sum()
    for t in (targets, garbage):
        assert torch.allclose(lm.masked_cross_entropy(logits, t, lengths), expected)
    # the two wrong means differ from it
    assert not torch.allclose(F.cross_entropy(logits.reshape(-1, 11),
                                              targets.reshape(-1)), expected)
    per_sentence = torch.stack([F.cross_entropy(logits[:n, b], targets[:n, b])
                                for b, n in enumerate(lengths)]).mean()
    assert not torch.allclose(per_sentence, expected)


def test_masked_loss_gradient_ignores_the_padded_steps():
    logits = torch.randn(5, 2, 3, requires_grad=True)
    lm.masked_cross_entropy(logits, torch.zeros(5, 2, dtype=torch.int64),
                            torch.tensor([5, 2])).backward()
    assert torch.all(logits.grad[2:, 1] == 0) and torch.all(logits.grad[:2, 1] != 0)


def test_length_mask_and_masked_loss_reject_bad_input():
    assert lm.length_mask(torch.tensor([2, 3]), 3).tolist() == [
        [True, True], [True, True], [False, True]]
    with pytest.raises(ValueError, match="lengths must lie between 1 and steps = 3"):
        lm.length_mask(torch.tensor([4]), 3)
    with pytest.raises(ValueError, match=r"lengths must be 1-D"):
        lm.length_mask(torch.ones(2, 2, dtype=torch.int64), 3)
    with pytest.raises(ValueError, match=r"logits must be \(T, B, K\)"):
        lm.masked_cross_entropy(torch.zeros(3, 2), torch.zeros(3, 2), [1, 1])
    with pytest.raises(ValueError, match="one entry per sequence, B = 2"):
        lm.masked_cross_entropy(torch.zeros(3, 2, 4), torch.zeros(3, 2).long(), [1])


# --- perplexity, schedule, training ---------------------------------------------------

def test_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    model = small_model(vocab=17)
    with torch.no_grad():
        model.W_hy.zero_()
        model.b_y.zero_()
    data = batchify(torch.randint(0, 17, (200,)), batch_size=4)
    assert math.isclose(lm.perplexity(model, data, unroll=7), 17.0, rel_tol=1e-5)
    assert model.training                            # the mode is restored


def test_perplexity_carries_the_state_across_windows():
    model = small_model(hidden=8, seed=1)
    with torch.no_grad():
        model.lstm.weight_hh_l1.mul_(20)             # make the state matter
    data = batchify(torch.randint(0, 13, (120,)), batch_size=2)
    carried = lm.perplexity(model, data, unroll=6)
    one_pass = math.exp(F.cross_entropy(model.eval()(data[:-1])[0].reshape(-1, 13),
                                        data[1:].reshape(-1)).item())
    assert math.isclose(carried, one_pass, rel_tol=1e-5)
    assert not math.isclose(lm.perplexity(model, data, unroll=6, carry=False),
                            carried, rel_tol=1e-4)


def test_epoch_perplexities_weight_the_windows_by_their_targets():
    history = {"loss": [math.log(2), math.log(8), math.log(4), math.log(4), 9.0]}
    ppl = lm.epoch_perplexities(history, sizes=[3, 1])
    assert len(ppl) == 2                             # the incomplete epoch is left out
    assert math.isclose(ppl[0], math.exp((3 * math.log(2) + math.log(8)) / 4))
    assert math.isclose(ppl[1], 4.0)


def test_paper_schedule_keeps_the_rate_then_decays_it_every_epoch():
    parameter = torch.zeros(1, requires_grad=True)
    sgd = torch.optim.SGD([parameter], lr=1.0)
    schedule = lm.paper_schedule(sgd, per_epoch=3, constant_epochs=4, decay=0.5)
    rates = []
    for _ in range(7 * 3):
        rates.append(sgd.param_groups[0]["lr"])
        sgd.step()
        schedule.step()
    per_epoch = rates[::3]
    assert per_epoch == [1.0, 1.0, 1.0, 1.0, 0.5, 0.25, 0.125]
    assert len(set(rates[12:15])) == 1               # constant within an epoch


def test_train_lm_learns_a_repeated_text_and_is_deterministic():
    text = torch.tensor([2, 3, 4, 5, 6, 7, 8, 9] * 40)
    data = batchify(text, batch_size=4)
    runs = []
    for _ in range(2):
        model = small_model(vocab=10, hidden=16)
        runs.append(lm.train_lm(model, data, data, epochs=30, unroll=10, lr=0.02,
                                optimizer="adam", progress=False))
    history = runs[0]
    assert len(history["train_ppl"]) == len(history["valid_ppl"]) == 30
    assert history["train_ppl"][0] > 5 and history["valid_ppl"][-1] < 1.5
    assert history["train_ppl"] == runs[1]["train_ppl"]
    with pytest.raises(ValueError, match="optimizer must be 'sgd' or 'adam'"):
        lm.train_lm(small_model(), data, data, epochs=1, optimizer="rmsprop")


def test_zaremba_run_reports_the_best_epoch_and_tests_its_weights():
    config = dict(lm.ZAREMBA_SLICE, vocab_size=60, train_words=800, valid_words=200,
                  test_words=200, hidden_size=8, batch_size=4, unroll=10, epochs=3,
                  eval_batch_size=2)
    run = lm.zaremba_run(config, dropout=0.2, seed=0, progress=False)
    assert len(run["valid_ppl"]) == len(run["train_ppl"]) == 3
    assert run["best_valid_ppl"] == min(run["valid_ppl"])
    assert run["valid_ppl"][run["best_epoch"] - 1] == run["best_valid_ppl"]
    assert 1 < run["test_ppl"] < 60 and run["parameters"] > 0
    again = lm.zaremba_run(config, dropout=0.2, seed=0, progress=False)
    assert again["valid_ppl"] == run["valid_ppl"]
    assert again["test_ppl"] == run["test_ppl"]
