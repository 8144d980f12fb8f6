"""Tests for rnncourse.np.hopfield: storage, energy, recall, the experiments' helpers.
"""

import numpy as np
import pytest

from rnncourse.np import hopfield as hp


def random_net(n_units, n_patterns, seed):
    rng = np.random.default_rng(seed)
    patterns = hp.random_patterns(n_patterns, n_units, rng)
    return patterns, hp.hebbian_weights(patterns), rng


# --- storage --------------------------------------------------------------------------

def test_hebbian_weights_are_symmetric_with_zero_diagonal():
    _, W, _ = random_net(50, 7, seed=0)
    assert W.shape == (50, 50)
    np.testing.assert_array_equal(W, W.T)
    np.testing.assert_array_equal(np.diag(W), 0.0)


def test_hebbian_weights_match_the_outer_product_formula():
    patterns, W, _ = random_net(20, 4, seed=1)
    expected = np.zeros((20, 20))
    for xi in patterns:
        expected += np.outer(xi, xi) / 20
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(W, expected, atol=1e-15)


def test_random_patterns_are_plus_minus_one_with_requested_shape():
    patterns = hp.random_patterns(3, 40, np.random.default_rng(2))
    assert patterns.shape == (3, 40)
    assert set(np.unique(patterns)) == {-1.0, 1.0}


def test_single_stored_pattern_and_its_negative_are_fixed_points():
    xi = hp.random_patterns(1, 30, np.random.default_rng(3))
    W = hp.hebbian_weights(xi)
    assert hp.is_fixed_point(W, xi[0])
    assert hp.is_fixed_point(W, -xi[0])
    result = hp.async_recall(W, -xi[0], np.random.default_rng(0))
    np.testing.assert_array_equal(result.state, -xi[0])
    assert result.converged and result.sweeps == 1


# --- energy ---------------------------------------------------------------------------

def test_energy_matches_definition_on_a_hand_example():
    W = np.array([[0.0, 1.0, -2.0], [1.0, 0.0, 0.5], [-2.0, 0.5, 0.0]])
    s = np.array([1.0, -1.0, 1.0])
    b = np.array([0.1, 0.2, -0.3])
    # -1/2 s^T W s = -(W01 s0 s1 + W02 s0 s2 + W12 s1 s2) = -(-1 - 2 - 0.5) = 3.5; -b.s
    # = -(0.1 - 0.2 - 0.3) = 0.4
    assert hp.energy(W, s) == pytest.approx(3.5)
    assert hp.energy(W, s, bias=b) == pytest.approx(3.9)
    np.testing.assert_allclose(hp.energy(W, np.stack([s, -s])), [3.5, 3.5])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("with_bias", [False, True])
def test_energy_never_increases_at_any_single_unit_update(seed, with_bias):
    # a loaded net: many flips on the way down
    patterns, W, rng = random_net(60, 12, seed)
    bias = rng.normal(scale=0.3, size=60) if with_bias else None
    start = rng.choice([-1.0, 1.0], size=60)
    result = hp.async_recall(W, start, rng, bias=bias, record_energy=True)
    trace = result.energies
    assert len(trace) == 1 + result.sweeps * 60         # one entry per unit visit
    assert np.all(np.diff(trace) <= 1e-12)
    assert trace[0] == pytest.approx(hp.energy(W, start, bias))
    assert trace[-1] == pytest.approx(hp.energy(W, result.state, bias))
    assert trace[-1] < trace[0]


# --- asynchronous recall --------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_async_recall_reaches_a_fixed_point_within_the_cap(seed):
    patterns, W, rng = random_net(80, 16, seed)
    start = rng.choice([-1.0, 1.0], size=80)
    result = hp.async_recall(W, start, rng, max_sweeps=100)
    assert result.converged
    assert 1 <= result.sweeps <= 100
    assert hp.is_fixed_point(W, result.state)


def test_async_recall_stops_at_the_sweep_cap_when_there_is_no_fixed_point():
    # antisymmetric: unit 0 copies 1, unit 1 opposes 0
    W = np.array([[0.0, 1.0], [-1.0, 0.0]])
    result = hp.async_recall(
        W, np.array([1.0, 1.0]), np.random.default_rng(0), max_sweeps=7
    )
    assert not result.converged
    assert result.sweeps == 7


def test_batch_recall_matches_single_state_recall_with_the_same_seed():
    patterns, W, rng = random_net(100, 12, seed=4)
    for k in range(10):
        cue = hp.flip_bits(patterns[k], 35, rng)
        single = hp.async_recall(W, cue, np.random.default_rng(k))
        batch = hp.async_recall_batch(W, cue[None], np.random.default_rng(k))
        np.testing.assert_array_equal(single.state, batch.state[0])
        assert single.sweeps == batch.sweeps[0]


def test_batch_recall_ends_every_row_at_a_fixed_point():
    patterns, W, rng = random_net(100, 14, seed=5)
    starts = rng.choice([-1.0, 1.0], size=(25, 100))
    result = hp.async_recall_batch(W, starts, rng)
    assert result.state.shape == (25, 100)
    assert result.converged.all()
    assert hp.is_fixed_point(W, result.state).all()


def test_ties_keep_the_current_state():
    np.testing.assert_array_equal(
        hp.update_sign([0.0, 1e-14, 2.0, -3.0], [-1.0, 1.0, -1.0, 1.0]),
        [-1.0, 1.0, 1.0, -1.0],
    )
    # every field is exactly 0: nothing may change
    W = np.zeros((4, 4))
    start = np.array([1.0, -1.0, -1.0, 1.0])
    np.testing.assert_array_equal(
        hp.async_recall(W, start, np.random.default_rng(0)).state, start
    )
    np.testing.assert_array_equal(hp.sync_recall(W, start).state, start)


def test_few_memories_are_recalled_exactly_from_noisy_cues_at_n100():
    patterns, W, rng = random_net(100, 5, seed=6)
    for mu in range(5):
        for _ in range(4):
            cue = hp.flip_bits(patterns[mu], 15, rng)
            assert hp.count_errors(patterns[mu], cue) == 15
            result = hp.async_recall(W, cue, rng)
            assert hp.count_errors(patterns[mu], result.state) == 0


def test_same_seed_gives_the_same_recall():
    patterns, W, _ = random_net(100, 15, seed=7)
    cue = hp.flip_bits(patterns[0], 30, np.random.default_rng(1))
    first = hp.async_recall(W, cue, np.random.default_rng(42), record_energy=True)
    second = hp.async_recall(W, cue, np.random.default_rng(42), record_energy=True)
    np.testing.assert_array_equal(first.state, second.state)
    np.testing.assert_array_equal(first.energies, second.energies)
    counts = [
        hp.recall_error_counts(100, 15, 3, np.random.default_rng(9)) for _ in range(2)
    ]
    np.testing.assert_array_equal(counts[0], counts[1])


# --- synchronous recall ---------------------------------------------------------------

def test_sync_recall_can_two_cycle_and_says_so_where_async_settles():
    W = np.array([[0.0, 1.0], [1.0, 0.0]])      # two units that want to agree
    start = np.array([1.0, -1.0])
    result = hp.sync_recall(W, start)
    assert result.status == "2-cycle"
    # (1, -1) -> (-1, 1) -> (1, -1)
    assert result.steps == 2
    np.testing.assert_array_equal(result.state, start)
    settled = hp.async_recall(W, start, np.random.default_rng(0))
    assert settled.converged
    assert abs(settled.state.sum()) == 2                        # (+1, +1) or (-1, -1)


def test_sync_recall_stays_at_a_stored_memory():
    patterns, W, _ = random_net(100, 3, seed=8)
    result = hp.sync_recall(W, patterns[1])
    assert result.status == "fixed point" and result.steps == 1
    np.testing.assert_array_equal(result.state, patterns[1])


def test_sync_recall_reports_a_status_per_row_of_a_batch():
    W = np.array([[0.0, 1.0], [1.0, 0.0]])
    result = hp.sync_recall(W, np.array([[1.0, 1.0], [1.0, -1.0]]))
    assert list(result.status) == ["fixed point", "2-cycle"]
    assert result.state.shape == (2, 2)


def test_sync_recall_only_ends_in_fixed_points_or_two_cycles_for_hebbian_weights():
    patterns, W, rng = random_net(60, 20, seed=9)
    result = hp.sync_recall(W, rng.choice([-1.0, 1.0], size=(40, 60)), max_steps=200)
    assert set(result.status) <= {"fixed point", "2-cycle"}


# --- overlaps, errors, helpers
# ---------------------------------------------------------

def test_overlap_and_error_count_on_hand_examples():
    xi = np.array([1.0, 1.0, -1.0, -1.0])
    s = np.array([1.0, -1.0, -1.0, -1.0])
    assert hp.overlap(xi, s) == pytest.approx(0.5)
    assert hp.count_errors(xi, s) == 1
    assert hp.overlap(xi, -xi) == pytest.approx(-1.0)
    assert hp.count_errors(xi, -xi) == 4
    patterns = np.stack([xi, -xi, np.ones(4)])
    np.testing.assert_allclose(hp.overlap(patterns, s), [0.5, -0.5, -0.5])
    np.testing.assert_array_equal(hp.count_errors(patterns, s), [1, 3, 3])


def test_error_count_is_n_times_one_minus_overlap_over_two():
    rng = np.random.default_rng(10)
    a, b = rng.choice([-1.0, 1.0], size=(2, 64))
    assert hp.count_errors(a, b) == pytest.approx(64 * (1 - hp.overlap(a, b)) / 2)


def test_flip_bits_flips_exactly_the_requested_number():
    rng = np.random.default_rng(11)
    states = rng.choice([-1.0, 1.0], size=(5, 50))
    noisy = hp.flip_bits(states, 7, rng)
    np.testing.assert_array_equal(hp.count_errors(states, noisy), [7] * 5)


def test_mixture_state_is_the_sign_of_the_sum_with_overlap_one_half_on_average():
    patterns, W, _ = random_net(2000, 3, seed=12)
    mix = hp.mixture_state(patterns)
    np.testing.assert_array_equal(mix, np.sign(patterns.sum(axis=0)))
    np.testing.assert_allclose(hp.overlap(patterns, mix), 0.5, atol=0.05)


def test_binary_neuron_bias_reproduces_the_zero_one_threshold_rule():
    patterns, W, rng = random_net(40, 6, seed=13)
    T = W * 40                                         # Hopfield's T_ij, Eq. 2
    s = rng.choice([-1.0, 1.0], size=40)
    V = (s + 1) / 2                                    # the same state as 0/1 neurons
    fires = T @ V > 0
    h = hp.local_field(W, s, bias=hp.binary_neuron_bias(W))
    np.testing.assert_array_equal(h > 0, fires)


def test_glyphs_are_ten_by_ten_and_fixed_points_of_their_network():
    glyphs = hp.glyph_patterns("HOPT")
    assert glyphs.shape == (4, 100)
    assert hp.is_fixed_point(hp.hebbian_weights(glyphs), glyphs).all()


# --- the experiments
# --------------------------------------------------------------------

def test_five_memories_at_n100_almost_always_end_error_free():
    counts = hp.recall_error_counts(100, 5, 40, np.random.default_rng(14))
    assert counts.shape == (200,)
    assert np.mean(counts == 0) >= 0.95


def test_errors_after_recall_accepts_one_or_many_networks():
    rng = np.random.default_rng(15)
    patterns = np.stack([hp.random_patterns(4, 50, rng) for _ in range(3)])
    assert hp.errors_after_recall(patterns, rng).shape == (3, 4)
    assert hp.errors_after_recall(patterns[0], rng).shape == (4,)


def test_capacity_curve_recalls_at_low_load_and_fails_at_high_load():
    curve = hp.capacity_curve(100, [0.05, 0.4], 4, np.random.default_rng(16))
    np.testing.assert_array_equal(curve["n_patterns"], [5, 40])
    assert curve["recalled_fraction"][0] >= 0.95
    assert curve["recalled_fraction"][1] <= 0.2
    assert curve["error_fraction"][1] > curve["error_fraction"][0]


def test_crossing_point_interpolates_linearly():
    assert hp.crossing_point([0.1, 0.2, 0.3], [0.9, 0.7, 0.3]) == pytest.approx(0.25)
    assert np.isnan(hp.crossing_point([0.1, 0.2], [0.9, 0.8]))


def test_bam_recalls_a_stored_pair_from_a_noisy_cue_and_energy_never_increases():
    rng = np.random.default_rng(17)
    X = hp.random_patterns(3, 40, rng)
    Y = hp.random_patterns(3, 20, rng)
    W = hp.bam_weights(X, Y)
    np.testing.assert_array_equal(W, sum(np.outer(x, y) for x, y in zip(X, Y)))
    result = hp.bam_recall(W, hp.flip_bits(X[1], 6, rng))
    assert result.converged
    np.testing.assert_array_equal(result.x, X[1])
    np.testing.assert_array_equal(result.y, Y[1])
    assert np.all(np.diff(result.energies) <= 1e-12)
    assert result.energies[-1] == pytest.approx(hp.bam_energy(W, X[1], Y[1]))


def test_modern_update_retrieves_in_one_step_at_high_beta_beyond_classical_capacity():
    patterns, W, rng = random_net(100, 40, seed=18)         # load 0.4: far beyond 0.138
    cue = hp.flip_bits(patterns[3], 20, rng)
    new = hp.modern_update(patterns, cue, beta=1.0)
    np.testing.assert_array_equal(np.sign(new), patterns[3])
    classical = hp.async_recall(W, cue, rng).state
    assert hp.count_errors(patterns[3], classical) > 5
    # tiny beta: the mean of all memories
    uniform = hp.modern_update(patterns, cue, beta=1e-9)
    np.testing.assert_allclose(uniform, patterns.mean(axis=0), atol=1e-6)


# --- bad input: ValueError naming what was expected and what came
# ------------------------

def test_non_plus_minus_one_patterns_name_the_value_found():
    with pytest.raises(ValueError, match=r"only -1 and \+1, found the value 0"):
        hp.hebbian_weights(np.array([[1.0, 0.0, -1.0]]))
    with pytest.raises(ValueError, match="found the value 2"):
        hp.energy(np.zeros((3, 3)), np.array([1.0, 2.0, -1.0]))


def test_wrong_rank_patterns_are_rejected():
    with pytest.raises(ValueError, match=r"shape \(P, N\).*rank 1 with shape \(5,\)"):
        hp.hebbian_weights(np.ones(5))


def test_state_size_must_match_the_weights():
    W = np.zeros((100, 100))
    with pytest.raises(
        ValueError,
        match=r"state must have shape \(100,\) or \(B, 100\) to match W of shape "
        r"\(100, 100\), got \(64,\)",
    ):
        hp.async_recall(W, np.ones(64), np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"got \(3, 64\)"):
        hp.sync_recall(W, np.ones((3, 64)))
    with pytest.raises(ValueError, match=r"\(B, 100\).*got \(100,\)"):
        hp.async_recall_batch(W, np.ones(100), np.random.default_rng(0))


def test_weights_must_be_square():
    with pytest.raises(
        ValueError, match=r"square matrix of shape \(N, N\), got shape \(3, 4\)"
    ):
        hp.energy(np.zeros((3, 4)), np.ones(3))


@pytest.mark.parametrize("cap", [0, -3, 2.5])
def test_sweep_and_step_caps_must_be_positive_integers(cap):
    W = np.zeros((4, 4))
    with pytest.raises(
        ValueError, match=f"max_sweeps must be a positive integer, got {cap}"
    ):
        hp.async_recall(W, np.ones(4), np.random.default_rng(0), max_sweeps=cap)
    with pytest.raises(ValueError, match="max_sweeps must be a positive integer"):
        hp.async_recall_batch(
            W, np.ones((2, 4)), np.random.default_rng(0), max_sweeps=cap
        )
    with pytest.raises(ValueError, match="max_steps must be a positive integer"):
        hp.sync_recall(W, np.ones(4), max_steps=cap)


def test_rng_must_be_a_numpy_generator():
    with pytest.raises(ValueError, match="numpy.random.Generator.*got int"):
        hp.async_recall(np.zeros((3, 3)), np.ones(3), 0)


def test_bias_must_match_the_weights():
    with pytest.raises(
        ValueError,
        match=r"bias must have shape \(3,\) to match W of shape \(3, 3\), got \(2,\)",
    ):
        hp.local_field(np.zeros((3, 3)), np.ones(3), bias=np.zeros(2))


def test_bam_inputs_are_checked():
    with pytest.raises(ValueError, match="same number of pairs.*got 2 and 3"):
        hp.bam_weights(np.ones((2, 4)), np.ones((3, 5)))
    with pytest.raises(
        ValueError,
        match=r"x must have shape \(4,\) to match W of shape \(4, 5\), got \(5,\)",
    ):
        hp.bam_recall(np.zeros((4, 5)), np.ones(5))


def test_other_helpers_check_their_arguments():
    with pytest.raises(ValueError, match="odd number of memories.*got 2"):
        hp.mixture_state(np.ones((3, 5)), indices=(0, 1))
    with pytest.raises(ValueError, match="n_flips must be between 0 and N = 5, got 6"):
        hp.flip_bits(np.ones(5), 6, np.random.default_rng(0))
    with pytest.raises(ValueError, match="beta must be positive, got 0"):
        hp.modern_update(np.ones((2, 3)), np.ones(3), beta=0)
    with pytest.raises(ValueError, match="letters must be drawn from HOPT, got 'Z'"):
        hp.glyph_patterns("HZ")
    with pytest.raises(ValueError, match=r"same length N.*\(4,\) and \(5,\)"):
        hp.overlap(np.ones(4), np.ones(5))


def test_bam_stable_pairs_agree_with_recall_and_fall_with_the_number_of_pairs():
    rng = np.random.default_rng(12)
    X, Y = hp.random_patterns(6, 40, rng), hp.random_patterns(6, 12, rng)
    stable = hp.bam_stable_pairs(X, Y)
    W = hp.bam_weights(X, Y)
    assert stable.shape == (6,) and stable.dtype == bool
    for k in range(6):
        run = hp.bam_recall(W, X[k], Y[k])
        # a stable pair: two half-steps that change nothing; any other pair changes
        unchanged = (run.steps == 2 and np.array_equal(run.x, X[k])
                     and np.array_equal(run.y, Y[k]))
        assert unchanged == stable[k], k
    few = np.mean([hp.bam_stable_pairs(hp.random_patterns(2, 100, rng),
                                       hp.random_patterns(2, 16, rng)).mean()
                   for _ in range(20)])
    many = np.mean([hp.bam_stable_pairs(hp.random_patterns(16, 100, rng),
                                        hp.random_patterns(16, 16, rng)).mean()
                    for _ in range(20)])
    assert few > 0.9 and many < 0.5
    with pytest.raises(ValueError, match="same number of pairs"):
        hp.bam_stable_pairs(X, Y[:3])


def test_balanced_patterns_have_exactly_half_their_units_on_at_random_places():
    patterns = hp.random_patterns(200, 30, np.random.default_rng(3), balanced=True)
    assert patterns.shape == (200, 30)
    assert ((patterns == 1) | (patterns == -1)).all()
    assert (patterns.sum(axis=1) == 0).all()
    assert 0.4 < (patterns == 1).mean(axis=0).min()  # every unit is on sometimes
    odd = hp.random_patterns(5, 7, np.random.default_rng(4), balanced=True)
    assert ((odd == 1).sum(axis=1) == 3).all()


def test_a_full_threshold_turns_zero_one_units_into_plus_minus_one_units():
    W = hp.hebbian_weights(hp.random_patterns(6, 40, np.random.default_rng(5)))
    np.testing.assert_allclose(hp.binary_neuron_bias(W, threshold_fraction=1.0), 0.0)
    np.testing.assert_allclose(
        hp.binary_neuron_bias(W, threshold_fraction=0.5), 0.5 * W.sum(axis=1)
    )
    patterns = hp.random_patterns(8, 50, np.random.default_rng(6))
    plain = hp.errors_after_recall(patterns, np.random.default_rng(7))
    as_binary = hp.errors_after_recall(
        patterns, np.random.default_rng(7), binary_neurons=True, threshold_fraction=1.0
    )
    np.testing.assert_array_equal(plain, as_binary)


def test_thresholds_and_balanced_memories_help_zero_one_units_at_n15():
    """The two candidate causes chapter 2 measures for the n = 15 result."""
    rng = np.random.default_rng(15)
    kept = {
        name: np.mean(hp.recall_error_counts(100, 15, 30, rng, True, **options) < 5)
        for name, options in {
            "paper": {}, "threshold": {"threshold_fraction": 0.5},
            "balanced": {"balanced": True},
        }.items()
    }
    assert kept["paper"] < 0.4 and kept["threshold"] > kept["paper"] + 0.15
    assert kept["balanced"] > kept["paper"] + 0.3
