"""rnncourse.np LSTM: forward and backward against torch.nn.LSTM and central
differences."""

import numpy as np
import pytest
import torch

from rnncourse.np import (
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
    numerical_gradient,
    rel_error,
)

from conftest import PARAMS, SIZES, TORCH_NAMES


def make_lstm(seed, T, B, D, H, scale=0.5, dtype=np.float64):
    """Random inputs, states, weights and upstream gradients, as a dict."""
    rng = np.random.default_rng(seed)
    shapes = {
        "x": (T, B, D),
        "h0": (B, H),
        "c0": (B, H),
        "W_ih": (4 * H, D),
        "W_hh": (4 * H, H),
        "b_ih": (4 * H,),
        "b_hh": (4 * H,),
        "dout": (T, B, H),
        "dc_T": (B, H),
    }
    data = {k: rng.standard_normal(s) for k, s in shapes.items()}
    for k in PARAMS:
        data[k] *= scale
    return {k: v.astype(dtype) for k, v in data.items()}


def forward(d):
    return lstm_forward(
        d["x"], d["h0"], d["c0"], d["W_ih"], d["W_hh"], d["b_ih"], d["b_hh"]
    )


def torch_lstm(d):
    """Outputs, final states and autograd gradients of torch.nn.LSTM with our weights.
    """
    T, B, D = d["x"].shape
    H = d["h0"].shape[1]
    module = torch.nn.LSTM(D, H, dtype=torch.float64)
    with torch.no_grad():
        for k in PARAMS:
            getattr(module, TORCH_NAMES[k]).copy_(torch.from_numpy(d[k]))
    leaves = {k: torch.tensor(d[k], requires_grad=True) for k in ("x", "h0", "c0")}
    out, (h_n, c_n) = module(leaves["x"], (leaves["h0"][None], leaves["c0"][None]))
    loss = (out * torch.from_numpy(d["dout"])).sum() + (
        c_n[0] * torch.from_numpy(d["dc_T"])
    ).sum()
    loss.backward()
    grads = {k: v.grad.numpy() for k, v in leaves.items()}
    for k in PARAMS:
        grads[k] = getattr(module, TORCH_NAMES[k]).grad.numpy()
    return out.detach().numpy(), h_n[0].detach().numpy(), c_n[0].detach().numpy(), grads


@pytest.mark.parametrize("T,B,D,H", SIZES)
def test_lstm_forward_matches_torch(T, B, D, H):
    d = make_lstm(0, T, B, D, H)
    out, (h_T, c_T), _ = forward(d)
    ref_out, ref_h, ref_c, _ = torch_lstm(d)
    assert out.shape == (T, B, H)
    assert rel_error(out, ref_out) <= 1e-10
    assert rel_error(h_T, ref_h) <= 1e-10
    assert rel_error(c_T, ref_c) <= 1e-10


@pytest.mark.parametrize("T,B,D,H", SIZES)
def test_lstm_backward_matches_torch_autograd(T, B, D, H):
    d = make_lstm(1, T, B, D, H)
    _, _, cache = forward(d)
    grads = lstm_backward(d["dout"], cache, dc_T=d["dc_T"])
    _, _, _, ref = torch_lstm(d)
    assert set(grads) == {"x", "h0", "c0", *PARAMS}
    for k in ref:
        assert grads[k].shape == ref[k].shape, k
        assert rel_error(grads[k], ref[k]) <= 1e-8, k


def test_lstm_backward_without_dc_T_means_zero_cell_gradient():
    d = make_lstm(2, 4, 2, 3, 3)
    _, _, cache = forward(d)
    zero = lstm_backward(d["dout"], cache, dc_T=np.zeros_like(d["dc_T"]))
    default = lstm_backward(d["dout"], cache)
    for k in zero:
        np.testing.assert_array_equal(default[k], zero[k])


def test_lstm_forward_equals_a_loop_of_steps():
    d = make_lstm(3, 6, 3, 4, 5)
    out, (h_T, c_T), _ = forward(d)
    h, c = d["h0"], d["c0"]
    for t in range(6):
        h, c, _ = lstm_step_forward(
            d["x"][t], h, c, d["W_ih"], d["W_hh"], d["b_ih"], d["b_hh"]
        )
        assert rel_error(out[t], h) <= 1e-12
    assert rel_error(h_T, h) <= 1e-12 and rel_error(c_T, c) <= 1e-12


def test_lstm_step_forward_follows_the_gate_equations():
    """Gate order i, f, g, o, written out by hand for one step."""
    d = make_lstm(4, 1, 2, 3, 2)
    x, h_prev, c_prev = d["x"][0], d["h0"], d["c0"]
    H = 2
    a = x @ d["W_ih"].T + d["b_ih"] + h_prev @ d["W_hh"].T + d["b_hh"]
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    i, f, g, o = (
        sig(a[:, :H]),
        sig(a[:, H : 2 * H]),
        np.tanh(a[:, 2 * H : 3 * H]),
        sig(a[:, 3 * H :]),
    )
    c_expected = f * c_prev + i * g
    h, c, _ = lstm_step_forward(
        x, h_prev, c_prev, d["W_ih"], d["W_hh"], d["b_ih"], d["b_hh"]
    )
    assert rel_error(c, c_expected) <= 1e-12
    assert rel_error(h, o * np.tanh(c_expected)) <= 1e-12


def test_lstm_step_backward_matches_torch_autograd():
    d = make_lstm(5, 1, 3, 4, 5)
    args = {k: torch.tensor(d[k][0] if k == "x" else d[k], requires_grad=True)
            for k in ("x", "h0", "c0", *PARAMS)}
    cell = torch.nn.LSTMCell(4, 5, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(args["W_ih"])
        cell.weight_hh.copy_(args["W_hh"])
        cell.bias_ih.copy_(args["b_ih"])
        cell.bias_hh.copy_(args["b_hh"])
    h_ref, c_ref = cell(args["x"], (args["h0"], args["c0"]))
    dh, dc = d["dout"][0], d["dc_T"]
    (
        (h_ref * torch.from_numpy(dh)).sum() + (c_ref * torch.from_numpy(dc)).sum()
    ).backward()

    h, c, cache = lstm_step_forward(
        d["x"][0], d["h0"], d["c0"], *(d[k] for k in PARAMS)
    )
    grads = lstm_step_backward(dh, dc, cache)
    assert rel_error(h, h_ref.detach().numpy()) <= 1e-10
    assert rel_error(c, c_ref.detach().numpy()) <= 1e-10
    torch_grads = {
        "x": args["x"].grad,
        "h_prev": args["h0"].grad,
        "c_prev": args["c0"].grad,
        "W_ih": cell.weight_ih.grad,
        "W_hh": cell.weight_hh.grad,
        "b_ih": cell.bias_ih.grad,
        "b_hh": cell.bias_hh.grad,
    }
    assert set(grads) == set(torch_grads)
    for k, ref in torch_grads.items():
        assert rel_error(grads[k], ref.numpy()) <= 1e-8, k


# Central differences in float64 have an absolute error near 1e-11, so an element
# whose gradient happens to be below ~1e-3 can miss a relative 1e-8 although the
# backward pass is exact (the torch comparisons above agree to ~1e-14). The data
# are therefore small, moderate in scale and seeded, as in CS231n's checks, with
# seeds whose gradients stay clear of that floor.

@pytest.mark.parametrize("seed", [1, 6])
def test_lstm_step_backward_passes_gradient_check(seed):
    d = make_lstm(seed, 1, 2, 3, 3)
    args = {
        "x": d["x"][0],
        "h_prev": d["h0"],
        "c_prev": d["c0"],
        **{k: d[k] for k in PARAMS},
    }
    dh, dc = d["dout"][0], d["dc_T"]
    _, _, cache = lstm_step_forward(**args)
    grads = lstm_step_backward(dh, dc, cache)

    def h_and_c():
        h, c, _ = lstm_step_forward(**args)
        return np.stack([h, c])

    for k, value in args.items():
        numeric = numerical_gradient(h_and_c, value, np.stack([dh, dc]))
        assert rel_error(grads[k], numeric) <= 1e-8, k


@pytest.mark.parametrize("seed", [0, 2])
def test_lstm_backward_passes_gradient_check(seed):
    d = make_lstm(seed, 4, 2, 3, 3)
    _, _, cache = forward(d)
    grads = lstm_backward(d["dout"], cache, dc_T=d["dc_T"])

    def out_and_c_T():
        out, (_, c_T), _ = forward(d)
        return np.concatenate([out, c_T[None]])

    upstream = np.concatenate([d["dout"], d["dc_T"][None]])
    for k in ("x", "h0", "c0", *PARAMS):
        numeric = numerical_gradient(out_and_c_T, d[k], upstream)
        assert rel_error(grads[k], numeric) <= 1e-7, k


def test_lstm_float32_stays_float32():
    d = make_lstm(6, 5, 3, 4, 6, dtype=np.float32)
    out, (h_T, c_T), cache = forward(d)
    grads = lstm_backward(d["dout"], cache, dc_T=d["dc_T"])
    assert out.dtype == h_T.dtype == c_T.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    h, c, step_cache = lstm_step_forward(
        d["x"][0], d["h0"], d["c0"], *(d[k] for k in PARAMS)
    )
    assert h.dtype == c.dtype == np.float32
    assert all(
        g.dtype == np.float32 for g in lstm_step_backward(h, c, step_cache).values()
    )
    # and agrees with float64 to float32 precision
    out64, _, cache64 = forward({k: v.astype(np.float64) for k, v in d.items()})
    assert rel_error(out, out64) < 1e-4


def test_lstm_mixed_dtypes_follow_numpy_promotion():
    d = make_lstm(7, 3, 2, 3, 4, dtype=np.float32)
    d["W_hh"] = d["W_hh"].astype(np.float64)
    out, (h_T, c_T), cache = forward(d)
    assert out.dtype == h_T.dtype == c_T.dtype == np.float64
    assert lstm_backward(d["dout"], cache)["W_ih"].dtype == np.float64


def test_lstm_does_not_mutate_its_inputs():
    d = make_lstm(8, 4, 3, 2, 3)
    before = {k: v.copy() for k, v in d.items()}
    out, _, cache = forward(d)
    lstm_backward(d["dout"], cache, dc_T=d["dc_T"])
    h, c, step_cache = lstm_step_forward(
        d["x"][0], d["h0"], d["c0"], *(d[k] for k in PARAMS)
    )
    lstm_step_backward(d["dout"][0], d["dc_T"], step_cache)
    for k in d:
        np.testing.assert_array_equal(d[k], before[k], err_msg=k)


def test_lstm_backward_is_unaffected_by_changing_the_returned_output():
    d = make_lstm(9, 3, 2, 2, 3)
    out, (h_T, c_T), cache = forward(d)
    expected = lstm_backward(d["dout"], cache)
    out[...] = 0
    h_T[...] = 0
    c_T[...] = 0
    again = lstm_backward(d["dout"], cache)
    for k in expected:
        np.testing.assert_array_equal(again[k], expected[k])


def test_lstm_saturated_gates_raise_no_floating_point_warnings():
    """Pre-activations in the hundreds: gates at exactly 0 or 1, no overflow, torch's
    values."""
    d = make_lstm(10, 3, 2, 3, 4, scale=200.0)
    # underflow to 0 is fine
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out, (h_T, c_T), cache = forward(d)
        grads = lstm_backward(d["dout"], cache)
        h, c, step_cache = lstm_step_forward(
            d["x"][0], d["h0"], d["c0"], *(d[k] for k in PARAMS)
        )
        lstm_step_backward(h, c, step_cache)
    assert all(np.isfinite(g).all() for g in grads.values())
    ref_out, _, ref_c, _ = torch_lstm(d)
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(c_T, ref_c, rtol=1e-12, atol=1e-15)


def test_lstm_accepts_non_contiguous_inputs():
    """Transposed views and Fortran-ordered weights give the same numbers as contiguous
    ones."""
    d = make_lstm(11, 4, 3, 4, 5)
    odd = dict(d)
    odd["x"] = np.asfortranarray(d["x"])
    odd["h0"] = d["h0"].T.copy().T                     # a transposed view
    odd["W_hh"] = np.asfortranarray(d["W_hh"])
    odd["b_ih"] = np.repeat(d["b_ih"], 2)[::2]          # a strided view
    odd["dout"] = d["dout"].transpose(2, 1, 0).copy().transpose(2, 1, 0)
    out, _, cache = forward(d)
    odd_out, _, odd_cache = forward(odd)
    np.testing.assert_array_equal(odd_out, out)
    expected = lstm_backward(d["dout"], cache)
    for k, g in lstm_backward(odd["dout"], odd_cache).items():
        assert rel_error(g, expected[k]) <= 1e-14, k
