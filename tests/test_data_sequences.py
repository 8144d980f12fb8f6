"""Tests for the chapter 1 data: the three token tasks, the timeline table and the
diagrams.

Targets are recomputed here by plain loops over each sequence, independently of the
vectorised code in ``rnncourse.data.sequences``.
"""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnncourse.data import sequences as sq  # noqa: E402
from rnncourse.data.timeline import MILESTONES, THEMES  # noqa: E402
from rnncourse.diagrams import (
    IO_PATTERNS,
    draw_io_pattern,
    draw_io_patterns,
    draw_timeline,
)  # noqa: E402

BIB = (Path(__file__).resolve().parents[1] / "book" / "references.bib").read_text(
    encoding="utf-8"
)
BIB_YEARS = {
    key: int(year)
    for key, year in re.findall(
        r"^@\w+\{([^,]+),.*?^\s*year\s*=\s*\{(\d{4})\}", BIB, flags=re.M | re.S
    )
}


def rng(seed=0):
    return np.random.default_rng(seed)


# --- early_checksum -------------------------------------------------------------------

@pytest.mark.parametrize("modulus, n_checked", [(2, 1), (3, 2), (5, 9)])
def test_early_checksum_targets_say_whether_the_first_token_is_the_checksum(
    modulus, n_checked
):
    task = sq.early_checksum(300, 10, rng(1), modulus=modulus, n_checked=n_checked)
    for n in range(300):
        sequence = [int(v) for v in task.tokens[:, n]]
        payload = sequence[len(sequence) - n_checked:]
        correct = sum(payload) % modulus
        assert task.targets[n] == int(sequence[0] == correct)


def test_early_checksum_shapes_dtypes_marks_and_balance():
    task = sq.early_checksum(101, 7, rng(2), modulus=4)
    assert task.tokens.shape == (7, 101) and task.tokens.dtype == np.int64
    assert task.targets.shape == (101,) and task.targets.dtype == np.int64
    assert task.marks.shape == (7, 101) and task.marks.dtype == bool
    assert task.marks[0].all() and not task.marks[1:].any()
    assert task.vocabulary_size == 4
    assert task.tokens.min() >= 0 and task.tokens.max() <= 3
    # half correct; a coin settles the odd one
    assert task.targets.sum() in (50, 51)


def test_early_checksum_single_sequences_take_both_labels():
    labels = {int(sq.early_checksum(1, 5, rng(seed)).targets[0]) for seed in range(20)}
    assert labels == {0, 1}


def test_early_checksum_is_at_chance_without_the_first_token():
    """Given the digits only, correct and wrong claims are equally likely: the label
    rate
    is about one half for every pattern of the last digit."""
    task = sq.early_checksum(20000, 5, rng(3), modulus=2)
    for last in (0, 1):
        rate = task.targets[task.tokens[-1] == last].mean()
        assert abs(rate - 0.5) < 0.03


def test_early_checksum_parity_special_case():
    task = sq.early_checksum(200, 9, rng(4), modulus=2, n_checked=8)
    np.testing.assert_array_equal(
        task.targets, (task.tokens.sum(axis=0) % 2 == 0).astype(int)
    )


# --- the hard case: parity over every digit ------------------------------------------

def test_parity_checksum_targets_are_even_parity_of_the_whole_sequence():
    task = sq.parity_checksum(300, 11, rng(11))
    assert task.tokens.shape == (11, 300) and task.vocabulary_size == 2
    for n in range(300):
        ones = sum(int(v) for v in task.tokens[:, n])
        assert task.targets[n] == int(ones % 2 == 0)
    assert task.marks[0].all() and not task.marks[1:].any()


def test_parity_checksum_is_at_chance_for_every_single_token():
    """No single position (the header included) predicts the label."""
    task = sq.parity_checksum(20000, 6, rng(12))
    for t in range(6):
        for value in (0, 1):
            rate = task.targets[task.tokens[t] == value].mean()
            assert abs(rate - 0.5) < 0.03, (t, value, rate)


def test_parity_batch_draws_every_length_of_the_setting_and_repeats_with_the_seed():
    setting = sq.PARITY_HARD_CASE
    lengths = {sq.parity_batch(rng(seed)).tokens.shape[0] for seed in range(400)}
    assert lengths == set(range(setting.min_length, setting.max_length + 1))
    first, second = sq.parity_batch(rng(5)), sq.parity_batch(rng(5))
    np.testing.assert_array_equal(first.tokens, second.tokens)
    np.testing.assert_array_equal(first.targets, second.targets)
    assert first.tokens.shape[1] == setting.batch_size
    length = first.tokens.shape[0]
    np.testing.assert_array_equal(
        first.targets, (first.tokens.sum(axis=0) % 2 == 0).astype(int)
    )
    assert setting.min_length <= length <= setting.max_length


def test_parity_batch_follows_another_setting_and_rejects_bad_ones():
    short = sq.HardCase(min_length=3, max_length=3, batch_size=7)
    task = sq.parity_batch(rng(0), short)
    assert task.tokens.shape == (3, 7)
    with pytest.raises(ValueError, match="min_length"):
        sq.parity_batch(rng(0), sq.HardCase(min_length=5, max_length=4))
    with pytest.raises(ValueError, match="HardCase"):
        sq.parity_batch(rng(0), {"min_length": 2})
    with pytest.raises(ValueError, match="rng"):
        sq.parity_batch(0)


def test_the_hard_case_setting_is_the_one_the_chapters_document():
    setting = sq.PARITY_HARD_CASE
    assert (setting.min_length, setting.max_length) == (2, 20)
    assert (setting.batch_size, setting.steps) == (64, 1000)
    assert setting.learning_rate == 0.01
    assert setting.hidden_size == 16
    assert max(setting.test_lengths) > setting.max_length   # one length beyond training


# --- irrelevant_tokens ----------------------------------------------------------------

def test_irrelevant_tokens_targets_are_the_majority_of_the_relevant_words():
    task = sq.irrelevant_tokens(200, 25, rng(5), n_relevant=5, n_fillers=3)
    for n in range(200):
        words = [int(v) for v in task.tokens[:, n] if v in (sq.NEGATIVE, sq.POSITIVE)]
        assert len(words) == 5
        assert task.targets[n] == int(
            words.count(sq.POSITIVE) > words.count(sq.NEGATIVE)
        )


def test_irrelevant_tokens_marks_are_exactly_the_relevant_positions():
    task = sq.irrelevant_tokens(50, 30, rng(6), n_relevant=3, n_fillers=8)
    assert task.tokens.shape == task.marks.shape == (30, 50)
    assert task.targets.shape == (50,) and task.targets.dtype == np.int64
    np.testing.assert_array_equal(task.marks, task.tokens < sq.FIRST_FILLER)
    assert (task.marks.sum(axis=0) == 3).all()
    fillers = task.tokens[~task.marks]
    assert fillers.min() >= sq.FIRST_FILLER and fillers.max() < sq.FIRST_FILLER + 8
    assert task.vocabulary_size == 10


def test_irrelevant_tokens_put_relevant_words_everywhere_and_both_labels_occur():
    task = sq.irrelevant_tokens(4000, 12, rng(7), n_relevant=1)
    # every position is used sometimes
    assert task.marks.any(axis=1).all()
    assert 0.45 < task.targets.mean() < 0.55


# --- logical_breaks -------------------------------------------------------------------

def test_logical_breaks_targets_count_only_the_current_segment():
    task = sq.logical_breaks(100, 40, rng(8), break_probability=0.15)
    for n in range(100):
        count = 0
        for t in range(40):
            token = task.tokens[t, n]
            if token == sq.BREAK:
                count = 0
            else:
                count += 1 if token == sq.POSITIVE else -1
            assert task.targets[t, n] == int(count > 0), (t, n)


def test_logical_breaks_shapes_and_marks():
    task = sq.logical_breaks(30, 20, rng(9))
    assert task.tokens.shape == task.targets.shape == task.marks.shape == (20, 30)
    assert task.tokens.dtype == task.targets.dtype == np.int64
    np.testing.assert_array_equal(task.marks, task.tokens == sq.BREAK)
    assert set(np.unique(task.tokens)) <= {0, 1, 2} and task.vocabulary_size == 3
    # a break resets the count to zero
    assert (task.targets[task.marks] == 0).all()


def test_logical_breaks_without_breaks_is_a_running_majority():
    task = sq.logical_breaks(20, 15, rng(10), break_probability=0.0)
    assert not task.marks.any()
    running = np.cumsum(np.where(task.tokens == sq.POSITIVE, 1, -1), axis=0)
    np.testing.assert_array_equal(task.targets, (running > 0).astype(int))


# --- shared behaviour -----------------------------------------------------------------

GENERATORS = {
    "early_checksum": lambda r: sq.early_checksum(40, 9, r, modulus=3, n_checked=2),
    "irrelevant_tokens": lambda r: sq.irrelevant_tokens(40, 9, r),
    "logical_breaks": lambda r: sq.logical_breaks(40, 9, r),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_gives_the_same_task_and_another_seed_a_different_one(name):
    first, second, other = (GENERATORS[name](rng(seed)) for seed in (11, 11, 12))
    for a, b in zip(first[:3], second[:3]):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first.tokens, other.tokens)


BAD_ARGUMENTS = [
    (sq.early_checksum, dict(n_sequences=0, length=5), "n_sequences"),
    (sq.early_checksum, dict(n_sequences=4, length=1), "length"),
    (sq.early_checksum, dict(n_sequences=4, length=5, modulus=1), "modulus"),
    (sq.early_checksum, dict(n_sequences=4, length=5, n_checked=0), "n_checked"),
    (sq.early_checksum, dict(n_sequences=4, length=5, n_checked=5), "n_checked"),
    (sq.early_checksum, dict(n_sequences=4.0, length=5), "n_sequences"),
    (sq.early_checksum, dict(n_sequences=True, length=5), "n_sequences"),
    (sq.irrelevant_tokens, dict(n_sequences=4, length=5, n_relevant=2), "odd"),
    (sq.irrelevant_tokens, dict(n_sequences=4, length=2, n_relevant=3), "length"),
    (sq.irrelevant_tokens, dict(n_sequences=4, length=5, n_fillers=0), "n_fillers"),
    (sq.logical_breaks, dict(n_sequences=4, length=0), "length"),
    (
        sq.logical_breaks,
        dict(n_sequences=4, length=5, break_probability=1.0),
        "break_probability",
    ),
    (
        sq.logical_breaks,
        dict(n_sequences=4, length=5, positive_probability=-0.1),
        "positive_probability",
    ),
]


@pytest.mark.parametrize("function, kwargs, names", BAD_ARGUMENTS,
                         ids=[f"{f.__name__}-{'-'.join(map(str, k.values()))}"
                              for f, k, _ in BAD_ARGUMENTS])
def test_bad_arguments_raise_value_errors_that_name_them(function, kwargs, names):
    with pytest.raises(ValueError, match=names):
        function(rng=rng(), **kwargs)


@pytest.mark.parametrize("name", GENERATORS)
def test_rng_must_be_a_numpy_generator(name):
    with pytest.raises(ValueError, match="numpy.random.Generator"):
        GENERATORS[name](0)


def test_one_hot_round_trips_and_rejects_bad_tokens():
    task = sq.irrelevant_tokens(6, 8, rng(13))
    encoded = sq.one_hot(task.tokens, task.vocabulary_size)
    assert encoded.shape == (8, 6, task.vocabulary_size) and encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded.argmax(axis=-1), task.tokens)
    np.testing.assert_array_equal(encoded.sum(axis=-1), 1.0)
    with pytest.raises(ValueError, match="0 .. 2"):
        sq.one_hot(np.array([0, 3]), 3)
    with pytest.raises(ValueError, match="integers"):
        sq.one_hot(np.array([0.0, 1.0]), 3)


# --- timeline -------------------------------------------------------------------------

def test_every_timeline_key_is_in_the_bibliography_with_the_same_year():
    missing = [m.key for m in MILESTONES if m.key not in BIB_YEARS]
    assert not missing, f"timeline keys missing from book/references.bib: {missing}"
    wrong = [
        (m.key, m.year, BIB_YEARS[m.key])
        for m in MILESTONES
        if m.year != BIB_YEARS[m.key]
    ]
    assert not wrong, (
        f"timeline years that differ from the bibliography (key, table, bib): {wrong}"
    )


def test_timeline_is_in_order_spans_1982_to_the_2020s_and_names_the_milestones():
    years = [m.year for m in MILESTONES]
    assert years == sorted(years) and years[0] == 1982 and years[-1] >= 2024
    keys = {m.key for m in MILESTONES}
    required = {
        "hopfield1982",
        "jordan1986",
        "elman1990",
        "rumelhart1986",
        "werbos1990",
        "bengio1994",
        "hochreiter1997",
        "schuster1997",
        "gers2000",
        "jaeger2001",
        "graves2005",
        "graves2006",
        "graves2013",
        "cho2014",
        "sutskever2014",
        "bahdanau2015",
        "shi2015",
        "vaswani2017",
        "gu2022",
        "orvieto2023",
        "gu2023",
        "peng2023",
        "feng2024",
        "beck2024",
    }
    assert required <= keys, f"missing milestones: {sorted(required - keys)}"
    assert len(keys) == len(MILESTONES), "each paper appears once"
    assert {m.theme for m in MILESTONES} == set(THEMES)
    assert all(m.name and m.authors for m in MILESTONES)


# --- diagrams -------------------------------------------------------------------------

@pytest.mark.parametrize("name", IO_PATTERNS)
def test_io_pattern_draws_one_box_per_state_input_and_output(name):
    spec = IO_PATTERNS[name]
    fig, ax = plt.subplots()
    boxes = draw_io_pattern(ax, **spec)
    assert len(boxes) == spec["n_steps"] + len(spec["inputs"]) + len(spec["outputs"])
    plt.close(fig)


def test_io_patterns_cover_the_five_shapes_and_reject_bad_steps():
    assert len(IO_PATTERNS) == 5
    fig, axes = plt.subplots(1, 5)
    assert set(draw_io_patterns(axes)) == set(IO_PATTERNS)
    with pytest.raises(ValueError, match="outputs"):
        draw_io_pattern(axes[0], inputs=[0], outputs=[4], n_steps=4)
    with pytest.raises(ValueError, match="one Axes per pattern"):
        draw_io_patterns(axes[:2])
    plt.close(fig)


def test_timeline_draws_one_label_per_milestone_and_rejects_unknown_themes():
    fig, ax = plt.subplots()
    labels = draw_timeline(ax, MILESTONES, THEMES)
    assert len(labels) == len(MILESTONES)
    with pytest.raises(ValueError, match="theme"):
        draw_timeline(ax, MILESTONES, THEMES[:2])
    plt.close(fig)
