"""Tests for rnncourse.np.elman (Jordan and Elman networks) and rnncourse.data.elman."""

import numpy as np
import pytest
import torch

from rnncourse.data import elman as data
from rnncourse.np import elman
from rnncourse.np.gradcheck import numerical_gradient, rel_error


def srn(D=3, H=4, O=2, seed=0):
    return elman.init_srn(D, H, O, np.random.default_rng(seed), scale=1.0)


# --- Elman's network: forward ---------------------------------------------------------

def test_srn_forward_copies_the_hidden_layer_into_the_context():
    params = srn()
    x = np.random.default_rng(1).normal(size=(6, 3))
    hidden, outputs = elman.srn_forward(x, params, context0=0.5)
    context = np.full(4, 0.5)
    for t in range(6):
        a = params["W_ih"] @ x[t] + params["W_hh"] @ context + params["b_h"]
        h = 1 / (1 + np.exp(-a))
        y = 1 / (1 + np.exp(-(params["W_hy"] @ h + params["b_y"])))
        np.testing.assert_allclose(hidden[t], h, atol=1e-14)
        np.testing.assert_allclose(outputs[t], y, atol=1e-14)
        context = h


def test_srn_forward_batch_equals_each_sequence_alone():
    params = srn()
    x = np.random.default_rng(2).normal(size=(5, 3, 3))
    hidden, outputs = elman.srn_forward(x, params)
    for b in range(3):
        h_b, y_b = elman.srn_forward(x[:, b], params)
        np.testing.assert_allclose(hidden[:, b], h_b, atol=1e-15)
        np.testing.assert_allclose(outputs[:, b], y_b, atol=1e-15)


def test_srn_is_a_tanh_rnn_in_disguise_and_matches_torch():
    # σ(a) = (1 + tanh(a/2)) / 2, so g = 2h − 1 follows a tanh RNN with W_ih/2, W_hh/4
    # and bias b/2 + W_hh·1/4, started at g_0 = 2 c_0 − 1.
    params = srn(D=3, H=5, O=2, seed=3)
    x = np.random.default_rng(4).normal(size=(7, 2, 3))
    hidden, _ = elman.srn_forward(x, params, context0=0.5)
    rnn = torch.nn.RNN(3, 5, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(params["W_ih"] / 2))
        rnn.weight_hh_l0.copy_(torch.from_numpy(params["W_hh"] / 4))
        rnn.bias_ih_l0.copy_(
            torch.from_numpy(params["b_h"] / 2 + params["W_hh"].sum(axis=1) / 4)
        )
        rnn.bias_hh_l0.zero_()
        g, _ = rnn(torch.from_numpy(x), torch.zeros(1, 2, 5, dtype=torch.float64))
    np.testing.assert_allclose(2 * hidden - 1, g.numpy(), atol=1e-12)


def test_srn_context_start_changes_only_the_first_steps():
    params = srn()
    x = np.random.default_rng(5).normal(size=(40, 3))
    h_a, _ = elman.srn_forward(x, params, context0=0.0)
    h_b, _ = elman.srn_forward(x, params, context0=1.0)
    assert np.abs(h_a[0] - h_b[0]).max() > 1e-3
    assert np.abs(h_a[-1] - h_b[-1]).max() < np.abs(h_a[0] - h_b[0]).max()


@pytest.mark.parametrize(
    "name,shape", [("W_hh", (4, 3)), ("b_h", (3,)), ("W_hy", (2, 5)), ("b_y", (4,))]
)
def test_srn_rejects_wrong_parameter_shapes_naming_the_parameter(name, shape):
    params = srn()
    params[name] = np.zeros(shape)
    with pytest.raises(ValueError, match=name):
        elman.srn_forward(np.zeros((2, 3)), params)


def test_srn_rejects_inputs_of_the_wrong_size():
    with pytest.raises(ValueError, match=r"x must have shape .* D = 3"):
        elman.srn_forward(np.zeros((4, 2)), srn())
    with pytest.raises(ValueError, match="context0"):
        elman.srn_forward(np.zeros((4, 3)), srn(), context0=np.zeros(7))


# --- Elman's network: training --------------------------------------------------------

def test_step_gradients_match_finite_differences_with_the_context_held_fixed():
    params = srn(seed=6)
    rng = np.random.default_rng(7)
    x, context, target = rng.normal(size=3), rng.uniform(size=4), rng.uniform(size=2)
    grads = elman.srn_step_gradients(x, context, target, params)

    def error():
        _, y = elman.srn_step(x[None], context[None], params)
        return np.array(0.5 * np.sum((y[0] - target) ** 2))

    for name in ("W_ih", "W_hh", "b_h", "W_hy", "b_y"):
        numeric = numerical_gradient(error, params[name], np.array(1.0))
        assert rel_error(grads[name], numeric) < 1e-6, name


def test_one_online_step_is_gradient_descent_on_that_steps_error():
    params = srn(seed=8)
    rng = np.random.default_rng(9)
    x, target = rng.normal(size=(1, 3)), rng.uniform(size=(1, 2))
    trained, history = elman.train_srn(
        params, x, target, passes=1, learning_rate=0.3, context0=0.5
    )
    grads = elman.srn_step_gradients(x[0], np.full(4, 0.5), target[0], params)
    for name in ("W_ih", "W_hh", "b_h", "W_hy", "b_y"):
        np.testing.assert_allclose(
            trained[name], params[name] - 0.3 * grads[name], atol=1e-14
        )
    # mean squared error per unit = 2E / O
    assert history[0] == pytest.approx(grads["error"] * 2 / 2)


def test_online_training_uses_the_copied_context_at_the_second_step():
    params = srn(seed=10)
    rng = np.random.default_rng(11)
    x, target = rng.normal(size=(2, 3)), rng.uniform(size=(2, 2))
    trained, _ = elman.train_srn(params, x, target, passes=1, learning_rate=0.2)
    # by hand: step 1 with context 0.5, update, step 2 with context h_1 (from the old
    # weights)
    h1, _ = elman.srn_step(x[:1], np.full((1, 4), 0.5), params)
    g1 = elman.srn_step_gradients(x[0], np.full(4, 0.5), target[0], params)
    after_one = {k: params[k] - 0.2 * g1[k] for k in params}
    g2 = elman.srn_step_gradients(x[1], h1[0], target[1], after_one)
    for name in params:
        np.testing.assert_allclose(
            trained[name], after_one[name] - 0.2 * g2[name], atol=1e-14
        )


def test_parallel_streams_apply_the_sum_of_their_one_step_gradients():
    params = srn(seed=23)
    rng = np.random.default_rng(24)
    # item 4 is dropped
    x, target = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    trained, _ = elman.train_srn(
        params, x, target, passes=1, learning_rate=0.2, n_streams=2
    )
    weights, contexts = dict(params), [np.full(4, 0.5), np.full(4, 0.5)]
    # streams: items 0, 1 and 2, 3
    for t in range(2):
        grads = [
            elman.srn_step_gradients(
                x[2 * b + t], contexts[b], target[2 * b + t], weights
            )
            for b in range(2)
        ]
        contexts = [
            elman.srn_step(x[2 * b + t][None], contexts[b][None], weights)[0][0]
            for b in range(2)
        ]
        weights = {k: weights[k] - 0.2 * (grads[0][k] + grads[1][k]) for k in weights}
    for name in params:
        np.testing.assert_allclose(trained[name], weights[name], atol=1e-14)
    with pytest.raises(ValueError, match="n_streams"):
        elman.train_srn(params, x, target, passes=1, learning_rate=0.2, n_streams=6)


def test_training_several_networks_together_equals_training_each_alone():
    nets = [srn(seed=s) for s in range(3)]
    rng = np.random.default_rng(12)
    x, target = rng.normal(size=(20, 3)), rng.uniform(size=(20, 2))
    together, history = elman.train_srn(nets, x, target, passes=2, learning_rate=0.5)
    assert history.shape == (2, 3)
    for k, net in enumerate(nets):
        alone, h = elman.train_srn(net, x, target, passes=2, learning_rate=0.5)
        np.testing.assert_allclose(history[:, k], h, atol=1e-14)
        for name in net:
            np.testing.assert_allclose(together[k][name], alone[name], atol=1e-12)


def test_training_does_not_modify_the_given_parameters():
    params = srn(seed=13)
    copy = {k: v.copy() for k, v in params.items()}
    elman.train_srn(
        params, np.ones((5, 3)), np.zeros((5, 2)), passes=1, learning_rate=1.0
    )
    for name in params:
        np.testing.assert_array_equal(params[name], copy[name])


def test_srn_learns_the_letter_task_vowels_become_predictable():
    letters = data.letter_sequence(300, np.random.default_rng(14))
    x, target = data.next_item_pairs(data.encode_letters(letters))
    params = elman.init_srn(6, 20, 6, np.random.default_rng(15))
    trained, history = elman.train_srn(params, x, target, passes=8, learning_rate=0.3)
    assert history[-1] < 0.5 * history[0]
    _, outputs = elman.srn_forward(x, trained)
    error = elman.rms_error(outputs, target)
    vowel_next = np.isin(list(letters[1:]), list("aiu"))
    assert error[vowel_next].mean() < 0.1 < error[~vowel_next].mean()


# --- Jordan's network -----------------------------------------------------------------

def jordan(D=2, H=5, O=3, seed=0):
    return elman.init_jordan(D, H, O, np.random.default_rng(seed), scale=1.0)


def test_jordan_state_is_a_decaying_sum_of_past_outputs():
    params = jordan()
    x = np.random.default_rng(16).normal(size=(6, 2))
    states, hidden, outputs = elman.jordan_forward(x, params, decay=0.6)
    np.testing.assert_array_equal(states[0], 0.0)
    for t in range(1, 6):
        expected = sum(0.6 ** (t - 1 - k) * outputs[k] for k in range(t))
        np.testing.assert_allclose(states[t], expected, atol=1e-14)
        h = 1 / (
            1
            + np.exp(
                -(params["W_ih"] @ x[t] + params["W_sh"] @ states[t] + params["b_h"])
            )
        )
        np.testing.assert_allclose(hidden[t], h, atol=1e-14)


def test_jordan_teacher_forcing_feeds_back_the_targets():
    params = jordan(seed=1)
    x = np.ones((4, 2))
    teacher = np.random.default_rng(17).uniform(size=(4, 3))
    states, _, _ = elman.jordan_forward(x, params, decay=0.5, teacher=teacher)
    np.testing.assert_allclose(states[2], 0.5 * teacher[0] + teacher[1], atol=1e-15)


def test_jordan_training_learns_two_sequences_from_their_plans():
    sequences = []
    for plan, order in (([1.0, 0.0], [0, 1, 2, 1]), ([0.0, 1.0], [2, 1, 0, 0])):
        sequences.append((np.tile(plan, (4, 1)), np.eye(3)[order]))
    params = jordan(seed=2)
    trained, history = elman.train_jordan(
        params, sequences, passes=600, learning_rate=1.0, decay=0.5
    )
    assert history[-1] < 0.2 * history[0]
    for plan, target in sequences:
        _, _, outputs = elman.jordan_forward(plan, trained, decay=0.5)   # free running
        np.testing.assert_array_equal(outputs.argmax(axis=1), target.argmax(axis=1))


# --- measuring error ------------------------------------------------------------------

def test_error_by_position_averages_windows_of_the_given_period():
    outputs = np.zeros((7, 1))
    targets = np.array([1, 0, 0, 1, 0, 0, 1.0])[:, None]     # the 7th step is dropped
    np.testing.assert_allclose(
        elman.error_by_position(outputs, targets, 3), [1.0, 0.0, 0.0]
    )
    targets = np.array([1, 0, 1, 0])[:, None] * 1.0
    np.testing.assert_allclose(
        elman.error_by_position(outputs[:4], targets, 2), [1.0, 0.0]
    )
    with pytest.raises(ValueError, match="shorter than one window"):
        elman.error_by_position(outputs[:2], targets[:2], 3)


def test_rms_error_is_over_the_output_units():
    np.testing.assert_allclose(
        elman.rms_error(np.zeros((2, 4)), np.array([[1, 1, 1, 1], [1, 0, 0, 0.0]])),
        [1.0, 0.5],
    )


# --- data -----------------------------------------------------------------------------

def test_temporal_xor_every_third_bit_is_the_xor_of_the_two_before():
    bits = data.temporal_xor(3000, np.random.default_rng(18))
    assert bits.shape == (3000,) and set(np.unique(bits)) == {0, 1}
    triples = bits.reshape(-1, 3)
    np.testing.assert_array_equal(triples[:, 2], triples[:, 0] ^ triples[:, 1])
    assert 0.45 < triples[:, :2].mean() < 0.55
    assert data.temporal_xor(7, np.random.default_rng(0)).shape == (7,)


def test_letter_sequence_follows_the_consonant_rules_and_table_1():
    letters = data.letter_sequence(200, np.random.default_rng(19))
    for word in (
        letters.replace("b", " b").replace("d", " d").replace("g", " g").split()
    ):
        assert word in ("ba", "dii", "guuu")
    codes = data.encode_letters("bdgaiu")
    np.testing.assert_array_equal(codes[:, 0], [1, 1, 1, 0, 0, 0])     # consonant bit
    np.testing.assert_array_equal(codes[:, 5], 1)                        # all voiced
    assert len({tuple(c) for c in codes}) == 6


def test_letter_stream_marks_word_onsets_and_uses_distinct_codes():
    rng = np.random.default_rng(20)
    sentences = data.word_sentences(50, rng)
    letters, codes, word_start, code_book = data.letter_stream(sentences, rng)
    words = [w for s in sentences for w in s]
    assert set(words) <= set(data.STORY_LEXICON)
    assert letters == "".join(words) and codes.shape == (len(letters), 5)
    assert word_start.sum() == len(words) and word_start[0]
    assert len(set(code_book.values())) == len(code_book)
    assert all(any(v) for v in code_book.values())


def follows_a_template(sentence, nested):
    return any(
        len(t) == len(sentence)
        and all(w in data.category_words(c, nested) for w, c in zip(sentence, t))
        for t in data.SENTENCE_TEMPLATES
    )


def test_lexical_sentences_follow_the_templates():
    sentences = data.lexical_sentences(500, np.random.default_rng(21))
    assert len(data.lexicon()) == 29
    assert all(
        2 <= len(s) <= 3 and follows_a_template(s, nested=True) for s in sentences
    )
    # nested categories: foods and breakables also begin sentences ("cookie move")
    assert {s[0] for s in sentences} & set(data.LEXICAL_CATEGORIES["NOUN-FOOD"])


def test_strict_categories_never_put_a_food_first():
    sentences = data.lexical_sentences(500, np.random.default_rng(22), nested=False)
    assert all(follows_a_template(s, nested=False) for s in sentences)
    assert not {s[0] for s in sentences} & set(data.LEXICAL_CATEGORIES["NOUN-FOOD"])
    assert data.category_words("NOUN-ANIM") == (
        "cat",
        "mouse",
        "dog",
        "man",
        "woman",
        "boy",
        "girl",
        "dragon",
        "monster",
        "lion",
    )
    with pytest.raises(ValueError, match="category must be one of"):
        data.category_words("NOUN-PLANT")


def test_likelihood_vectors_are_the_next_word_distributions_given_the_sentence_so_far():
    sentences = [
        ["man", "eat", "cookie"],
        ["man", "eat", "bread"],
        ["cat", "move"],
        ["man", "think"],
    ]
    vectors = data.likelihood_vectors(sentences)
    words = data.lexicon()
    np.testing.assert_allclose(vectors.sum(axis=1), 1.0)
    # after "man" (sentence-initial): eat twice, think once
    np.testing.assert_allclose(
        vectors[0, [words.index("eat"), words.index("think")]], [2 / 3, 1 / 3]
    )
    # after "man eat": cookie or bread
    np.testing.assert_allclose(
        vectors[1, [words.index("cookie"), words.index("bread")]], [0.5, 0.5]
    )
    # after a sentence's last word: the distribution of sentence-initial words (man,
    # man, cat)
    np.testing.assert_allclose(
        vectors[2, [words.index("man"), words.index("cat")]], [2 / 3, 1 / 3]
    )


def test_one_hot_words_has_31_bits_with_two_never_on():
    codes = data.one_hot_words(list(data.lexicon()))
    assert codes.shape == (29, 31)
    np.testing.assert_array_equal(codes[:, :29], np.eye(29))
    np.testing.assert_array_equal(codes[:, 29:], 0)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        data.one_hot_words(["unicorn"])
