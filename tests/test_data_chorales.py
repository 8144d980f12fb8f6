"""rnncourse.data.chorales: the committed piano roll of the Bach chorales, its rules,
and that parsing music21's encodings again reproduces it."""

from fractions import Fraction

import numpy as np
import pytest

from rnncourse.data import chorales

ARRAYS = chorales.read()


def rows_of(arrays, index):
    starts = np.concatenate([[0], np.cumsum(arrays["lengths"])])
    return arrays["frames"][starts[index]:starts[index + 1]]


def test_the_committed_file_holds_the_348_distinct_chorales_in_the_iterators_order():
    assert len(ARRAYS["names"]) == len(ARRAYS["lengths"]) == len(ARRAYS["split"]) == 348
    assert ARRAYS["frames"].shape == (ARRAYS["lengths"].sum(), chorales.NUM_KEYS)
    assert ARRAYS["frames"].dtype == bool
    names = chorales.chorale_names()
    assert len(names) == 350 == len(set(names))
    # the kept names in the iterator's order, two left out for repeating a roll
    assert [n for n in names if n in set(ARRAYS["names"])] == list(ARRAYS["names"])
    assert sorted(set(names) - set(ARRAYS["names"])) == ["bach/bwv274", "bach/bwv69.6"]
    assert str(ARRAYS["music21_version"]) == __import__("music21").__version__


def test_the_file_is_small():
    path = chorales._files() / chorales.ROLL_FILE
    assert path.stat().st_size < 200_000


@pytest.mark.parametrize("index", [0, 1, 150, 347])
def test_rebuilding_chorales_from_music21_reproduces_the_committed_rows(index):
    name = str(ARRAYS["names"][index])
    np.testing.assert_array_equal(chorales.parse_chorale(name), rows_of(ARRAYS, index),
                                  err_msg=name)


def test_build_writes_what_read_gives_back(tmp_path):
    names = chorales.chorale_names()[:2]
    built = chorales.build(names)
    chorales.save(built, tmp_path / "roll.npz")
    again = chorales.read(tmp_path / "roll.npz")
    assert set(again) == set(built)
    for key in built:
        np.testing.assert_array_equal(again[key], built[key], err_msg=key)
    for k in range(2):
        np.testing.assert_array_equal(rows_of(again, k), rows_of(ARRAYS, k))


def test_the_split_is_by_chorale_with_the_stated_sizes_and_fixed():
    split = ARRAYS["split"]
    sizes = {s: int((split == s).sum()) for s in chorales.SPLITS}
    assert sizes == {"train": 208, "valid": 70, "test": 70}
    np.testing.assert_array_equal(split, chorales.split_of(348))
    loaded = {s: chorales.load_chorales(s) for s in chorales.SPLITS}
    names = [set(loaded[s].names) for s in chorales.SPLITS]
    assert not (names[0] & names[1] or names[0] & names[2] or names[1] & names[2])
    assert sum(len(n) for n in names) == 348


def test_no_roll_occurs_twice():
    """A chorale encoded twice could leak from training into the test set."""
    rolls = {rows_of(ARRAYS, k).tobytes() for k in range(len(ARRAYS["lengths"]))}
    assert len(rolls) == len(ARRAYS["lengths"])


def test_build_leaves_out_a_roll_it_has_already_seen():
    built = chorales.build(["bach/bwv62.6", "bach/bwv274", "bach/bwv269"])
    assert list(built["names"]) == ["bach/bwv62.6", "bach/bwv269"]


def test_the_rolls_look_like_four_part_chorales():
    rolls = chorales.load_chorales("train").rolls
    assert all(r.dtype == np.float32 and r.shape[1] == 88 for r in rolls)
    notes = np.concatenate(rolls).sum(1)
    assert 3.5 < notes.mean() <= 4.5          # four voices, a few rests and unisons
    keys = np.flatnonzero(np.concatenate(rolls).any(0)) + chorales.LOWEST_MIDI
    assert 28 <= keys.min() and keys.max() <= 96      # the middle of the keyboard


def test_piano_roll_samples_notes_on_the_quarter_note_grid():
    notes = [
        (0, 1, 60),                           # frame 0
        (Fraction(1), Fraction(1, 2), 62),    # frame 1
        (Fraction(3, 2), Fraction(1, 2), 64),  # between beats: in no frame
        (Fraction(1, 2), 2, 67),              # sounds at 1 and 2
        (3, 1, 108),                          # the top key
        (3, 1, 21),                           # the bottom key
    ]
    roll = chorales.piano_roll(notes, Fraction(7, 2))
    assert roll.shape == (4, 88)
    on = {(t, k + 21) for t, k in zip(*np.nonzero(roll))}
    assert on == {(0, 60), (1, 62), (1, 67), (2, 67), (3, 108), (3, 21)}


def test_piano_roll_rejects_notes_off_the_keyboard():
    with pytest.raises(ValueError, match="MIDI note 109"):
        chorales.piano_roll([(0, 1, 109)], 1)
    with pytest.raises(ValueError, match="MIDI note 20"):
        chorales.piano_roll([(0, 1, 20)], 1)


def test_load_chorales_rejects_an_unknown_split():
    with pytest.raises(ValueError, match="split must be one of"):
        chorales.load_chorales("validation")


def test_pad_stacks_time_first_with_a_mask():
    x, mask = chorales.pad([np.ones((2, 3)), np.full((4, 3), 2.0)])
    assert x.shape == (4, 2, 3) and mask.shape == (4, 2) and x.dtype == np.float32
    np.testing.assert_array_equal(mask[:, 0], [True, True, False, False])
    assert mask[:, 1].all()
    assert (x[2:, 0] == 0).all() and (x[:, 1] == 2).all()
    with pytest.raises(ValueError, match="at least one"):
        chorales.pad([])
    with pytest.raises(ValueError, match="one K for all"):
        chorales.pad([np.ones((2, 3)), np.ones((2, 4))])


def test_split_of_needs_enough_chorales():
    with pytest.raises(ValueError, match="n_chorales"):
        chorales.split_of(2)


def test_the_command_line_reports_the_committed_file(capsys):
    chorales.main([])
    assert "348 chorales" in capsys.readouterr().out
