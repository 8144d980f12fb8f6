"""rnncourse.errata (appendix C): the popular wrong formulas, coded literally, are
what the appendix says they are: wrong where it says, and equal to the package's
correct versions once each mistake is undone."""

import numpy as np
import pytest
import torch

from rnncourse import errata, lstm_derivation
from rnncourse.np import (gru_cho_step_forward, gru_step_forward, lstm_step_backward,
                          lstm_step_forward, numerical_gradient, rel_error)


def lstm_case(B=3, D=4, H=4, seed=0):
    rng = np.random.default_rng(seed)
    x, h, c = rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
    W_ih, W_hh = 0.5 * rng.normal(size=(4 * H, D)), 0.5 * rng.normal(size=(4 * H, H))
    b_ih, b_hh = 0.1 * rng.normal(size=4 * H), 0.1 * rng.normal(size=4 * H)
    dh, dc = rng.normal(size=(B, H)), rng.normal(size=(B, H))
    return (x, h, c, W_ih, W_hh, b_ih, b_hh), dh, dc


def gru_case(B=4, D=3, H=5, seed=1):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(B, D)), rng.normal(size=(B, H)),
            rng.normal(size=(3 * H, D)), rng.normal(size=(3 * H, H)),
            rng.normal(size=3 * H), rng.normal(size=3 * H))


def torch_gru_step(x, h, W_ih, W_hh, b_ih, b_hh):
    gru = torch.nn.GRU(W_ih.shape[1], W_hh.shape[1], dtype=torch.float64)
    with torch.no_grad():
        for name, value in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
                                "bias_hh_l0"), (W_ih, W_hh, b_ih, b_hh)):
            getattr(gru, name).copy_(torch.from_numpy(value))
        return gru(torch.from_numpy(x)[None], torch.from_numpy(h)[None])[0][0].numpy()


# --- the LSTM's gradient on h_{t-1} ---------------------------------------------------

@pytest.mark.parametrize("sizes", [(1, 1, 1), (3, 4, 5), (2, 6, 3)])
def test_lstm_dh_prev_with_no_mistake_is_the_package_backward(sizes):
    inputs, dh, dc = lstm_case(*sizes, seed=sum(sizes))
    _, _, cache = lstm_step_forward(*inputs)
    assert rel_error(errata.lstm_dh_prev(dh, dc, cache),
                     lstm_step_backward(dh, dc, cache)["h_prev"]) < 1e-12


def test_lstm_dh_prev_with_every_mistake_is_the_popular_formula():
    inputs, dh, dc = lstm_case(B=2, D=5, H=5, seed=3)
    _, _, cache = lstm_step_forward(*inputs)
    popular = errata.lstm_dh_prev(dh, dc, cache, weights="input", sigma_prime_of_h=True,
                                  output_gate_derivative=False)
    assert rel_error(popular,
                     lstm_derivation.popular_backward(dh, dc, cache)["dh_prev"]) < 1e-12


def test_only_the_combination_without_mistakes_passes_the_gradient_check():
    inputs, dh, dc = lstm_case()
    _, _, cache = lstm_step_forward(*inputs)

    def h_and_c():
        h, c, _ = lstm_step_forward(*inputs)
        return np.concatenate([h, c], axis=1)

    numeric = numerical_gradient(h_and_c, inputs[1], np.concatenate([dh, dc], axis=1))
    passing = [
        (weights, sigma_h, own)
        for weights in ("hidden", "input") for sigma_h in (False, True)
        for own in (True, False)
        if rel_error(errata.lstm_dh_prev(dh, dc, cache, weights=weights,
                                         sigma_prime_of_h=sigma_h,
                                         output_gate_derivative=own), numeric) < 1e-6
    ]
    assert passing == [("hidden", False, True)]


def test_the_elementwise_weight_gradient_is_the_diagonal_of_the_outer_product():
    inputs, dh, dc = lstm_case(B=3, D=4, H=4, seed=5)
    _, _, cache = lstm_step_forward(*inputs)
    true_dW_o = lstm_step_backward(dh, dc, cache)["W_ih"][12:]
    elementwise = lstm_derivation.popular_backward(dh, dc, cache)["dW_o"]
    assert elementwise.shape == (4,) and true_dW_o.shape == (4, 4)
    assert np.allclose(elementwise, np.diag(true_dW_o))


def test_lstm_dh_prev_rejects_bad_input():
    inputs, dh, dc = lstm_case(D=3, H=4)
    _, _, cache = lstm_step_forward(*inputs)
    with pytest.raises(ValueError, match="only has the shape of h_{t-1} when D = H"):
        errata.lstm_dh_prev(dh, dc, cache, weights="input")
    with pytest.raises(ValueError, match="weights must be 'hidden' or 'input'"):
        errata.lstm_dh_prev(dh, dc, cache, weights="W_i")
    with pytest.raises(ValueError, match=r"dc must have the shape of the hidden state"):
        errata.lstm_dh_prev(dh, dc[:, :2], cache)


# --- the GRU --------------------------------------------------------------------------

def test_the_candidate_with_W_hz_differs_from_torch_and_ignores_W_hn():
    x, h, W_ih, W_hh, b_ih, b_hh = gru_case()
    H = h.shape[1]
    typo = errata.gru_step_with_update_weights(x, h, W_ih, W_hh, b_ih, b_hh)
    assert np.abs(typo - torch_gru_step(x, h, W_ih, W_hh, b_ih, b_hh)).max() > 1e-2
    changed = W_hh.copy()
    changed[2 * H:] += 1.0                     # W_hn has no effect on the typo'd unit
    assert np.array_equal(
        errata.gru_step_with_update_weights(x, h, W_ih, changed, b_ih, b_hh), typo)
    # and when W_hn happens to equal W_hz the typo is harmless
    tied = W_hh.copy()
    tied[2 * H:] = W_hh[H:2 * H]
    typo_tied = errata.gru_step_with_update_weights(x, h, W_ih, tied, b_ih, b_hh)
    assert np.allclose(typo_tied, gru_step_forward(x, h, W_ih, tied, b_ih, b_hh)[0])


def test_gru_conventions_are_the_package_steps_and_torch_and_flips_relate_them():
    args = gru_case()
    x, h = args[:2]
    after = errata.gru_convention_step(*args, reset="after", keep="z")
    before = errata.gru_convention_step(*args, reset="before", keep="z")
    assert np.allclose(after, gru_step_forward(*args)[0])
    assert np.allclose(before, gru_cho_step_forward(*args)[0])
    assert np.allclose(after, torch_gru_step(*args))
    flipped = errata.flip_update_gate(*args[2:])
    for reset in ("after", "before"):
        assert np.allclose(
            errata.gru_convention_step(x, h, *flipped, reset=reset, keep="1-z"),
            errata.gru_convention_step(*args, reset=reset, keep="z"))
    assert np.abs(before - after).max() > 1e-2


def test_flip_update_gate_negates_only_the_z_block_and_undoes_itself():
    W_ih, W_hh, b_ih, b_hh = gru_case()[2:]
    H = W_hh.shape[1]
    flipped = errata.flip_update_gate(W_ih, W_hh, b_ih, b_hh)
    assert np.array_equal(flipped[1][H:2 * H], -W_hh[H:2 * H])
    assert np.array_equal(flipped[1][:H], W_hh[:H])
    assert np.array_equal(flipped[3][2 * H:], b_hh[2 * H:])
    twice = errata.flip_update_gate(*flipped)
    assert all(np.array_equal(a, b) for a, b in zip(twice, (W_ih, W_hh, b_ih, b_hh)))
    with pytest.raises(ValueError, match=r"W_hh must have shape \(3H, H\)"):
        errata.flip_update_gate(W_ih, W_hh[:-1], b_ih, b_hh)


def test_gru_convention_step_rejects_unknown_conventions():
    args = gru_case()
    with pytest.raises(ValueError, match="reset must be"):
        errata.gru_convention_step(*args, reset="inside")
    with pytest.raises(ValueError, match="keep must be"):
        errata.gru_convention_step(*args, keep="r")
