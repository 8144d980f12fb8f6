"""Tests for rnncourse.data.moving_digits: digits bounce inside the canvas at their
stated speed, frames have the documented shapes, and everything is seeded."""

import numpy as np
import pytest

from rnncourse.data import moving_digits as md


def test_frames_and_trajectories_have_the_documented_shapes_and_range():
    data = md.moving_digits(7, seed=0)
    assert data.frames.shape == (20, 7, 1, 32, 32)
    assert data.frames.dtype == np.float32
    assert data.positions.shape == data.velocities.shape == (20, 7, 2, 2)
    assert data.labels.shape == data.images.shape == (7, 2)
    assert data.frames.min() >= 0.0 and data.frames.max() <= 1.0
    inputs, targets = md.split_frames(data.frames)
    assert inputs.shape == targets.shape == (10, 7, 1, 32, 32)
    other = md.moving_digits(3, seed=0, canvas_size=20, n_digits=3, n_frames=6)
    assert other.frames.shape == (6, 3, 1, 20, 20)


def test_digits_stay_inside_the_canvas_and_bounce_off_every_wall():
    data = md.moving_digits(400, seed=1, n_frames=60)
    high = md.CANVAS_SIZE - md.DIGIT_SIZE
    assert data.positions.min() >= 0.0 and data.positions.max() <= high
    flips = np.sign(data.velocities[1:]) != np.sign(data.velocities[:-1])
    assert flips.any(axis=(0, 1, 2)).all(), "both coordinates should bounce"
    # a flip happens only next to a wall: within one step (< 2 px) of 0 or high
    at_flip = data.positions[1:][flips]
    assert np.all((at_flip < md.SPEED[1]) | (at_flip > high - md.SPEED[1]))
    # ... and both walls of both coordinates are reached
    for axis in (0, 1):
        coordinate = data.positions[1:, ..., axis][flips[..., axis]]
        assert (coordinate < 2).any() and (coordinate > high - 2).any()


def test_digits_move_at_their_stated_speed_along_the_path():
    data = md.moving_digits(300, seed=2, n_frames=40)
    speed = np.linalg.norm(data.velocities, axis=-1)            # (T, N, K)
    np.testing.assert_allclose(speed, speed[:1].repeat(40, axis=0))
    assert speed.min() >= md.SPEED[0] and speed.max() < md.SPEED[1]
    # without a bounce, the displacement is the velocity (and has length |v|)
    step = data.positions[1:] - data.positions[:-1]
    free = (np.sign(data.velocities[1:]) == np.sign(data.velocities[:-1])).all(-1)
    assert free.mean() > 0.8
    np.testing.assert_allclose(step[free], data.velocities[1:][free], atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(step[free], axis=-1), speed[1:][free])


def test_the_frame_shows_each_digit_at_its_rounded_position():
    data = md.moving_digits(5, seed=3, n_digits=1)
    images, _, indices = md.digit_images("train")
    lookup = dict(zip(indices, images))
    for t in (0, 9, 19):
        for n in range(5):
            row, col = np.rint(data.positions[t, n, 0]).astype(int)
            patch = data.frames[t, n, 0, row:row + 8, col:col + 8]
            np.testing.assert_array_equal(patch, lookup[data.images[n, 0]])
            outside = data.frames[t, n, 0].copy()
            outside[row:row + 8, col:col + 8] = 0
            assert outside.max() == 0.0


def test_overlapping_digits_combine_by_their_maximum():
    images = np.zeros((1, 2, 8, 8), np.float32)
    images[0, 0, :, :4], images[0, 1] = 0.25, 0.5
    images[0, 1, 0, 0] = 0.1
    positions = np.zeros((1, 1, 2, 2))
    frame = md.render(images, positions)[0, 0, 0]
    assert frame[0, 0] == 0.25 and frame[0, 5] == 0.5 and frame[3, 3] == 0.5


def test_the_same_seed_gives_the_same_sequences_and_another_seed_others():
    a, b = md.moving_digits(6, seed=11), md.moving_digits(6, seed=11)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    c = md.moving_digits(6, seed=12)
    assert not np.array_equal(a.frames, c.frames)
    rng = np.random.default_rng(11)
    np.testing.assert_array_equal(md.moving_digits(6, rng=rng).frames, a.frames)


def test_the_splits_use_disjoint_digit_images_from_load_digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    seen = {}
    for split in md.SPLITS:
        images, labels, indices = md.digit_images(split)
        np.testing.assert_array_equal(images * 16, digits.images[indices])
        np.testing.assert_array_equal(labels, digits.target[indices])
        seen[split] = set(indices)
    assert sum(len(s) for s in seen.values()) == len(digits.images)
    assert not seen["train"] & seen["test"]
    assert not seen["train"] & seen["validation"]
    data = md.moving_digits(50, seed=0, split="test")
    assert set(data.images.ravel()) <= seen["test"]


def test_bounce_reflects_at_both_walls_and_keeps_the_speed():
    position, velocity = md.bounce([0.5, 23.0, 10.0], [-1.5, 1.5, 1.0], 0.0, 24.0)
    np.testing.assert_allclose(position, [1.0, 23.5, 11.0])
    np.testing.assert_allclose(velocity, [1.5, -1.5, 1.0])
    position, velocity = md.bounce([23.5], [1.5], 0.0, 24.0)
    np.testing.assert_allclose(position, [23.0])
    np.testing.assert_allclose(velocity, [-1.5])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="split must be one of"):
        md.digit_images("dev")
    with pytest.raises(ValueError, match="exactly one of seed and rng"):
        md.moving_digits(2)
    with pytest.raises(ValueError, match="n_sequences must be an integer >= 1"):
        md.moving_digits(0, seed=0)
    with pytest.raises(ValueError, match="speed must be"):
        md.moving_digits(2, seed=0, speed=(3.0, 30.0))
    with pytest.raises(ValueError, match="same shape"):
        md.bounce([0.0, 1.0], [1.0], 0.0, 5.0)
    with pytest.raises(ValueError, match="below high - low"):
        md.bounce([0.0], [6.0], 0.0, 5.0)
    with pytest.raises(ValueError, match="keep each 8 x 8 digit"):
        md.render(np.zeros((1, 1, 8, 8)), np.full((1, 1, 1, 2), 30.0))
    with pytest.raises(ValueError, match="frames_in must be between 1 and T - 1"):
        md.split_frames(np.zeros((5, 1)), 5)
