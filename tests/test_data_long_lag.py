"""Tests for rnncourse.data.long_lag: the LSTM papers' tasks, as the papers state
them."""

import numpy as np
import pytest

from rnncourse.data import long_lag as ll


# --- the adding problem (Hochreiter & Schmidhuber 1997, Experiment 4) -----------------

@pytest.mark.parametrize("T", [22, 50, 100])
def test_adding_lengths_markers_and_target_follow_the_paper(T):
    batch = ll.adding_problem(3000, T, np.random.default_rng(T))
    x, y, lengths, marked = batch
    B = len(y)
    assert x.shape == (T + T // 10, B, 2) and lengths.shape == (B,)
    assert lengths.min() == T and lengths.max() == T + T // 10
    first, second = marked
    assert first.min() == 0 and first.max() == 9
    assert second.min() == 0 and second.max() == T // 2 - 1
    assert (first != second).all()
    for b in range(B):
        L = lengths[b]
        values, markers = x[:L, b, 0], x[:L, b, 1]
        assert (np.abs(values) <= 1).all()
        assert (x[L:, b] == 0).all(), "padding after the end must be zero"
        assert markers[0] == -1.0 and markers[L - 1] == -1.0
        ones = np.flatnonzero(markers == 1.0)
        assert set(ones) == {first[b], second[b]} - {0}
        assert set(np.unique(markers)) <= {-1.0, 0.0, 1.0}
        assert ((markers == 0.0).sum() == L - 2 - len(ones))
        # the target formula, with a marked first pair counting zero
        x1 = 0.0 if first[b] == 0 else values[first[b]]
        x2 = 0.0 if second[b] == 0 else values[second[b]]
        assert y[b] == pytest.approx(0.5 + (x1 + x2) / 4.0, abs=1e-15)
    assert (y >= 0.0).all() and (y <= 1.0).all()


def test_adding_mean_predictor_error_is_the_target_variance():
    y = ll.adding_problem(40000, 100, np.random.default_rng(0)).y
    # Var(X) = 1/3 for a value that counts; the first pair counts zero, and it is X1
    # with probability 1/10 and X2 with probability (9/10) / (T/2 - 1)
    counts = (1 - 1 / 10) + (1 - (9 / 10) / 49)
    assert np.mean(y) == pytest.approx(0.5, abs=0.003)
    assert np.mean((y - 0.5) ** 2) == pytest.approx(counts / 3 / 16, rel=0.02)
    assert ll.ADDING_TOLERANCE == 0.04


def test_adding_marks_the_first_pair_sometimes_and_then_counts_it_zero():
    batch = ll.adding_problem(4000, 30, np.random.default_rng(1))
    hit = np.flatnonzero((batch.marked == 0).any(0))
    assert len(hit) > 0, "with 4000 sequences the first pair is marked now and then"
    assert (batch.x[0, hit, 0] == 0).all() and (batch.x[0, hit, 1] == -1).all()


def test_adding_is_seeded_and_checks_its_arguments():
    a = ll.adding_problem(5, 40, np.random.default_rng(3))
    b = ll.adding_problem(5, 40, np.random.default_rng(3))
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    c = ll.adding_problem(5, 40, np.random.default_rng(4))
    assert not np.array_equal(a.x, c.x)
    with pytest.raises(ValueError, match="T must be an integer >= 22"):
        ll.adding_problem(5, 20, np.random.default_rng(0))
    with pytest.raises(ValueError, match="T must be even"):
        ll.adding_problem(5, 41, np.random.default_rng(0))
    with pytest.raises(ValueError, match="n_sequences"):
        ll.adding_problem(0, 40, np.random.default_rng(0))
    with pytest.raises(ValueError, match="numpy.random.Generator"):
        ll.adding_problem(5, 40, 0)


# --- the temporal order problem (Experiment 6a) ---------------------------------------

def test_temporal_order_sequences_follow_experiment_6a():
    x, y, lengths, (p1, p2) = ll.temporal_order_problem(2000, np.random.default_rng(0))
    assert x.shape == (110, 2000, 8)
    assert lengths.min() == 100 and lengths.max() == 110
    assert p1.min() == 10 and p1.max() == 20 and p2.min() == 50 and p2.max() == 60
    symbols = ll.TEMPORAL_ORDER_INPUTS
    for b in range(2000):
        L = lengths[b]
        np.testing.assert_array_equal(x[:L, b].sum(-1), 1.0)
        assert (x[L:, b] == 0).all()
        text = "".join(symbols[k] for k in x[:L, b].argmax(-1))
        assert text[0] == "E" and text[-1] == "B"
        relevant = [t for t, s in enumerate(text) if s in "XY"]
        assert relevant == [p1[b], p2[b]]
        assert set(text[1:-1]) - set("XY") <= set("abcd")
        pair = text[p1[b]] + text[p2[b]]
        assert ll.TEMPORAL_ORDER_CLASSES[y[b]][0] == pair
    assert set(np.unique(y)) == {0, 1, 2, 3}
    assert [ll.TEMPORAL_ORDER_CLASSES[k][1] for k in range(4)] == list("QRSU")


def test_temporal_order_accepts_shorter_ranges_and_rejects_bad_ones():
    batch = ll.temporal_order_problem(50, np.random.default_rng(1), length=(30, 30),
                                      t1=(3, 5), t2=(15, 20))
    assert batch.x.shape == (30, 50, 8) and (batch.lengths == 30).all()
    with pytest.raises(ValueError, match="1 <= t1 < t2 < length - 1"):
        ll.temporal_order_problem(5, np.random.default_rng(0), t1=(10, 55))
    with pytest.raises(ValueError, match="length must be a pair"):
        ll.temporal_order_problem(5, np.random.default_rng(0), length=(110, 100))


# --- the Reber grammars ---------------------------------------------------------------

def test_every_generated_reber_string_is_accepted_by_the_automaton():
    rng = np.random.default_rng(0)
    strings = {ll.reber_string(rng) for _ in range(3000)}
    assert all(ll.is_reber(s) for s in strings)
    assert all(s[0] == "B" and s[-1] == "E" for s in strings)
    assert {"BTXSE", "BPVVE", "BTSXSE", "BPTVVE"} <= strings      # the shortest ones
    assert min(map(len, strings)) == 5


def test_every_generated_embedded_string_is_accepted_and_repeats_its_branch():
    rng = np.random.default_rng(1)
    for _ in range(3000):
        s = ll.embedded_reber_string(rng)
        assert ll.is_embedded_reber(s)
        assert s[0] == "B" and s[-1] == "E" and s[1] == s[-2] and s[1] in "TP"
        assert ll.is_reber(s[2:-2])


def test_the_automaton_rejects_what_the_grammar_forbids():
    for bad in ["BTSXE", "BTXSSE", "BPVVEE", "TXSE", "BTXS", "", "BTXSEB"]:
        assert not ll.is_reber(bad), bad
    # the embedded branch must repeat: T ... T, not T ... P
    assert ll.is_embedded_reber("BTBTXSETE")
    assert not ll.is_embedded_reber("BTBTXSEPE")
    assert not ll.is_embedded_reber("BTBTXSET")
    with pytest.raises(ValueError, match="not allowed here"):
        ll.ReberAutomaton().step("T")


def test_a_continual_stream_is_embedded_strings_back_to_back():
    rng = np.random.default_rng(2)
    stream = ll.continual_reber_stream(5000, rng)
    assert len(stream) == 5000 and ll.is_continual_stream(stream)
    assert stream.count("B") > 2 * stream.count("E") // 2 - 1
    # cut into strings at the outer starts: every piece is an embedded string
    automaton, pieces, start = ll.ReberAutomaton(continual=True), [], 0
    for t, symbol in enumerate(stream):
        automaton.step(symbol)
        if automaton.phase == "start":
            pieces.append(stream[start:t + 1])
            start = t + 1
    assert len(pieces) > 100
    assert all(ll.is_embedded_reber(p) for p in pieces)
    assert not ll.is_continual_stream(stream[:40] + "EE")


def test_next_symbol_sets_hold_every_symbol_that_can_follow():
    stream = "BTBPVVETEBP"
    targets = ll.next_symbol_sets(stream)
    assert targets.shape == (len(stream), 7)
    allowed = ["".join(s for s, v in zip(ll.REBER_SYMBOLS, row) if v)
               for row in targets]
    # after B: T|P; after T: B; after the inner B: T|P; after P: T|V; after V: P|V;
    # after VV: E; after the inner E: the branch T (the long lag); then E; then B
    assert allowed == ["TP", "B", "TP", "TV", "PV", "E", "T", "E", "B", "TP", "B"]
    # every symbol of a generated stream was among the allowed ones one step earlier
    stream = ll.continual_reber_stream(3000, np.random.default_rng(3))
    targets = ll.next_symbol_sets(stream)
    codes = ll.encode(stream)
    assert (targets[:-1] * codes[1:]).sum(1).min() == 1
    with pytest.raises(ValueError, match="position 2"):
        ll.next_symbol_sets("BTT")


def test_reber_generators_are_seeded_and_encode_round_trips():
    a = ll.continual_reber_stream(300, np.random.default_rng(5))
    assert a == ll.continual_reber_stream(300, np.random.default_rng(5))
    assert a != ll.continual_reber_stream(300, np.random.default_rng(6))
    codes = ll.encode(a)
    assert codes.shape == (300, 7) and (codes.sum(1) == 1).all()
    assert ll.decode(codes) == a
    with pytest.raises(ValueError, match="symbols"):
        ll.encode("BTQ")
    with pytest.raises(ValueError, match="embedded=True"):
        ll.ReberAutomaton(embedded=False, continual=True)
    with pytest.raises(ValueError, match="n_symbols"):
        ll.continual_reber_stream(0, np.random.default_rng(0))
