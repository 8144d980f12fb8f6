"""J. S. Bach's chorales as an 88-key piano roll, from the encodings inside ``music21``.

Chung et al. (2014) compare tanh, LSTM and GRU networks on polyphonic music, among it
the "JSB Chorales" piano rolls of Boulanger-Lewandowski et al. (2012). Those files are a
download; the chorales themselves ship inside the ``music21`` package, so the course
builds its own piano roll from them, with the rules below, and commits the result.

**Source.** ``music21.corpus.chorales.Iterator()``: the 371 chorales in
Riemenschneider's numbering, as MusicXML encodings distributed with music21 (pinned at
10.5.1 in ``requirements.txt``). The corpus maps 21 of those numbers to an encoding that
an earlier number already has (No. 5 and No. 309 are both BWV 267, for example), and two
pairs of different encodings give the same roll (BWV 62.6 and 274; BWV 69.6-a and 69.6),
so the roll keeps the first of each: **348 distinct chorales**. music21 itself is
BSD-3-Clause. Its corpus licence (``music21/corpus/license.txt``) says that the
encodings are distributed "with the permission of the encoders" and that "some encodings
included in the corpus may not be used for commercial uses or have other restrictions":
fine for an open course, but check before any commercial use.

**Piano roll.** One frame per quarter note. Frame ``k`` of a chorale holds the pitches
that sound at offset ``k`` quarter notes from its start (a note with onset ``a`` and
length ``d`` is on in every frame ``k`` with ``a <= k < a + d``); a shorter note between
two beats (a passing eighth) falls between frames and is not in the roll. Every part of
the encoding contributes (the four voices, and the instrumental parts some encodings
add). Tied notes are one held note, repeats are not expanded, nothing is transposed, a
beat on which every part rests is an all-zero frame, and the pickup beat, if any, is
frame 0. A chorale has ``ceil(duration in quarter notes)`` frames.

**Keys.** 88 columns, the keys of a piano: column ``j`` is MIDI note ``21 + j``, from
A0 (21) to C8 (108). The chorales use only the middle of that range.

**Split by chorale.** A fixed permutation (``numpy.random.default_rng(2014)``) of the
348 chorales puts 20 % in ``valid`` (70), 20 % in ``test`` (70) and the other 208 in
``train``. A chorale is in one split only, and no roll occurs twice, so nothing in the
test set was seen in training.

**The committed file.** Parsing the encodings takes a minute or more, so the roll is
committed as ``rnncourse/data/files/bach_chorales_roll.npz`` (with a provenance note
beside it) and :func:`load_chorales` reads it in milliseconds.
``python -m rnncourse.data.chorales --rebuild`` rebuilds it from music21, and the tests
check that parsing a few chorales again reproduces their committed frames.
"""

from __future__ import annotations

import argparse
import math
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = [
    "NUM_KEYS",
    "LOWEST_MIDI",
    "SPLITS",
    "Chorales",
    "load_chorales",
    "chorale_names",
    "piano_roll",
    "parse_chorale",
    "split_of",
    "pad",
    "build",
    "save",
    "read",
    "ROLL_FILE",
]

NUM_KEYS = 88        # the keys of a piano
LOWEST_MIDI = 21     # A0; column j is MIDI note 21 + j, the highest C8 = 108
SPLITS = ("train", "valid", "test")
HELD_OUT = 0.2       # the fraction of chorales in each of valid and test
SPLIT_SEED = 2014
ROLL_FILE = "bach_chorales_roll.npz"


class Chorales(NamedTuple):
    """The chorales of one split.

    rolls: list of (T_i, 88) float32 arrays, one per chorale, 1.0 where a key sounds.
    names: music21 corpus names of the chorales (``"bach/bwv269"``), in the same order.
    """

    rolls: list
    names: list


def _files():
    return resources.files("rnncourse.data") / "files"


def chorale_names() -> list[str]:
    """The encodings of ``music21.corpus.chorales.Iterator()``, in its order, each once
    (350 names for its 371 chorales)."""
    from music21 import corpus

    names = [str(name) for name in corpus.chorales.Iterator(returnType="filename")]
    return list(dict.fromkeys(names))


def split_of(n_chorales: int) -> np.ndarray:
    """The split ("train", "valid" or "test") of each of n chorales, by the rule above.
    """
    held_out = round(HELD_OUT * n_chorales)
    if n_chorales < 3 or held_out < 1:
        raise ValueError(f"n_chorales must be at least 3, got {n_chorales}")
    order = np.random.default_rng(SPLIT_SEED).permutation(n_chorales)
    split = np.full(n_chorales, "train", dtype="<U5")
    split[order[:held_out]] = "test"
    split[order[held_out:2 * held_out]] = "valid"
    return split


def piano_roll(notes, length_in_quarters) -> np.ndarray:
    """Sample notes on the quarter-note grid: a (T, 88) bool piano roll.

    notes: iterable of (onset, duration, midi) in quarter notes (exact numbers such as
    ``fractions.Fraction`` or floats); length_in_quarters: the piece's duration.
    Frame k is True for each key whose note sounds at offset k: onset <= k < onset +
    duration. Returns T = ceil(length_in_quarters) frames. A MIDI note outside 21..108
    raises ValueError.
    """
    length = math.ceil(Fraction(length_in_quarters).limit_denominator(10_000))
    roll = np.zeros((length, NUM_KEYS), dtype=bool)
    for onset, duration, midi in notes:
        key = int(midi) - LOWEST_MIDI
        if not 0 <= key < NUM_KEYS:
            raise ValueError(
                f"MIDI note {midi} is outside the piano's keys {LOWEST_MIDI}.."
                f"{LOWEST_MIDI + NUM_KEYS - 1}"
            )
        onset = Fraction(onset).limit_denominator(10_000)
        end = onset + Fraction(duration).limit_denominator(10_000)
        first, last = math.ceil(onset), math.ceil(end)        # frames first .. last-1
        roll[first:min(last, length), key] = True
    return roll


def parse_chorale(name: str) -> np.ndarray:
    """Parse one chorale of the music21 corpus into its (T, 88) bool piano roll."""
    from music21 import corpus

    score = corpus.parse(name)
    notes = [
        (element.getOffsetInHierarchy(score), element.quarterLength, pitch.midi)
        for element in score.recurse().notes
        for pitch in element.pitches
        if element.quarterLength > 0                      # grace notes take no time
    ]
    return piano_roll(notes, score.highestTime)


def build(names=None, progress: bool = False) -> dict:
    """Parse chorales (default: every encoding of the iterator) into the arrays of the
    committed file.

    A roll equal to an earlier one is left out, and :func:`split_of` assigns the
    splits of the rolls kept (the committed split when ``names`` is None). Returns a
    dict with
    ``frames`` (sum T_i, 88) bool, the rolls one after another; ``lengths`` (N,) the
    T_i; ``names`` (N,) str; ``split`` (N,) str; and ``music21_version``.
    """
    import music21

    names = chorale_names() if names is None else list(names)
    rolls, kept, seen = [], [], set()
    for k, name in enumerate(names):
        roll = parse_chorale(name)
        key = (roll.shape, roll.tobytes())
        if key not in seen:
            seen.add(key)
            rolls.append(roll)
            kept.append(name)
        if progress and (k + 1) % 25 == 0:
            print(f"parsed {k + 1} of {len(names)} chorales", flush=True)
    return {
        "frames": np.concatenate(rolls),
        "lengths": np.array([len(r) for r in rolls], dtype=np.int32),
        "names": np.array(kept),
        "split": split_of(len(kept)) if len(kept) >= 3 else np.full(len(kept), "train"),
        "music21_version": np.array(music21.__version__),
    }


def save(arrays: dict, path) -> None:
    """Write the arrays of :func:`build` as a compressed .npz (frames bit-packed)."""
    arrays = dict(arrays)
    frames = np.asarray(arrays.pop("frames"), dtype=bool)
    np.savez_compressed(path, packed_frames=np.packbits(frames, axis=1), **arrays)


def read(path=None) -> dict:
    """The arrays of the committed file (or of ``path``), frames unpacked to bool."""
    if path is None:
        with resources.as_file(_files() / ROLL_FILE) as file:
            return read(file)
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    packed = arrays.pop("packed_frames")
    arrays["frames"] = np.unpackbits(packed, axis=1, count=NUM_KEYS).astype(bool)
    return arrays


def load_chorales(split: str = "train") -> Chorales:
    """The piano rolls of one split ("train", "valid", "test"), from the committed file.

    Returns :class:`Chorales` with one (T_i, 88) float32 roll per chorale, in the order
    of ``music21.corpus.chorales.Iterator()``.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    arrays = read()
    starts = np.concatenate([[0], np.cumsum(arrays["lengths"])])
    keep = np.flatnonzero(arrays["split"] == split)
    rolls = [
        arrays["frames"][starts[k]:starts[k + 1]].astype(np.float32) for k in keep
    ]
    return Chorales(rolls, [str(arrays["names"][k]) for k in keep])


def pad(rolls) -> tuple[np.ndarray, np.ndarray]:
    """Stack rolls of different lengths, time first, for a recurrent network.

    rolls: list of (T_i, K) arrays. Returns (x, mask): x (T_max, N, K) float32 with
    zeros after each roll's end, and mask (T_max, N) bool, True on real frames.
    """
    if not len(rolls):
        raise ValueError("rolls must hold at least one piano roll, got none")
    widths = {np.shape(r)[1] if np.ndim(r) == 2 else None for r in rolls}
    if len(widths) != 1 or None in widths:
        raise ValueError(
            "rolls must be 2-d arrays (T_i, K) with one K for all, got shapes "
            f"{sorted({np.shape(r) for r in rolls})[:5]}"
        )
    lengths = [len(r) for r in rolls]
    x = np.zeros((max(lengths), len(rolls), widths.pop()), dtype=np.float32)
    mask = np.zeros((max(lengths), len(rolls)), dtype=bool)
    for n, roll in enumerate(rolls):
        x[:lengths[n], n] = roll
        mask[:lengths[n], n] = True
    return x, mask


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m rnncourse.data.chorales",
        description="Rebuild the committed piano roll of Bach's chorales from music21.",
    )
    parser.add_argument("--rebuild", action="store_true",
                        help="parse every chorale again and rewrite the committed file")
    parser.add_argument("--output", type=Path, default=None,
                        help="write here instead of rnncourse/data/files/")
    args = parser.parse_args(argv)
    if not args.rebuild:
        arrays = read()
        print(f"{len(arrays['lengths'])} chorales, {len(arrays['frames'])} frames, "
              f"built with music21 {arrays['music21_version']}; "
              "--rebuild parses them again")
        return
    output = args.output or Path(__file__).parent / "files" / ROLL_FILE
    arrays = build(progress=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    save(arrays, output)
    print(f"wrote {output} ({output.stat().st_size} bytes): "
          f"{len(arrays['lengths'])} chorales, {len(arrays['frames'])} frames")


if __name__ == "__main__":
    main()
