"""Moving digits: two handwritten digits bouncing around a small canvas.

A small, offline version of the *Moving MNIST* data of Srivastava et al. (2015) that
Shi et al. (2015) used to compare the ConvLSTM with the FC-LSTM (chapter 13). Shi et al.
put two 28 × 28 MNIST digits on a 64 × 64 canvas and let them move for 20 frames; the
network sees the first 10 and predicts the next 10. Here the digits are scikit-learn's
8 × 8 handwritten digits and the canvas is 32 × 32 by default, so that a chapter can
train on them in seconds.

How a sequence is made
----------------------
* Each digit's **position** is the top-left corner of its 8 × 8 image,
  ``p = (row, col)``, a real number in ``[0, L]`` per coordinate with
  ``L = canvas_size − digit_size``, so that the whole digit is on the canvas.
* The start is uniform on ``[0, L]²``; the direction is a uniform angle; the **speed**
  ``|v|`` is uniform in ``[speed_min, speed_max)`` pixels per frame (Shi et al.: [3, 5)
  on their 64 × 64 canvas; here [1, 2) on 32 × 32) and never changes.
* Every frame the digit moves by ``v``; when a coordinate would leave ``[0, L]`` it is
  reflected at the wall and that component of ``v`` changes sign (:func:`bounce`).
* A frame is drawn by pasting each digit at its rounded position; where two digits
  overlap the brighter pixel wins (the maximum). Pixels are in ``[0, 1]``
  (scikit-learn's 0 … 16 divided by 16).

Data
----
scikit-learn's ``load_digits``: 1797 images of 8 × 8 pixels with 17 grey levels, the
test part of the UCI "Optical Recognition of Handwritten Digits" data set (Alpaydin &
Kaynak, 1998), shipped inside the scikit-learn wheel (BSD-3-Clause licence; the UCI
data set is CC BY 4.0). Nothing is downloaded. The images are split once into
disjoint ``"train"`` (60 %), ``"validation"`` (20 %) and ``"test"`` (20 %) sets by
their index, so that held-out sequences are made of digits a model has never seen.

>>> data = moving_digits(4, seed=0)
>>> data.frames.shape            # (T, N, channels, height, width), time-major
(20, 4, 1, 32, 32)
>>> inputs, targets = split_frames(data.frames)
>>> inputs.shape, targets.shape
((10, 4, 1, 32, 32), (10, 4, 1, 32, 32))
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = [
    "CANVAS_SIZE",
    "DIGIT_SIZE",
    "FRAMES_IN",
    "FRAMES_OUT",
    "SPEED",
    "SPLITS",
    "MovingDigits",
    "digit_images",
    "bounce",
    "trajectories",
    "render",
    "moving_digits",
    "split_frames",
]

CANVAS_SIZE = 32          # pixels per side (Shi et al.: 64 for 28 × 28 digits)
DIGIT_SIZE = 8            # scikit-learn's digits are 8 × 8
FRAMES_IN = 10            # frames the model sees (as in Shi et al.)
FRAMES_OUT = 10           # frames it predicts
SPEED = (1.0, 2.0)        # pixels per frame, uniform in [1, 2)
# Which images of load_digits belong to which split: index % 5.
SPLITS = {"train": (0, 1, 2), "validation": (3,), "test": (4,)}


class MovingDigits(NamedTuple):
    """One batch of moving-digit sequences (N sequences, T frames, K digits each).

    frames: (T, N, 1, S, S) float32 in [0, 1], time-major; positions: (T, N, K, 2)
    top-left corners (row, col) before rounding; velocities: (T, N, K, 2) the velocity
    that moved each digit *into* its position at frame t (at t = 0, the initial one);
    labels: (N, K) the digits' classes; images: (N, K) their indices in
    ``load_digits``.
    """

    frames: np.ndarray
    positions: np.ndarray
    velocities: np.ndarray
    labels: np.ndarray
    images: np.ndarray


@lru_cache(maxsize=None)
def _load_digits():
    """load_digits' pixels and labels, read straight from the CSV in the wheel.

    Importing ``sklearn.datasets`` costs seconds (it imports SciPy); the file it reads
    is ``sklearn/datasets/data/digits.csv.gz``, 64 pixels and a label per row.
    """
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "data"
    table = np.loadtxt(path / "digits.csv.gz", delimiter=",")
    images = (table[:, :64].reshape(-1, DIGIT_SIZE, DIGIT_SIZE) / 16.0).astype(
        np.float32
    )
    images.setflags(write=False)
    return images, table[:, 64].astype(np.int64)


def digit_images(split: str = "train") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 8 × 8 digit images of one split.

    split: ``"train"``, ``"validation"`` or ``"test"`` (disjoint sets of images).
    Returns (images, labels, indices): (n, 8, 8) float32 in [0, 1], (n,) classes and
    (n,) the images' indices in ``sklearn.datasets.load_digits``.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {sorted(SPLITS)}, got {split!r}")
    images, labels = _load_digits()
    indices = np.flatnonzero(np.isin(np.arange(len(images)) % 5, SPLITS[split]))
    return images[indices], labels[indices], indices


def bounce(position, velocity, low, high):
    """Move by one frame and reflect at the walls of ``[low, high]``.

    position, velocity: arrays of one shape (any), one entry per coordinate;
    low < high: the walls. A coordinate that would pass a wall is mirrored back,
    ``p' = 2 · wall − (p + v)``, and its velocity changes sign; the others move freely.
    The distance travelled along the path is always ``|v|``. Needs ``|v| < high − low``
    so that one reflection is enough.

    Returns (new_position, new_velocity), new arrays of the same shape.
    """
    position = np.asarray(position, dtype=float)
    velocity = np.asarray(velocity, dtype=float)
    if position.shape != velocity.shape:
        raise ValueError(
            f"position and velocity must have the same shape, got {position.shape} "
            f"and {velocity.shape}"
        )
    if not low < high:
        raise ValueError(f"low must be below high, got low={low}, high={high}")
    if np.any(np.abs(velocity) >= high - low):
        raise ValueError(
            f"every |velocity| must be below high - low = {high - low}, got "
            f"{np.abs(velocity).max()}"
        )
    moved = position + velocity
    below, above = moved < low, moved > high
    moved = np.where(below, 2 * low - moved, np.where(above, 2 * high - moved, moved))
    velocity = np.where(below | above, -velocity, velocity)
    return moved, velocity


def trajectories(n_sequences, n_frames, n_digits, rng, *, high, speed=SPEED):
    """Positions and velocities of bouncing digits, frame by frame.

    n_sequences, n_frames, n_digits: N, T, K; rng: ``numpy.random.Generator``;
    high: the largest top-left coordinate (canvas size − digit size);
    speed: (min, max), each digit's speed is uniform in [min, max) pixels per frame.
    Returns (positions, velocities), each (T, N, K, 2): positions in [0, high].
    """
    low_speed, high_speed = speed
    if not 0 < low_speed <= high_speed < high:
        raise ValueError(
            f"speed must be (min, max) with 0 < min <= max < {high} (the room a "
            f"digit has to move), got {speed!r}"
        )
    shape = (n_sequences, n_digits)
    position = rng.uniform(0.0, high, size=shape + (2,))
    angle = rng.uniform(0.0, 2 * np.pi, size=shape)
    magnitude = rng.uniform(low_speed, high_speed, size=shape)
    velocity = magnitude[..., None] * np.stack([np.sin(angle), np.cos(angle)], -1)
    positions = np.empty((n_frames,) + shape + (2,))
    velocities = np.empty_like(positions)
    positions[0], velocities[0] = position, velocity
    for t in range(1, n_frames):
        position, velocity = bounce(position, velocity, 0.0, high)
        positions[t], velocities[t] = position, velocity
    return positions, velocities


def render(images, positions, canvas_size=CANVAS_SIZE):
    """Draw digits at their positions.

    images: (N, K, d, d) the K digit images of each sequence; positions: (T, N, K, 2)
    top-left corners, rounded to the nearest pixel; canvas_size: S.
    Returns (T, N, 1, S, S) float32 frames; overlapping digits combine by their maximum.
    """
    images = np.asarray(images, dtype=np.float32)
    n_frames, n_sequences, n_digits, _ = positions.shape
    size = images.shape[-1]
    corner = np.rint(positions).astype(np.int64)
    if corner.min() < 0 or corner.max() > canvas_size - size:
        raise ValueError(
            f"positions must keep each {size} x {size} digit on the {canvas_size} x "
            f"{canvas_size} canvas (corners in [0, {canvas_size - size}]), got corners "
            f"in [{corner.min()}, {corner.max()}]"
        )
    frames = np.zeros((n_frames, n_sequences, canvas_size, canvas_size), np.float32)
    t = np.arange(n_frames)[:, None, None, None]
    n = np.arange(n_sequences)[None, :, None, None]
    offsets = np.arange(size)
    for k in range(n_digits):
        rows = (corner[:, :, k, 0, None] + offsets)[:, :, :, None]    # (T, N, d, 1)
        cols = (corner[:, :, k, 1, None] + offsets)[:, :, None, :]    # (T, N, 1, d)
        patch = frames[t, n, rows, cols]
        frames[t, n, rows, cols] = np.maximum(patch, images[None, :, k])
    return frames[:, :, None]


def moving_digits(
    n_sequences: int,
    *,
    split: str = "train",
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    canvas_size: int = CANVAS_SIZE,
    n_digits: int = 2,
    n_frames: int = FRAMES_IN + FRAMES_OUT,
    speed: tuple[float, float] = SPEED,
) -> MovingDigits:
    """N sequences of ``n_digits`` digits bouncing on a ``canvas_size``² canvas.

    n_sequences: N; split: which digit images to draw from (``"train"``,
    ``"validation"``, ``"test"``: disjoint); seed or rng: the randomness (give one);
    n_frames: T (10 in + 10 to predict by default); speed: (min, max) pixels per frame.
    Returns a :class:`MovingDigits` with frames (T, N, 1, S, S) float32 in [0, 1].
    """
    if (seed is None) == (rng is None):
        raise ValueError("give exactly one of seed and rng")
    if rng is None:
        rng = np.random.default_rng(seed)
    for name, value, minimum in (("n_sequences", n_sequences, 1),
                                 ("n_digits", n_digits, 1), ("n_frames", n_frames, 1)):
        if int(value) != value or value < minimum:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if canvas_size <= DIGIT_SIZE + 1:
        raise ValueError(
            f"canvas_size must exceed the digit size {DIGIT_SIZE} + 1, got "
            f"{canvas_size}"
        )
    pool, pool_labels, pool_indices = digit_images(split)
    chosen = rng.integers(0, len(pool), size=(n_sequences, n_digits))
    positions, velocities = trajectories(
        n_sequences, n_frames, n_digits, rng, high=canvas_size - DIGIT_SIZE,
        speed=speed,
    )
    frames = render(pool[chosen], positions, canvas_size)
    return MovingDigits(frames, positions, velocities, pool_labels[chosen],
                        pool_indices[chosen])


def split_frames(frames, frames_in: int = FRAMES_IN):
    """The first ``frames_in`` frames (what the model sees) and the rest (the targets).

    frames: (T, ...) time-major. Returns (frames[:frames_in], frames[frames_in:]).
    """
    if not 0 < frames_in < len(frames):
        raise ValueError(
            f"frames_in must be between 1 and T - 1 = {len(frames) - 1}, got "
            f"{frames_in}"
        )
    return frames[:frames_in], frames[frames_in:]
