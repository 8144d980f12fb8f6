"""rnncourse.np.charlm: softmax cross-entropy, the character language model, its
training."""

import numpy as np
import pytest
import torch

from rnncourse.np import numerical_gradient, rel_error
from rnncourse.np import charlm as lm


def random_case(seed, T=4, B=3, K=5, H=6, scale=0.5):
    rng = np.random.default_rng(seed)
    params = lm.init_char_lm(K, H, rng, scale=scale)
    params["b_ih"] = rng.normal(0, scale, H)
    params["b_y"] = rng.normal(0, scale, K)
    ids = rng.integers(0, K, size=(T + 1, B))
    h0 = rng.normal(0, 0.5, (B, H))
    return params, ids[:-1], ids[1:], h0


# --- softmax cross-entropy ------------------------------------------------------------

def test_softmax_cross_entropy_matches_torch_loss_and_autograd():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (4, 3, 7))
    targets = rng.integers(0, 7, (4, 3))
    loss, dlogits = lm.softmax_cross_entropy(logits, targets)
    leaf = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(
        leaf.reshape(-1, 7), torch.from_numpy(targets).reshape(-1)
    )
    expected.backward()
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(dlogits, leaf.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_softmax_cross_entropy_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(3, 2, 4))
    targets = rng.integers(0, 4, (3, 2))
    _, dlogits = lm.softmax_cross_entropy(logits, targets)
    numeric = numerical_gradient(
        lambda: np.array(lm.softmax_cross_entropy(logits, targets)[0]), logits, 1.0
    )
    assert rel_error(dlogits, numeric) < 1e-8


def test_softmax_cross_entropy_is_finite_for_huge_logits_and_leaves_them_unchanged():
    logits = np.array([[[1000.0, 999.0, -1000.0]], [[-2000.0, -2001.0, -3000.0]]])
    copy = logits.copy()
    loss, dlogits = lm.softmax_cross_entropy(logits, np.array([[1], [0]]))
    expected = 0.5 * (np.log1p(np.exp(-1.0)) + 1.0) + 0.5 * np.log1p(np.exp(-1.0))
    assert loss == pytest.approx(expected, rel=1e-12)
    assert np.all(np.isfinite(dlogits))
    np.testing.assert_array_equal(logits, copy)


def test_uniform_logits_give_ln_K_and_gradient_rows_sum_to_zero():
    loss, dlogits = lm.softmax_cross_entropy(
        np.zeros((5, 2, 9)), np.zeros((5, 2), dtype=int)
    )
    assert loss == pytest.approx(np.log(9))
    np.testing.assert_allclose(dlogits.sum(axis=-1), 0.0, atol=1e-15)


@pytest.mark.parametrize("targets, match", [
    (np.zeros((2, 2), dtype=int), "shape"),
    (np.zeros((2, 3)), "integer"),
    (np.full((2, 3), 4), r"\[0, 4\)"),
])
def test_softmax_cross_entropy_rejects_bad_targets(targets, match):
    with pytest.raises(ValueError, match=match):
        lm.softmax_cross_entropy(np.zeros((2, 3, 4)), targets)


def test_softmax_with_temperature_sharpens_and_flattens():
    logits = np.array([2.0, 1.0, 0.0])
    cold, warm = lm.softmax(logits, 0.5), lm.softmax(logits, 2.0)
    np.testing.assert_allclose(
        lm.softmax(logits), np.exp(logits) / np.exp(logits).sum()
    )
    assert cold[0] > lm.softmax(logits)[0] > warm[0]
    np.testing.assert_allclose([cold.sum(), warm.sum()], 1.0)


# --- the model ------------------------------------------------------------------------

def test_one_hot_puts_a_single_one_at_each_id():
    x = lm.one_hot(np.array([[0, 2], [1, 1]]), 3)
    assert x.shape == (2, 2, 3)
    np.testing.assert_array_equal(x.argmax(-1), [[0, 2], [1, 1]])
    np.testing.assert_array_equal(x.sum(-1), 1.0)


def test_fresh_model_starts_near_ln_K():
    rng = np.random.default_rng(2)
    params = lm.init_char_lm(40, 32, rng)
    ids = rng.integers(0, 40, size=(26, 4))
    loss, _, _ = lm.char_lm_loss(params, ids[:-1], ids[1:], np.zeros((4, 32)))
    assert abs(loss - np.log(40)) < 0.01


@pytest.mark.parametrize("name", ["W_ih", "W_hh", "b_ih", "b_hh", "W_hy", "b_y"])
def test_char_lm_gradients_match_finite_differences(name):
    params, inputs, targets, h0 = random_case(3)
    _, grads, _ = lm.char_lm_loss(params, inputs, targets, h0)
    numeric = numerical_gradient(
        lambda: np.array(lm.char_lm_loss(params, inputs, targets, h0)[0]),
        params[name],
        1.0,
    )
    assert grads[name].shape == params[name].shape
    assert rel_error(grads[name], numeric) < 1e-7


def test_char_lm_matches_torch_rnn_with_a_linear_output_layer():
    params, inputs, targets, h0 = random_case(4, T=6, B=2, K=5, H=4)
    loss, grads, h_last = lm.char_lm_loss(params, inputs, targets, h0)
    rnn = torch.nn.RNN(5, 4, dtype=torch.float64)
    out_layer = torch.nn.Linear(4, 5, dtype=torch.float64)
    with torch.no_grad():
        for ours, theirs in [
            ("W_ih", rnn.weight_ih_l0),
            ("W_hh", rnn.weight_hh_l0),
            ("b_ih", rnn.bias_ih_l0),
            ("b_hh", rnn.bias_hh_l0),
            ("W_hy", out_layer.weight),
            ("b_y", out_layer.bias),
        ]:
            theirs.copy_(torch.from_numpy(params[ours]))
    x = torch.nn.functional.one_hot(torch.from_numpy(inputs), 5).double()
    states, h_n = rnn(x, torch.from_numpy(h0)[None])
    logits = out_layer(states)
    expected = torch.nn.functional.cross_entropy(
        logits.reshape(-1, 5), torch.from_numpy(targets).reshape(-1)
    )
    expected.backward()
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(h_last, h_n[0].detach().numpy(), atol=1e-14)
    torch_grads = {
        "W_ih": rnn.weight_ih_l0,
        "W_hh": rnn.weight_hh_l0,
        "b_ih": rnn.bias_ih_l0,
        "b_hh": rnn.bias_hh_l0,
        "W_hy": out_layer.weight,
        "b_y": out_layer.bias,
    }
    for name, tensor in torch_grads.items():
        np.testing.assert_allclose(
            grads[name], tensor.grad.numpy(), rtol=1e-9, atol=1e-14, err_msg=name
        )


# --- training -------------------------------------------------------------------------

def test_clip_grad_norm_rescales_to_the_maximum_and_keeps_the_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    norm = lm.clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(grads["a"], [0.6, 0.0])
    np.testing.assert_allclose(grads["b"], [[0.8]])
    small = {"a": np.array([0.1, 0.2])}
    assert lm.clip_grad_norm(small, 1.0) == pytest.approx(np.sqrt(0.05))
    np.testing.assert_array_equal(small["a"], [0.1, 0.2])


def test_adam_matches_torch_optim_adam():
    rng = np.random.default_rng(5)
    params = {"w": rng.normal(size=(3, 2))}
    weight = torch.tensor(params["w"].copy(), requires_grad=True)
    ours, theirs = lm.Adam(lr=0.01), torch.optim.Adam([weight], lr=0.01)
    for _ in range(5):
        g = rng.normal(size=(3, 2))
        ours.step(params, {"w": g.copy()})
        weight.grad = torch.from_numpy(g)
        theirs.step()
    np.testing.assert_allclose(params["w"], weight.detach().numpy(), rtol=1e-12)


def test_adagrad_takes_steps_of_size_lr_first_and_shrinking_after():
    params = {"w": np.array([1.0, -1.0])}
    opt = lm.Adagrad(lr=0.1)
    opt.step(params, {"w": np.array([2.0, -0.5])})
    # g / |g| = sign(g) on the first step
    np.testing.assert_allclose(params["w"], [0.9, -0.9])
    opt.step(params, {"w": np.array([2.0, -0.5])})
    np.testing.assert_allclose(
        params["w"], [0.9 - 0.1 / np.sqrt(2), -0.9 + 0.1 / np.sqrt(2)]
    )


@pytest.mark.parametrize(
    "optimizer", [lm.Adagrad(lr=0.1), lm.Adam(lr=0.01)], ids=["adagrad", "adam"]
)
def test_training_steps_overfit_a_short_repeated_text(optimizer):
    # "abcdefabcdef...": perfectly predictable
    ids = np.tile(np.arange(6), 40)
    rng = np.random.default_rng(6)
    params = lm.init_char_lm(6, 16, rng)
    losses, h = [], None
    for step, (inputs, targets, new_pass) in zip(
        range(300), lm.text_batches(ids, 4, 10)
    ):
        h = np.zeros((4, 16)) if new_pass else h
        loss, h, _ = lm.train_step(params, optimizer, inputs, targets, h)
        losses.append(loss)
    assert losses[0] == pytest.approx(np.log(6), abs=0.01)
    assert np.mean(losses[-10:]) < 0.05


def test_text_batches_cut_contiguous_streams_and_carry_on_across_windows():
    ids = np.arange(103)
    batches = lm.text_batches(ids, batch_size=4, seq_length=5)
    (x1, y1, new1), (x2, _, new2) = next(batches), next(batches)
    assert x1.shape == y1.shape == (5, 4)
    # targets are the next characters
    np.testing.assert_array_equal(y1, x1 + 1)
    np.testing.assert_array_equal(x1[:, 0], [0, 1, 2, 3, 4])
    # four streams of 25 characters
    np.testing.assert_array_equal(x1[0], [0, 25, 50, 75])
    # the next window continues each stream
    np.testing.assert_array_equal(x2[0], x1[-1] + 1)
    assert new1 and not new2
    news = [next(batches)[2] for _ in range(4)]
    # after 5 windows, a new pass starts
    assert news == [False, False, False, True]
    with pytest.raises(ValueError, match="at least"):
        next(lm.text_batches(np.arange(10), 4, 5))


def test_evaluate_of_a_fresh_model_is_near_ln_K():
    rng = np.random.default_rng(7)
    params = lm.init_char_lm(12, 8, rng)
    assert lm.evaluate(params, rng.integers(0, 12, 500), batch_size=4) == pytest.approx(
        np.log(12), abs=0.01
    )


def test_sampling_is_reproducible_and_temperature_zero_is_greedy():
    params, _, _, _ = random_case(8, K=7, H=5, scale=1.0)
    a = lm.sample(params, [1, 2], 30, np.random.default_rng(0))
    b = lm.sample(params, [1, 2], 30, np.random.default_rng(0))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (30,) and a.min() >= 0 and a.max() < 7
    greedy = lm.sample(params, [1, 2], 10, np.random.default_rng(0), temperature=0)
    logits, _, _ = lm.char_lm_forward(params, np.array([[1], [2]]), np.zeros((1, 5)))
    assert greedy[0] == np.argmax(logits[-1, 0])
    with pytest.raises(ValueError, match="prompt"):
        lm.sample(params, [], 5, np.random.default_rng(0))


def test_low_temperature_samples_are_less_varied():
    params, _, _, _ = random_case(9, K=7, H=5, scale=1.0)
    cold = lm.sample(params, [0], 400, np.random.default_rng(1), temperature=0.2)
    hot = lm.sample(params, [0], 400, np.random.default_rng(1), temperature=5.0)
    assert len(np.unique(hot)) >= len(np.unique(cold))
    assert np.max(np.bincount(cold, minlength=7)) > np.max(
        np.bincount(hot, minlength=7)
    )


def test_textbook_bptt_for_one_sequence_equals_the_batched_model_times_T():
    params, inputs, targets, h0 = random_case(10, T=7, B=1, K=6, H=5)
    loss, grads = lm.bptt_one_sequence(params, inputs[:, 0], targets[:, 0], h0[0])
    mean_loss, mean_grads, _ = lm.char_lm_loss(params, inputs, targets, h0)
    assert loss == pytest.approx(7 * mean_loss, rel=1e-12)
    for name in params:
        np.testing.assert_allclose(
            grads[name], 7 * mean_grads[name], rtol=1e-10, atol=1e-14, err_msg=name
        )


# --- held-out evaluation, the training loop ------------------------------------------

def test_target_log_probs_score_every_stream_character_once_in_text_order():
    params, _, _, _ = random_case(11, K=5, H=4, scale=1.0)
    ids = np.random.default_rng(11).integers(0, 5, 203)
    log_probs, positions = lm.target_log_probs(params, ids, batch_size=4)
    # four streams of (203 - 1) // 4 = 50 inputs: targets 1 ... 200
    np.testing.assert_array_equal(positions, np.arange(1, 201))
    assert -log_probs.mean() == pytest.approx(lm.evaluate(params, ids, batch_size=4))
    # the first target of a stream is predicted from its first character and h0 = 0
    logits, _, _ = lm.char_lm_forward(params, ids[[50]][:, None], np.zeros((1, 4)))
    expected = np.log(lm.softmax(logits[0, 0]))[ids[51]]
    assert log_probs[50] == pytest.approx(expected)
    with pytest.raises(ValueError, match="too short"):
        lm.stream_index(3, 4)


def test_train_char_lm_keeps_the_parameters_with_the_best_validation_loss():
    ids = np.tile(np.arange(6), 60)
    params = lm.init_char_lm(6, 12, np.random.default_rng(12))
    history = lm.train_char_lm(
        params, lm.Adam(lr=0.01), ids, 120, batch_size=4, seq_length=10,
        valid_ids=ids[:200], eval_every=40,
    )
    assert len(history["loss"]) == 120 and history["eval_step"] == [40, 80, 120]
    best = int(np.argmin(history["valid_loss"]))
    assert history["best_step"] == history["eval_step"][best]
    assert lm.evaluate(history["best"], ids[:200], batch_size=1) < 0.2
    assert lm.evaluate(history["best"], ids[:200], 128) == pytest.approx(
        history["valid_loss"][best]
    )
    # the kept copy does not change when training goes on
    kept = {k: v.copy() for k, v in history["best"].items()}
    lm.train_char_lm(params, lm.Adam(lr=0.01), ids, 5, batch_size=4, seq_length=10)
    for name in kept:
        np.testing.assert_array_equal(kept[name], history["best"][name])


def test_train_char_lm_without_validation_returns_the_final_parameters():
    ids = np.tile(np.arange(5), 40)
    params = lm.init_char_lm(5, 8, np.random.default_rng(13))
    history = lm.train_char_lm(params, lm.Adagrad(), ids, 30, batch_size=2,
                               seq_length=8)
    assert history["best_step"] == 30 and history["valid_loss"] == []
    for name in params:
        np.testing.assert_array_equal(history["best"][name], params[name])


# --- the Kneser-Ney baseline ------------------------------------------------------

def brute_force_kneser_ney(ids, K, order, context, w):
    """p(w | context) by the textbook recursion, with Python dictionaries."""
    from collections import Counter, defaultdict

    def grams(k):
        return Counter(tuple(ids[i:i + k]) for i in range(len(ids) - k + 1))

    def level(k, top):
        counts = grams(k) if top else Counter()
        if not top:   # continuation counts: distinct left neighbours of each k-gram
            left = defaultdict(set)
            for g in grams(k + 1):
                left[g[1:]].add(g[0])
            counts = Counter({g: len(v) for g, v in left.items()})
        n1 = sum(1 for c in counts.values() if c == 1)
        n2 = sum(1 for c in counts.values() if c == 2)
        return counts, n1 / (n1 + 2 * n2) if n1 + 2 * n2 else 0.5

    p = 1.0 / K
    for k in range(1, order + 1):
        counts, D = level(k, k == order)
        h = tuple(context[len(context) - (k - 1):]) if k > 1 else ()
        total = sum(c for g, c in counts.items() if g[:-1] == h)
        if total == 0:
            continue
        types = sum(1 for g in counts if g[:-1] == h)
        p = max(counts.get(h + (w,), 0) - D, 0) / total + D * types / total * p
    return p


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_matches_the_textbook_recursion(order):
    rng = np.random.default_rng(order)
    K = 4
    ids = rng.integers(0, K, 300)
    ids[::7] = 0                                      # some structure
    model = lm.KneserNeyLM(ids, K, max_order=4)
    text = rng.integers(0, K, 40)
    p = model.probabilities(text, order, np.arange(5, 40))
    for position, value in zip(range(5, 40), p):
        expected = brute_force_kneser_ney(
            list(ids), K, order, list(text[:position]), text[position]
        )
        assert value == pytest.approx(expected, rel=1e-12)


def test_kneser_ney_distributions_sum_to_one_and_unseen_contexts_back_off():
    ids = np.random.default_rng(14).integers(0, 6, 500)
    model = lm.KneserNeyLM(ids, 6, max_order=5)
    for order in (1, 3, 5):
        for context in ([0, 1, 2, 3], [5, 5, 5, 5]):
            total = sum(
                model.probabilities(np.array(context + [w]), order, [4])[0]
                for w in range(6)
            )
            assert total == pytest.approx(1.0, abs=1e-12)
    # a character that never occurs still gets probability (from the uniform floor)
    model = lm.KneserNeyLM(np.tile([0, 1, 2], 50), 4, max_order=3)
    assert 0 < model.probabilities(np.array([0, 1, 3]), 3, [2])[0] < 0.05


def test_kneser_ney_rejects_bad_arguments():
    with pytest.raises(ValueError, match="max_order"):
        lm.KneserNeyLM(np.zeros(50, dtype=int), 41, max_order=11)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        lm.KneserNeyLM(np.array([0, 1, 5, 1, 2]), 3, max_order=2)
    model = lm.KneserNeyLM(np.arange(20) % 3, 3, max_order=2)
    with pytest.raises(ValueError, match="order"):
        model.probabilities(np.array([0, 1]), 3)
