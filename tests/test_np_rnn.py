"""rnncourse.np simple RNN (tanh and relu): against torch.nn.RNN and central
differences."""

import numpy as np
import pytest
import torch

from rnncourse.np import (
    numerical_gradient,
    rel_error,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)

from conftest import PARAMS, SIZES, TORCH_NAMES

NONLINEARITIES = ["tanh", "relu"]


def make_rnn(seed, T, B, D, H, scale=0.5, dtype=np.float64):
    """Random inputs, state, weights and upstream gradient, as a dict."""
    rng = np.random.default_rng(seed)
    shapes = {"x": (T, B, D), "h0": (B, H), "W_ih": (H, D), "W_hh": (H, H),
              "b_ih": (H,), "b_hh": (H,), "dout": (T, B, H)}
    data = {k: rng.standard_normal(s) for k, s in shapes.items()}
    for k in PARAMS:
        data[k] *= scale
    return {k: v.astype(dtype) for k, v in data.items()}


def forward(d, nonlinearity="tanh"):
    return rnn_forward(
        d["x"], d["h0"], *(d[k] for k in PARAMS), nonlinearity=nonlinearity
    )


def torch_rnn(d, nonlinearity):
    """Output and autograd gradients of torch.nn.RNN with our weights."""
    T, B, D = d["x"].shape
    H = d["h0"].shape[1]
    module = torch.nn.RNN(D, H, nonlinearity=nonlinearity, dtype=torch.float64)
    with torch.no_grad():
        for k in PARAMS:
            getattr(module, TORCH_NAMES[k]).copy_(torch.from_numpy(d[k]))
    leaves = {k: torch.tensor(d[k], requires_grad=True) for k in ("x", "h0")}
    out, h_n = module(leaves["x"], leaves["h0"][None])
    (out * torch.from_numpy(d["dout"])).sum().backward()
    grads = {k: v.grad.numpy() for k, v in leaves.items()}
    for k in PARAMS:
        grads[k] = getattr(module, TORCH_NAMES[k]).grad.numpy()
    return out.detach().numpy(), h_n[0].detach().numpy(), grads


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("T,B,D,H", SIZES)
def test_rnn_forward_matches_torch(T, B, D, H, nonlinearity):
    d = make_rnn(0, T, B, D, H)
    out, _ = forward(d, nonlinearity)
    ref_out, ref_h, _ = torch_rnn(d, nonlinearity)
    assert out.shape == (T, B, H)
    assert rel_error(out, ref_out) <= 1e-10
    assert rel_error(out[-1], ref_h) <= 1e-10


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("T,B,D,H", SIZES)
def test_rnn_backward_matches_torch_autograd(T, B, D, H, nonlinearity):
    d = make_rnn(1, T, B, D, H)
    _, cache = forward(d, nonlinearity)
    grads = rnn_backward(d["dout"], cache)
    _, _, ref = torch_rnn(d, nonlinearity)
    assert set(grads) == set(ref) == {"x", "h0", *PARAMS}
    for k in ref:
        assert grads[k].shape == ref[k].shape, k
        assert rel_error(grads[k], ref[k]) <= 1e-8, k


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_rnn_step_backward_matches_torch_autograd(nonlinearity):
    d = make_rnn(2, 1, 3, 4, 5)
    args = {k: torch.tensor(d[k][0] if k == "x" else d[k], requires_grad=True)
            for k in ("x", "h0", *PARAMS)}
    h_ref = torch.nn.functional.linear(args["x"], args["W_ih"], args["b_ih"]) + \
        torch.nn.functional.linear(args["h0"], args["W_hh"], args["b_hh"])
    h_ref = torch.tanh(h_ref) if nonlinearity == "tanh" else torch.relu(h_ref)
    dh = d["dout"][0]
    (h_ref * torch.from_numpy(dh)).sum().backward()

    h, cache = rnn_step_forward(d["x"][0], d["h0"], *(d[k] for k in PARAMS),
                                nonlinearity=nonlinearity)
    grads = rnn_step_backward(dh, cache)
    assert rel_error(h, h_ref.detach().numpy()) <= 1e-10
    names = {"x": "x", "h_prev": "h0", **{k: k for k in PARAMS}}
    assert set(grads) == set(names)
    for ours, theirs in names.items():
        assert rel_error(grads[ours], args[theirs].grad.numpy()) <= 1e-8, ours


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_rnn_forward_equals_a_loop_of_steps(nonlinearity):
    d = make_rnn(3, 6, 3, 4, 5)
    out, _ = forward(d, nonlinearity)
    h = d["h0"]
    for t in range(6):
        h, _ = rnn_step_forward(
            d["x"][t], h, *(d[k] for k in PARAMS), nonlinearity=nonlinearity
        )
        assert rel_error(out[t], h) <= 1e-12


def test_rnn_relu_step_is_written_out_by_hand():
    d = make_rnn(4, 1, 3, 2, 4)
    a = d["x"][0] @ d["W_ih"].T + d["b_ih"] + d["h0"] @ d["W_hh"].T + d["b_hh"]
    h, _ = rnn_step_forward(
        d["x"][0], d["h0"], *(d[k] for k in PARAMS), nonlinearity="relu"
    )
    np.testing.assert_array_equal(h, np.maximum(a, 0))
    assert (h == 0).any() and (h > 0).any()      # the data exercise both branches


# Central differences in float64 have an absolute error near 1e-11, so an element
# whose gradient happens to be below ~1e-3 can miss a relative 1e-8 although the
# backward pass is exact (the torch comparisons above agree to ~1e-14). The data
# are therefore small, moderate in scale and seeded, as in CS231n's checks, with
# seeds whose gradients stay clear of that floor.

@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("seed", [0, 1])
def test_rnn_step_backward_passes_gradient_check(seed, nonlinearity):
    d = make_rnn(seed, 1, 2, 3, 3)
    args = {"x": d["x"][0], "h_prev": d["h0"], **{k: d[k] for k in PARAMS}}
    dh = d["dout"][0]
    _, cache = rnn_step_forward(**args, nonlinearity=nonlinearity)
    grads = rnn_step_backward(dh, cache)
    for k, value in args.items():
        numeric = numerical_gradient(
            lambda: rnn_step_forward(**args, nonlinearity=nonlinearity)[0], value, dh)
        assert rel_error(grads[k], numeric) <= 1e-8, k


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("seed", [0, 1])
def test_rnn_backward_passes_gradient_check(seed, nonlinearity):
    d = make_rnn(seed, 4, 2, 3, 3)
    _, cache = forward(d, nonlinearity)
    grads = rnn_backward(d["dout"], cache)
    for k in ("x", "h0", *PARAMS):
        numeric = numerical_gradient(
            lambda: forward(d, nonlinearity)[0], d[k], d["dout"]
        )
        assert rel_error(grads[k], numeric) <= 1e-7, k


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_rnn_float32_stays_float32(nonlinearity):
    d = make_rnn(5, 5, 3, 4, 6, dtype=np.float32)
    out, cache = forward(d, nonlinearity)
    grads = rnn_backward(d["dout"], cache)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    h, step_cache = rnn_step_forward(d["x"][0], d["h0"], *(d[k] for k in PARAMS),
                                     nonlinearity=nonlinearity)
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in rnn_step_backward(h, step_cache).values())
    out64, _ = forward({k: v.astype(np.float64) for k, v in d.items()}, nonlinearity)
    np.testing.assert_allclose(out, out64, rtol=1e-4, atol=1e-5)


def test_rnn_mixed_dtypes_follow_numpy_promotion():
    d = make_rnn(6, 3, 2, 3, 4, dtype=np.float32)
    d["b_hh"] = d["b_hh"].astype(np.float64)
    out, cache = forward(d)
    assert out.dtype == np.float64
    assert rnn_backward(d["dout"], cache)["W_hh"].dtype == np.float64
    # a float64 upstream gradient on a float32 forward also promotes
    d32 = make_rnn(6, 3, 2, 3, 4, dtype=np.float32)
    _, cache32 = forward(d32)
    assert (
        rnn_backward(d32["dout"].astype(np.float64), cache32)["x"].dtype == np.float64
    )


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_rnn_does_not_mutate_its_inputs(nonlinearity):
    d = make_rnn(7, 4, 3, 2, 3)
    before = {k: v.copy() for k, v in d.items()}
    out, cache = forward(d, nonlinearity)
    rnn_backward(d["dout"], cache)
    _, step_cache = rnn_step_forward(d["x"][0], d["h0"], *(d[k] for k in PARAMS),
                                     nonlinearity=nonlinearity)
    rnn_step_backward(d["dout"][0], step_cache)
    for k in d:
        np.testing.assert_array_equal(d[k], before[k], err_msg=k)


@pytest.mark.parametrize("T,B,D,H", [(3, 2, 2, 3), (3, 1, 2, 1)])
def test_rnn_backward_is_unaffected_by_changing_the_returned_output(T, B, D, H):
    d = make_rnn(8, T, B, D, H)
    out, cache = forward(d)
    expected = rnn_backward(d["dout"], cache)
    out[...] = 0
    again = rnn_backward(d["dout"], cache)
    for k in expected:
        np.testing.assert_array_equal(again[k], expected[k])
