"""Tests for rnncourse.torch.seq2seq: attention, padding, the three decoder layouts,
greedy decoding and beam search (against exhaustive enumeration), losses and BLEU."""

import itertools
import math

import pytest
import torch

from rnncourse.torch import seq2seq as s2s
from rnncourse.torch.seq2seq import BOS, EOS, PAD

LAYOUTS = [  # (cell, bidirectional, context)
    ("gru", True, "attention"),
    ("lstm", True, "attention"),
    ("gru", True, "fixed"),
    ("lstm", False, "fixed"),
    ("lstm", False, "initial"),
    ("gru", False, "initial"),
]


def random_model(layout, seed=0, src_vocab=9, tgt_vocab=8, scale=1.0, **kwargs):
    torch.manual_seed(seed)
    cell, bidirectional, context = layout
    model = s2s.Seq2Seq(src_vocab, tgt_vocab, 6, 5, cell=cell,
                        bidirectional=bidirectional, context=context, **kwargs)
    with torch.no_grad():               # sharper distributions than the default init
        for p in model.parameters():
            p.mul_(scale)
    return model.double().eval()


def random_batch(lengths, vocab=9, seed=0):
    g = torch.Generator().manual_seed(seed)
    src = torch.full((max(lengths), len(lengths)), PAD, dtype=torch.long)
    for b, n in enumerate(lengths):
        src[:n, b] = torch.randint(3, vocab, (n,), generator=g)
    return src, torch.tensor(lengths)


# --- attention ------------------------------------------------------------------------

def test_masked_softmax_sums_to_one_and_is_exactly_zero_on_padding():
    g = torch.Generator().manual_seed(0)
    scores = torch.randn(7, 4, generator=g, dtype=torch.float64) * 10
    lengths = torch.tensor([7, 1, 3, 5])
    mask = torch.arange(7)[:, None] < lengths
    weights = s2s.masked_softmax(scores, mask, dim=0)
    assert torch.allclose(weights.sum(0), torch.ones(4, dtype=torch.float64))
    assert (weights[~mask] == 0).all()
    assert (weights[mask] > 0).all()
    # the real positions get the softmax of their own scores only
    for b, n in enumerate(lengths):
        assert torch.allclose(weights[:n, b], scores[:n, b].softmax(0))
    with pytest.raises(ValueError, match="same shape"):
        s2s.masked_softmax(scores, mask[:3])


def test_additive_attention_matches_bahdanaus_formula_position_by_position():
    torch.manual_seed(1)
    attention = s2s.AdditiveAttention(query_size=3, key_size=4, attention_size=5)
    attention = attention.double()
    S, B = 6, 3
    keys = torch.randn(S, B, 4, dtype=torch.float64)
    query = torch.randn(B, 3, dtype=torch.float64)
    lengths = torch.tensor([6, 2, 4])
    mask = torch.arange(S)[:, None] < lengths
    context, weights = attention(query, keys, mask)
    W_a, U_a = attention.W_a.weight, attention.U_a.weight
    v_a = attention.v_a.weight[0]
    for b in range(B):
        n = int(lengths[b])
        e = torch.stack([v_a @ torch.tanh(W_a @ query[b] + U_a @ keys[j, b])
                         for j in range(n)])
        alpha = torch.exp(e - e.max()) / torch.exp(e - e.max()).sum()
        assert torch.allclose(weights[:n, b], alpha)
        assert (weights[n:, b] == 0).all()
        assert torch.allclose(context[b], (alpha[:, None] * keys[:n, b]).sum(0))
    # padded keys do not matter at all, whatever they hold
    keys_changed = keys.clone()
    keys_changed[~mask] = 1e3
    context2, weights2 = attention(query, keys_changed, mask)
    assert torch.equal(weights, weights2) and torch.allclose(context, context2)


def test_attention_weights_of_the_model_sum_to_one_and_skip_padding():
    model = random_model(("gru", True, "attention"), scale=3.0)
    src, lengths = random_batch([5, 2, 4])
    tgt_in = torch.full((4, 3), BOS)
    tgt_in[1:] = 4
    _, weights = model(src, lengths, tgt_in, return_attention=True)
    assert weights.shape == (4, 5, 3)
    assert torch.allclose(weights.sum(1), torch.ones(4, 3, dtype=torch.float64))
    mask = torch.arange(5)[:, None] < lengths
    assert (weights[:, ~mask] == 0).all()


# --- padding: a sentence is translated the same alone and in a batch ----------------

@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda x: "-".join(map(str, x)))
def test_a_padded_batch_gives_the_same_outputs_as_one_sentence_at_a_time(layout):
    model = random_model(layout, seed=2, scale=2.0)
    lengths = [6, 1, 3, 5]
    src, src_lengths = random_batch(lengths, seed=3)
    T = 5
    tgt_in = torch.randint(3, 8, (T, 4), generator=torch.Generator().manual_seed(4))
    tgt_in[0] = BOS
    annotations, summary, _ = model.encoder(src, src_lengths)
    logits = model(src, src_lengths, tgt_in)
    greedy = s2s.greedy_decode(model, src, src_lengths, max_length=7)
    beam, beam_scores = s2s.beam_search(model, src, src_lengths, 3, max_length=7)
    for b, n in enumerate(lengths):
        one, one_len = src[:n, b:b + 1], src_lengths[b:b + 1]
        a1, s1, _ = model.encoder(one, one_len)
        assert torch.allclose(annotations[:n, b], a1[:, 0], atol=1e-12)
        assert (annotations[n:, b] == 0).all()
        assert torch.allclose(summary[b], s1[0], atol=1e-12)
        alone = model(one, one_len, tgt_in[:, b:b + 1])[:, 0]
        assert torch.allclose(logits[:, b], alone, atol=1e-10)
        assert greedy[b] == s2s.greedy_decode(model, one, one_len, max_length=7)[0]
        seq, score = s2s.beam_search(model, one, one_len, 3, max_length=7)
        assert beam[b] == seq[0]
        assert abs(float(beam_scores[b] - score[0])) < 1e-10


def test_fixed_context_teacher_forcing_equals_step_by_step_decoding():
    """The one-call path of forward() for a fixed context equals a loop of step()."""
    for layout in [("lstm", False, "initial"), ("gru", True, "fixed")]:
        model = random_model(layout, seed=5, scale=2.0)
        src, lengths = random_batch([4, 3], seed=6)
        tgt_in = torch.tensor([[BOS, BOS], [4, 5], [6, 3]])
        memory = model.encode(src, lengths)
        state = model.initial_state(memory)
        stepped = []
        for y in tgt_in:
            out, state, _ = model.step(y, state, memory)
            stepped.append(out)
        assert torch.allclose(model(src, lengths, tgt_in), torch.stack(stepped))


# --- decoding -------------------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda x: "-".join(map(str, x)))
def test_beam_width_one_is_greedy_decoding(layout):
    for seed in range(3):
        model = random_model(layout, seed=seed, scale=2.5)
        src, lengths = random_batch([5, 3, 4, 2, 6], seed=seed)
        greedy = s2s.greedy_decode(model, src, lengths, max_length=8)
        beam, scores = s2s.beam_search(model, src, lengths, 1, max_length=8,
                                       length_penalty=0.0)
        assert beam == greedy
        # the score is the log-probability of the sequence
        b = seed
        expected = sequence_score(model, src[:, b:b + 1], lengths[b:b + 1], greedy[b])
        assert abs(float(scores[b]) - expected) < 1e-9


def sequence_score(model, src, lengths, sequence):
    """log p(sequence | src) step by step with the decoding distribution."""
    memory = model.encode(src, lengths)
    state = model.initial_state(memory)
    y, total = torch.tensor([BOS]), 0.0
    with torch.no_grad():
        for word in sequence:
            logits, state, _ = model.step(y, state, memory)
            total += float(s2s.decoding_log_probs(logits)[0, word])
            y = torch.tensor([word])
    return total


def all_sequences(words, max_length):
    """Every output beam search can return: w_1..w_k EOS with k + 1 <= max_length,
    and the max_length-word sequences without EOS (cut off)."""
    for k in range(max_length):
        for body in itertools.product(words, repeat=k):
            yield list(body) + [EOS]
    yield from (list(body) for body in itertools.product(words, repeat=max_length))


def batch_scores(model, src, lengths, sequences):
    """log p(y | x) of many sequences for one source, in one teacher-forced pass."""
    n = len(sequences)
    targets = torch.full((max(map(len, sequences)), n), PAD, dtype=torch.long)
    for b, seq in enumerate(sequences):
        targets[:len(seq), b] = torch.tensor(seq)
    return s2s.sequence_log_prob(model, src.expand(-1, n), lengths.expand(n), targets)


def test_a_wide_beam_finds_the_best_sequence_that_enumeration_finds():
    """On a tiny model (two words besides EOS, four steps) every output sequence can
    be scored; a beam wide enough to keep every prefix returns the best one, and a
    narrow beam sometimes does not (so the check is not vacuous)."""
    words, max_length = [3, 4], 4
    sequences = list(all_sequences(words, max_length))
    assert len(sequences) == 1 + 2 + 4 + 8 + 16
    narrow_misses = 0
    for seed in range(8):
        model = random_model(("gru", True, "attention"), seed=seed, tgt_vocab=5,
                             scale=3.0)
        src, lengths = random_batch([3], seed=seed)
        logp = batch_scores(model, src, lengths, sequences)
        # the batched scores are the step-by-step ones
        assert abs(float(logp[5]) - sequence_score(model, src, lengths,
                                                   sequences[5])) < 1e-9
        for length_penalty in (0.0, 0.6, 1.0):
            normalised = [float(lp) / len(seq) ** length_penalty
                          for lp, seq in zip(logp, sequences)]
            best = max(range(len(sequences)), key=normalised.__getitem__)
            found, score = s2s.beam_search(model, src, lengths, beam_size=32,
                                           max_length=max_length,
                                           length_penalty=length_penalty)
            assert found[0] == sequences[best]
            assert abs(float(score[0]) - normalised[best]) < 1e-9
            narrow, _ = s2s.beam_search(model, src, lengths, 1, max_length,
                                        length_penalty)
            narrow_misses += narrow[0] != sequences[best]
    assert narrow_misses > 0


def test_beam_search_scores_are_normalised_log_probabilities_of_what_it_returns():
    model = random_model(("lstm", False, "initial"), seed=7, scale=2.0)
    src, lengths = random_batch([4, 6, 2, 5], seed=8)
    for width in (1, 2, 4, 8):
        seqs, scores = s2s.beam_search(model, src, lengths, width, max_length=6,
                                       length_penalty=1.0)
        for b, seq in enumerate(seqs):
            logp = batch_scores(model, src[:, b:b + 1], lengths[b:b + 1], [seq])
            assert abs(float(scores[b] - logp[0] / len(seq))) < 1e-9
            assert PAD not in seq and BOS not in seq
            assert EOS not in seq[:-1] and len(seq) <= 6


def test_greedy_decode_stops_at_eos_and_returns_attention_rows():
    model = random_model(("gru", True, "attention"), seed=9, scale=2.0)
    src, lengths = random_batch([4, 2], seed=10)
    seqs, weights = s2s.greedy_decode(model, src, lengths, max_length=6,
                                      return_attention=True)
    for b, seq in enumerate(seqs):
        assert EOS not in seq[:-1]
        assert len(seq) <= 6
        assert weights[b].shape == (len(seq), int(lengths[b]))
        assert torch.allclose(weights[b].sum(1), torch.ones(len(seq),
                                                             dtype=torch.float64))


def test_bad_arguments_are_rejected_with_clear_errors():
    with pytest.raises(ValueError, match="bidirectional=False"):
        s2s.Seq2Seq(5, 5, context="initial", bidirectional=True)
    with pytest.raises(ValueError, match="context must be one of"):
        s2s.Seq2Seq(5, 5, context="luong")
    with pytest.raises(ValueError, match="cell must be one of"):
        s2s.Seq2Seq(5, 5, cell="rnn")
    model = random_model(("gru", True, "attention"))
    src, lengths = random_batch([3, 2])
    with pytest.raises(ValueError, match=r"src_lengths must have shape \(B,\) = \(2"):
        model(src, lengths[:1], torch.zeros(2, 2, dtype=torch.long))
    with pytest.raises(ValueError, match="between 1 and S"):
        model(src, torch.tensor([3, 0]), torch.zeros(2, 2, dtype=torch.long))
    with pytest.raises(ValueError, match=r"tgt_in must have shape \(T, B\)"):
        model(src, lengths, torch.zeros(2, 3, dtype=torch.long))
    with pytest.raises(ValueError, match="beam_size"):
        s2s.beam_search(model, src, lengths, 0, 5)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        s2s.Vocabulary(["a"]).encode(["b"])


# --- batches, losses and scores -----------------------------------------------------

def test_make_batch_pads_shifts_targets_and_reverses_only_the_real_source_words():
    src_vocab, tgt_vocab = s2s.Vocabulary("abcd"), s2s.Vocabulary("xyz")
    pairs = [("abc", "xy"), ("d", "zzx")]
    batch = s2s.make_batch(pairs, src_vocab, tgt_vocab)
    a, b, c, d = (src_vocab.index[w] for w in "abcd")
    x, y, z = (tgt_vocab.index[w] for w in "xyz")
    assert batch.src.T.tolist() == [[a, b, c], [d, PAD, PAD]]
    assert batch.src_lengths.tolist() == [3, 1]
    assert batch.tgt_in.T.tolist() == [[BOS, x, y, PAD], [BOS, z, z, x]]
    assert batch.tgt_out.T.tolist() == [[x, y, EOS, PAD], [z, z, x, EOS]]
    reversed_ = s2s.make_batch(pairs, src_vocab, tgt_vocab, reverse_source=True)
    assert reversed_.src.T.tolist() == [[c, b, a], [d, PAD, PAD]]
    assert tgt_vocab.decode([x, y, EOS, z]) == ["x", "y"]


def test_sequence_loss_is_the_mean_over_real_tokens_and_ignores_padding():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 3, 6, generator=g, dtype=torch.float64)
    targets = torch.tensor([[3, 4, 5], [5, 4, EOS], [EOS, PAD, PAD], [PAD, PAD, PAD]])
    per_token = -logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    real = targets != PAD
    expected = per_token[real].mean()
    assert torch.allclose(s2s.sequence_loss(logits, targets), expected)
    nll, n = s2s.sequence_nll(logits, targets)
    assert n == 7 and torch.allclose(nll, per_token[real].sum())
    # changing the logits at padded positions changes nothing
    changed = logits.clone()
    changed[~real] = 100.0
    assert torch.allclose(s2s.sequence_loss(changed, targets), expected)
    with pytest.raises(ValueError, match=r"logits must be \(T, B, K\)"):
        s2s.sequence_loss(logits[:, :2], targets)


def test_perplexity_of_a_model_that_knows_nothing_is_the_vocabulary_size():
    model = random_model(("gru", True, "attention"), tgt_vocab=7)
    with torch.no_grad():
        model.output.weight.zero_()
        model.output.bias.zero_()
    src_vocab, tgt_vocab = s2s.Vocabulary("abcdef"), s2s.Vocabulary("wxyz")
    pairs = [("abc", "wx"), ("fed", "zzzy")]
    assert len(tgt_vocab) == 7
    assert math.isclose(s2s.perplexity(model, pairs, src_vocab, tgt_vocab), 7.0,
                        rel_tol=1e-9)


def test_bleu_comes_from_sacrebleu():
    refs = [["la", "kato", "dormas", "kaj", "la", "hundo", "kuras"]] * 3
    assert s2s.bleu(refs, refs) == pytest.approx(100.0)
    assert s2s.bleu([["kaj"]] * 3, refs) < 1.0
    with pytest.raises(ValueError, match="one reference per hypothesis"):
        s2s.bleu(refs[:2], refs)


def test_an_attention_model_learns_a_few_translations():
    """The "overfit this" check: eight sentence pairs learned exactly."""
    from rnncourse.data import translation as tr
    from rnncourse.train import tensor_batches, train

    pairs = tr.make_splits(8, 0, 0, 4, 4, seed=1)["train"]
    sv, tv = s2s.Vocabulary(tr.SOURCE_WORDS), s2s.Vocabulary(tr.TARGET_WORDS)
    torch.manual_seed(0)
    model = s2s.Seq2Seq(len(sv), len(tv), 16, 32)
    train(model, lambda m, b: m.loss(b),
          tensor_batches(*s2s.pair_tensors(pairs, sv, tv), batch_size=8,
                         dim=(1, 0, 1, 1)),
          steps=150, lr=1e-2, progress=False)
    hypotheses = s2s.translate(model, pairs, sv, tv)
    assert [tuple(h) for h in hypotheses] == [p.target for p in pairs]
    assert s2s.bleu(hypotheses, [p.target for p in pairs]) == pytest.approx(100.0)
    beams = s2s.translate(model, pairs, sv, tv, beam_size=4)
    assert [tuple(h) for h in beams] == [p.target for p in pairs]
