"""Tests for rnncourse.np.gradients and rnncourse.torch.gradients: Jacobian products
against
autograd, clipping, spectral radius, initialisations, and the ensemble BPTT against
autograd."""

import numpy as np
import pytest
import torch

from rnncourse.np import gradients as ng
from rnncourse.np import rnn_forward
from rnncourse.torch import gradients as tg


def tanh_states(H=5, T=8, gain=1.2, seed=0):
    rng = np.random.default_rng(seed)
    W_hh = rng.normal(size=(H, H)) * gain / np.sqrt(H)
    W_ih = rng.normal(size=(H, 3))
    x = rng.normal(size=(T, 1, 3))
    out, _ = rnn_forward(x, np.zeros((1, H)), W_ih, W_hh, np.zeros(H), np.zeros(H))
    return W_hh, W_ih, x, np.vstack([np.zeros((1, H)), out[:, 0]])


def autograd_jacobian(W_hh, W_ih, x, h_t, t):
    W_hh, W_ih, x = (torch.tensor(a) for a in (W_hh, W_ih, x[:, 0]))
    def run(h):
        for k in range(t, len(x)):
            h = torch.tanh(W_ih @ x[k] + W_hh @ h)
        return h
    return torch.autograd.functional.jacobian(run, torch.tensor(h_t)).numpy()


@pytest.mark.parametrize("t", [0, 3, 7, 8])
def test_jacobian_product_matches_torch_autograd(t):
    W_hh, W_ih, x, h = tanh_states()
    np.testing.assert_allclose(
        ng.jacobian_product(W_hh, h, t),
        autograd_jacobian(W_hh, W_ih, x, h[t], t),
        rtol=1e-10,
        atol=1e-12,
    )


def test_jacobian_norms_are_spectral_norms_of_the_products():
    W_hh, _, _, h = tanh_states(H=6, T=10, gain=1.5, seed=1)
    norms = ng.jacobian_norms(W_hh, h)
    assert norms.shape == (11,) and norms[-1] == 1.0
    expected = [np.linalg.norm(ng.jacobian_product(W_hh, h, t), 2) for t in range(11)]
    np.testing.assert_allclose(norms, expected, rtol=1e-12)


def test_jacobian_norms_of_a_linear_regime_are_matrix_powers():
    W = np.diag([0.5, 1.0, 1.5])
    norms = ng.jacobian_norms(W, np.zeros((5, 3)))
    np.testing.assert_allclose(norms, 1.5 ** np.arange(4, -1, -1))


def test_relu_step_jacobians_zero_the_rows_of_inactive_units():
    W = np.arange(9.0).reshape(3, 3)
    J = ng.step_jacobians(W, np.array([[0, 0, 0], [1.0, 0.0, 2.0]]), "relu")
    np.testing.assert_array_equal(J[0], W * np.array([[1], [0], [1]]))


def test_jacobian_functions_reject_bad_shapes_naming_the_argument():
    with pytest.raises(ValueError, match="h must have shape"):
        ng.jacobian_norms(np.eye(3), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="W_hh must be a square"):
        ng.jacobian_norms(np.zeros((3, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="nonlinearity"):
        ng.step_jacobians(np.eye(2), np.zeros((2, 2)), "sigmoid")


def test_clip_by_global_norm_scales_all_arrays_by_one_factor_and_matches_torch():
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 4)) * 10, rng.normal(size=5)]
    clipped, norm = ng.clip_by_global_norm(grads, 1.0)
    params = [
        torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads
    ]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g)
    torch_norm = torch.nn.utils.clip_grad_norm_(params, 1.0)
    assert norm == pytest.approx(torch_norm.item())
    for c, p in zip(clipped, params):
        np.testing.assert_allclose(c, p.grad.numpy(), rtol=1e-5)
    assert ng.global_norm(clipped) == pytest.approx(1.0)


def test_clip_by_global_norm_leaves_small_gradients_and_inputs_unchanged():
    grads = [np.array([0.3, 0.4])]
    clipped, norm = ng.clip_by_global_norm(grads, 1.0)
    np.testing.assert_array_equal(clipped[0], grads[0])
    assert clipped[0] is not grads[0] and norm == pytest.approx(0.5)
    with pytest.raises(ValueError, match="max_norm must be positive"):
        ng.clip_by_global_norm(grads, 0.0)


def test_scale_to_spectral_radius_uses_eigenvalues_not_singular_values():
    W = np.array([[0.5, 3.0], [0.0, 0.2]])              # rho 0.5, sigma_max about 3.05
    scaled = ng.scale_to_spectral_radius(W, 1.0)
    assert ng.spectral_radius(scaled) == pytest.approx(1.0)
    np.testing.assert_allclose(scaled, 2 * W)
    assert np.linalg.norm(scaled, 2) > 5
    with pytest.raises(ValueError, match="nilpotent"):
        ng.scale_to_spectral_radius(np.array([[0.0, 1.0], [0.0, 0.0]]), 1.0)


def test_orthogonal_is_orthogonal_deterministic_and_haar_distributed():
    Q = ng.orthogonal(8, np.random.default_rng(0))
    np.testing.assert_allclose(Q.T @ Q, np.eye(8), atol=1e-12)
    np.testing.assert_array_equal(Q, ng.orthogonal(8, np.random.default_rng(0)))
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(Q)), 1.0, atol=1e-10)
    rng = np.random.default_rng(1)
    samples = np.array([ng.orthogonal(4, rng) for _ in range(2000)])
    # unbiased entries (plain QR: Q[0, 0] <= 0)
    assert np.abs(samples.mean(0)).max() < 0.06
    assert 0.45 < np.mean(np.linalg.det(samples) < 0) < 0.55
    np.testing.assert_allclose(
        ng.orthogonal(3, np.random.default_rng(2), gain=2.0).T
        @ ng.orthogonal(3, np.random.default_rng(2), gain=2.0),
        4 * np.eye(3),
        atol=1e-12,
    )


def test_xavier_uniform_has_the_glorot_bound_and_variance():
    W = ng.xavier_uniform(300, 200, np.random.default_rng(0))
    bound = np.sqrt(6 / 500)
    assert W.shape == (300, 200) and np.abs(W).max() <= bound
    assert W.var() == pytest.approx(2 / 500, rel=0.05)
    np.testing.assert_array_equal(ng.identity(3, 0.5), 0.5 * np.eye(3))


# --- torch: the ensemble ---

def ensemble_case(E=3, T=6, B=4, D=6, H=5, K=4, masked=True):
    gen = torch.Generator().manual_seed(0)
    params = tg.init_ensemble(E, D, H, K, gen, std=0.5)
    params["b"] = torch.randn(E, 1, H, generator=gen) * 0.1
    x = torch.randn(T, E, B, D, generator=gen)
    y = torch.randint(0, K, (E, B), generator=gen)
    mask = torch.ones(T, E, 1, 1)
    if masked:
        # member 1: a sequence 2 steps shorter
        mask[:2, 1] = 0.0
        x[:2, 1] = 0.0
    return params, x, y, mask


def autograd_ensemble_loss(params, x, y, mask):
    h = torch.zeros(x.shape[1], x.shape[2], params["W_hh"].shape[1])
    for t in range(x.shape[0]):
        h = (
            torch.tanh(x[t] @ params["W_ih"] + h @ params["W_hh"] + params["b"])
            * mask[t]
        )
    logits = h @ params["W_hy"] + params["b_y"]
    E, B, K = logits.shape
    return (
        torch.nn.functional.cross_entropy(
            logits.reshape(E * B, K), y.reshape(-1), reduction="none"
        )
        .view(E, B)
        .mean(1)
    )


@pytest.mark.parametrize("masked", [False, True])
def test_ensemble_backward_matches_autograd(masked):
    params, x, y, mask = ensemble_case(masked=masked)
    loss, grads, _ = tg.ensemble_loss_and_grads(params, x, y, mask)
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    expected_loss = autograd_ensemble_loss(leaves, x, y, mask)
    expected = torch.autograd.grad(expected_loss.sum(), list(leaves.values()))
    torch.testing.assert_close(loss, expected_loss.detach())
    for name, g in zip(leaves, expected):
        torch.testing.assert_close(grads[name], g, rtol=1e-4, atol=1e-6)


def test_padding_at_the_start_does_not_change_a_member():
    params, x, y, mask = ensemble_case(E=1, masked=False)
    padded_x = torch.cat([torch.zeros(3, *x.shape[1:]), x])
    padded_mask = torch.cat([torch.zeros(3, 1, 1, 1), mask])
    loss, grads, _ = tg.ensemble_loss_and_grads(params, x, y, mask)
    loss_p, grads_p, _ = tg.ensemble_loss_and_grads(params, padded_x, y, padded_mask)
    torch.testing.assert_close(loss, loss_p)
    for name in grads:
        torch.testing.assert_close(grads[name], grads_p[name])


def test_clip_members_clips_each_member_by_its_own_global_norm():
    grads = {
        "a": torch.tensor([[3.0, 0.0], [0.3, 0.0]]),
        "b": torch.tensor([[0.0, 4.0], [0.0, 0.4]]),
    }
    clipped, norms = tg.clip_members(grads, torch.tensor([1.0, 1.0]))
    torch.testing.assert_close(norms, torch.tensor([5.0, 0.5]))
    torch.testing.assert_close(clipped["a"], torch.tensor([[0.6, 0.0], [0.3, 0.0]]))
    unclipped, _ = tg.clip_members(grads, torch.tensor([float("inf"), float("inf")]))
    torch.testing.assert_close(unclipped["b"], grads["b"])


def test_training_with_clipping_learns_short_temporal_order():
    rng, gen = np.random.default_rng(0), torch.Generator().manual_seed(0)
    params = tg.init_ensemble(2, 6, 20, 4, gen)
    lengths = np.array([10, 10])
    before = tg.error_rate(params, lengths, 300, rng)
    norms = tg.train_temporal_order(
        params, lengths, torch.tensor([1.0, 1.0]), 300, 0.1, 20, rng
    )
    after = tg.error_rate(params, lengths, 300, rng)
    assert norms.shape == (300, 2)
    assert (after < 0.1).all() and (before > 0.5).all()


def test_temporal_order_batch_pads_shorter_members_at_the_start():
    x, y, mask = tg.temporal_order_batch([10, 20], 3, np.random.default_rng(0))
    assert (
        x.shape == (20, 2, 3, 6) and y.shape == (2, 3) and mask.shape == (20, 2, 1, 1)
    )
    assert (
        (x[:10, 0] == 0).all()
        and (x[10:, 0].sum(-1) == 1).all()
        and (x[:, 1].sum(-1) == 1).all()
    )
    assert mask[:10, 0].sum() == 0 and mask[10:, 0].sum() == 10


def test_latch_training_succeeds_for_short_sequences():
    result = tg.train_latch(
        [5], 4, 3, steps=150, lr=0.5, batch_size=10, rng=np.random.default_rng(0)
    )
    assert (result["w"] > 1).all(), "units that solve a short latch problem have w > 1"


def test_hidden_gradient_norms_match_a_direct_computation_for_an_rnn():
    torch.manual_seed(0)
    rnn = torch.nn.RNN(2, 4)
    x = torch.randn(5, 3, 2)
    norms = tg.hidden_gradient_norms(rnn, x, seed=1)
    h0 = torch.zeros(1, 3, 4, requires_grad=True)
    out, _ = rnn(x, h0)
    v = torch.randn(4, generator=torch.Generator().manual_seed(1))
    (out[-1] @ (v / v.norm())).sum().backward()
    assert norms.shape == (6,) and norms[-1] == pytest.approx(1.0)
    assert norms[0] == pytest.approx(h0.grad[0].norm(dim=-1).mean().item(), rel=1e-5)
    lstm_norms = tg.hidden_gradient_norms(torch.nn.LSTM(2, 4), x)
    assert lstm_norms.shape == (6,) and np.isfinite(lstm_norms).all()


# --- reporting success rates, per-member learning rates, float64 gradient flow ---

def test_wilson_interval_matches_known_values_and_stays_inside_zero_one():
    low, high = ng.wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.27754, abs=1e-5)
    low, high = ng.wilson_interval(5, 10)
    assert (low, high) == pytest.approx((0.23659, 0.76341), abs=1e-5)
    low, high = ng.wilson_interval(np.array([0, 3, 16]), 16)
    assert (low >= 0).all() and (high <= 1).all() and low[1] < 3 / 16 < high[1]
    assert high[2] == 1.0 and low[2] < 1.0
    with pytest.raises(ValueError, match="successes"):
        ng.wilson_interval(11, 10)


def test_error_rate_in_chunks_equals_a_single_forward_pass():
    params = tg.init_ensemble(3, 6, 20, 4, torch.Generator().manual_seed(0))
    lengths = np.array([10, 12, 10])
    chunked = tg.error_rate(params, lengths, 600, np.random.default_rng(1), chunk=128)
    x, y, mask = tg.temporal_order_batch(lengths, 600, np.random.default_rng(1))
    with torch.no_grad():
        h_last = tg.ensemble_forward(params, x, mask)[-1]
        logits = torch.baddbmm(params["b_y"], h_last, params["W_hy"])
    torch.testing.assert_close(chunked, (logits.argmax(-1) != y).float().mean(1))


def test_train_temporal_order_takes_one_learning_rate_per_member():
    params = tg.init_ensemble(2, 6, 8, 4, torch.Generator().manual_seed(0))
    params = {k: torch.cat([v, v]) for k, v in params.items()}
    before = {k: v.clone() for k, v in params.items()}
    lengths, max_norm = np.full(4, 10), torch.full((4,), float("inf"))
    tg.train_temporal_order(params, lengths, max_norm, 5,
                            torch.tensor([0.0, 0.0, 0.1, 0.1]), 4,
                            np.random.default_rng(0))
    for name in tg.PARAMETER_NAMES:
        torch.testing.assert_close(params[name][:2], before[name][:2])
        assert not torch.equal(params[name][2:], before[name][2:]) or name == "b_y"
    with pytest.raises(ValueError, match="lr must be a float or have shape"):
        tg.train_temporal_order(params, lengths, max_norm, 1, torch.ones(3), 4,
                                np.random.default_rng(0))


def test_hidden_gradient_norms_in_float64_resolve_what_float32_rounds_to_zero():
    torch.manual_seed(0)
    rnn = torch.nn.RNN(2, 16)
    x = torch.randn(200, 2, 2)
    single = tg.hidden_gradient_norms(rnn, x)
    double = tg.hidden_gradient_norms(rnn.double(), x.double())
    assert single[0] == 0.0, "float32 underflows: the reason to use float64"
    assert 0.0 < double[0] < 1e-45
    np.testing.assert_allclose(double[-20:], single[-20:], rtol=1e-4)


# --- Pascanu et al.'s single-unit cliff ---

def test_cliff_loss_is_the_unit_run_step_by_step():
    w, b = torch.tensor([5.0, 3.0], dtype=torch.float64), torch.tensor([-2.5, -1.0])
    h = torch.full((2,), 0.5, dtype=torch.float64)
    for _ in range(50):
        h = w * torch.sigmoid(h) + b
    torch.testing.assert_close(tg.cliff_loss(w, b.double()), (h - 0.7) ** 2)


def test_cliff_wall_sits_at_the_largest_jump_of_the_loss():
    wall = tg.cliff_wall([5.0], -4.5, -0.5)[0]
    spacing = 4.0 / 4000
    w = torch.full((2,), 5.0, dtype=torch.float64)
    below, above = tg.cliff_loss(
        w, torch.tensor([wall - spacing, wall + spacing], dtype=torch.float64)
    )
    assert abs(below - above) > 1.0, "the loss jumps across the wall"
    far = tg.cliff_loss(w, torch.tensor([wall - 0.1, wall - 0.1 + spacing],
                                        dtype=torch.float64))
    assert abs(far[0] - far[1]) < 0.1 * abs(below - above)


def test_descend_cliff_clipped_steps_are_at_most_lr_kappa_and_runs_are_independent():
    w = torch.tensor([4.5, 5.0, 6.0])
    b = torch.tensor(tg.cliff_wall(w.numpy(), -4.5, -0.5)) - 0.1
    path, norms = tg.descend_cliff(w, b, 0.05, 10, max_norm=1.0)
    assert path.shape == (11, 2, 3) and norms.shape == (10, 3)
    assert (path.diff(dim=0).norm(dim=1) <= 0.05 + 1e-12).all()
    alone, _ = tg.descend_cliff(w[1:2], b[1:2], 0.05, 10, max_norm=1.0)
    torch.testing.assert_close(alone[:, :, 0], path[:, :, 1])
    plain, plain_norms = tg.descend_cliff(w, b, 0.05, 10)
    steps = plain.diff(dim=0).norm(dim=1)
    torch.testing.assert_close(steps, 0.05 * plain_norms)
