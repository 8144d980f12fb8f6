"""rnncourse.np GRU: torch's variant against torch.nn.GRU, Cho et al.'s variant by hand,
both against central differences."""

import numpy as np
import pytest
import torch

from rnncourse.np import (
    gru_backward,
    gru_cho_step_backward,
    gru_cho_step_forward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
    numerical_gradient,
    rel_error,
)

from conftest import PARAMS, SIZES, TORCH_NAMES

STEPS = {"torch": (gru_step_forward, gru_step_backward),
         "cho": (gru_cho_step_forward, gru_cho_step_backward)}


def make_gru(seed, T, B, D, H, scale=0.5, dtype=np.float64):
    """Random inputs, state, weights and upstream gradient, as a dict."""
    rng = np.random.default_rng(seed)
    shapes = {"x": (T, B, D), "h0": (B, H), "W_ih": (3 * H, D), "W_hh": (3 * H, H),
              "b_ih": (3 * H,), "b_hh": (3 * H,), "dout": (T, B, H)}
    data = {k: rng.standard_normal(s) for k, s in shapes.items()}
    for k in PARAMS:
        data[k] *= scale
    return {k: v.astype(dtype) for k, v in data.items()}


def forward(d):
    return gru_forward(d["x"], d["h0"], *(d[k] for k in PARAMS))


def torch_gru(d):
    """Output and autograd gradients of torch.nn.GRU with our weights."""
    T, B, D = d["x"].shape
    H = d["h0"].shape[1]
    module = torch.nn.GRU(D, H, dtype=torch.float64)
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


def sig(v):
    return 1 / (1 + np.exp(-v))


def step_args(d):
    return {"x": d["x"][0], "h_prev": d["h0"], **{k: d[k] for k in PARAMS}}


@pytest.mark.parametrize("T,B,D,H", SIZES)
def test_gru_forward_matches_torch(T, B, D, H):
    d = make_gru(0, T, B, D, H)
    out, _ = forward(d)
    ref_out, ref_h, _ = torch_gru(d)
    assert out.shape == (T, B, H)
    assert rel_error(out, ref_out) <= 1e-10
    assert rel_error(out[-1], ref_h) <= 1e-10


@pytest.mark.parametrize("T,B,D,H", SIZES)
def test_gru_backward_matches_torch_autograd(T, B, D, H):
    d = make_gru(1, T, B, D, H)
    _, cache = forward(d)
    grads = gru_backward(d["dout"], cache)
    _, _, ref = torch_gru(d)
    assert set(grads) == set(ref) == {"x", "h0", *PARAMS}
    for k in ref:
        assert grads[k].shape == ref[k].shape, k
        assert rel_error(grads[k], ref[k]) <= 1e-8, k


def test_gru_step_backward_matches_torch_autograd():
    d = make_gru(2, 1, 3, 4, 5)
    args = {k: torch.tensor(d[k][0] if k == "x" else d[k], requires_grad=True)
            for k in ("x", "h0", *PARAMS)}
    cell = torch.nn.GRUCell(4, 5, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(args["W_ih"])
        cell.weight_hh.copy_(args["W_hh"])
        cell.bias_ih.copy_(args["b_ih"])
        cell.bias_hh.copy_(args["b_hh"])
    h_ref = cell(args["x"], args["h0"])
    dh = d["dout"][0]
    (h_ref * torch.from_numpy(dh)).sum().backward()

    h, cache = gru_step_forward(**step_args(d))
    grads = gru_step_backward(dh, cache)
    assert rel_error(h, h_ref.detach().numpy()) <= 1e-10
    torch_grads = {"x": args["x"].grad, "h_prev": args["h0"].grad,
                   "W_ih": cell.weight_ih.grad, "W_hh": cell.weight_hh.grad,
                   "b_ih": cell.bias_ih.grad, "b_hh": cell.bias_hh.grad}
    assert set(grads) == set(torch_grads)
    for k, ref in torch_grads.items():
        assert rel_error(grads[k], ref.numpy()) <= 1e-8, k


def test_gru_forward_equals_a_loop_of_steps():
    d = make_gru(3, 6, 3, 4, 5)
    out, _ = forward(d)
    h = d["h0"]
    for t in range(6):
        h, _ = gru_step_forward(d["x"][t], h, *(d[k] for k in PARAMS))
        assert rel_error(out[t], h) <= 1e-12


def test_gru_cho_step_forward_follows_its_equations():
    """Cho et al. (2014): the reset gate scales h_{t-1} before W_hn."""
    H = 3
    d = make_gru(4, 1, 2, 4, H)
    x, h_prev = d["x"][0], d["h0"]
    W_ir, W_iz, W_in = np.split(d["W_ih"], 3)
    W_hr, W_hz, W_hn = np.split(d["W_hh"], 3)
    b_ir, b_iz, b_in = np.split(d["b_ih"], 3)
    b_hr, b_hz, b_hn = np.split(d["b_hh"], 3)
    r = sig(x @ W_ir.T + b_ir + h_prev @ W_hr.T + b_hr)
    z = sig(x @ W_iz.T + b_iz + h_prev @ W_hz.T + b_hz)
    n = np.tanh(x @ W_in.T + b_in + (r * h_prev) @ W_hn.T + b_hn)
    expected = (1 - z) * n + z * h_prev
    h, _ = gru_cho_step_forward(**step_args(d))
    assert rel_error(h, expected) <= 1e-12


def test_gru_torch_step_forward_follows_its_equations():
    """torch's GRU: the reset gate scales (W_hn h_{t-1} + b_hn), after the product."""
    d = make_gru(5, 1, 2, 4, 3)
    x, h_prev = d["x"][0], d["h0"]
    W_ir, W_iz, W_in = np.split(d["W_ih"], 3)
    W_hr, W_hz, W_hn = np.split(d["W_hh"], 3)
    b_ir, b_iz, b_in = np.split(d["b_ih"], 3)
    b_hr, b_hz, b_hn = np.split(d["b_hh"], 3)
    r = sig(x @ W_ir.T + b_ir + h_prev @ W_hr.T + b_hr)
    z = sig(x @ W_iz.T + b_iz + h_prev @ W_hz.T + b_hz)
    n = np.tanh(x @ W_in.T + b_in + r * (h_prev @ W_hn.T + b_hn))
    h, _ = gru_step_forward(**step_args(d))
    assert rel_error(h, (1 - z) * n + z * h_prev) <= 1e-12


def test_gru_cho_step_backward_matches_autograd_of_its_equations():
    """Cho's GRU has no torch.nn module: differentiate its equations with autograd."""
    d = make_gru(11, 1, 3, 4, 5)
    args = step_args(d)
    dh = d["dout"][0]
    t = {k: torch.tensor(v, requires_grad=True) for k, v in args.items()}
    W_ir, W_iz, W_in = t["W_ih"].chunk(3)
    W_hr, W_hz, W_hn = t["W_hh"].chunk(3)
    b_ir, b_iz, b_in = t["b_ih"].chunk(3)
    b_hr, b_hz, b_hn = t["b_hh"].chunk(3)
    linear = torch.nn.functional.linear
    r = torch.sigmoid(linear(t["x"], W_ir, b_ir) + linear(t["h_prev"], W_hr, b_hr))
    z = torch.sigmoid(linear(t["x"], W_iz, b_iz) + linear(t["h_prev"], W_hz, b_hz))
    n = torch.tanh(linear(t["x"], W_in, b_in) + linear(r * t["h_prev"], W_hn, b_hn))
    h_ref = (1 - z) * n + z * t["h_prev"]
    (h_ref * torch.from_numpy(dh)).sum().backward()

    h, cache = gru_cho_step_forward(**args)
    grads = gru_cho_step_backward(dh, cache)
    assert rel_error(h, h_ref.detach().numpy()) <= 1e-10
    assert set(grads) == set(t)
    for k, leaf in t.items():
        assert rel_error(grads[k], leaf.grad.numpy()) <= 1e-8, k


def test_gru_variants_differ_only_through_the_reset_gate():
    d = make_gru(6, 1, 3, 4, 5)
    h_torch, _ = gru_step_forward(**step_args(d))
    h_cho, _ = gru_cho_step_forward(**step_args(d))
    assert rel_error(h_torch, h_cho) > 1e-3
    # With W_hn = 0 the candidate no longer sees h_{t-1} and the two agree.
    d["W_hh"][10:] = 0
    d["b_hh"][10:] = 0
    h_torch, _ = gru_step_forward(**step_args(d))
    h_cho, _ = gru_cho_step_forward(**step_args(d))
    assert rel_error(h_torch, h_cho) <= 1e-12


# Central differences in float64 have an absolute error near 1e-11, so an element
# whose gradient happens to be below ~1e-3 can miss a relative 1e-8 although the
# backward pass is exact (the torch comparisons above agree to ~1e-14). The data
# are therefore small, moderate in scale and seeded, as in CS231n's checks, with
# seeds whose gradients stay clear of that floor.

@pytest.mark.parametrize("variant", sorted(STEPS))
@pytest.mark.parametrize("seed", [0, 8])
def test_gru_step_backward_passes_gradient_check(seed, variant):
    step_forward, step_backward = STEPS[variant]
    d = make_gru(seed, 1, 2, 3, 3)
    args = step_args(d)
    dh = d["dout"][0]
    _, cache = step_forward(**args)
    grads = step_backward(dh, cache)
    assert set(grads) == set(args)
    for k, value in args.items():
        numeric = numerical_gradient(lambda: step_forward(**args)[0], value, dh)
        assert rel_error(grads[k], numeric) <= 1e-8, k


@pytest.mark.parametrize("seed", [0, 1])
def test_gru_backward_passes_gradient_check(seed):
    d = make_gru(seed, 4, 2, 3, 3)
    _, cache = forward(d)
    grads = gru_backward(d["dout"], cache)
    for k in ("x", "h0", *PARAMS):
        numeric = numerical_gradient(lambda: forward(d)[0], d[k], d["dout"])
        assert rel_error(grads[k], numeric) <= 1e-7, k


def test_gru_float32_stays_float32():
    d = make_gru(7, 5, 3, 4, 6, dtype=np.float32)
    out, cache = forward(d)
    grads = gru_backward(d["dout"], cache)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    for step_forward, step_backward in STEPS.values():
        h, step_cache = step_forward(**step_args(d))
        assert h.dtype == np.float32
        assert all(g.dtype == np.float32 for g in step_backward(h, step_cache).values())
    out64, _ = forward({k: v.astype(np.float64) for k, v in d.items()})
    np.testing.assert_allclose(out, out64, rtol=1e-4, atol=1e-5)


def test_gru_mixed_dtypes_follow_numpy_promotion():
    d = make_gru(8, 3, 2, 3, 4, dtype=np.float32)
    d["x"] = d["x"].astype(np.float64)
    out, cache = forward(d)
    assert out.dtype == np.float64
    assert gru_backward(d["dout"], cache)["b_hh"].dtype == np.float64


def test_gru_does_not_mutate_its_inputs():
    d = make_gru(9, 4, 3, 2, 3)
    before = {k: v.copy() for k, v in d.items()}
    _, cache = forward(d)
    gru_backward(d["dout"], cache)
    for step_forward, step_backward in STEPS.values():
        _, step_cache = step_forward(**step_args(d))
        step_backward(d["dout"][0], step_cache)
    for k in d:
        np.testing.assert_array_equal(d[k], before[k], err_msg=k)


@pytest.mark.parametrize("T,B,D,H", [(3, 2, 2, 3), (3, 1, 2, 1)])
def test_gru_backward_is_unaffected_by_changing_the_returned_output(T, B, D, H):
    d = make_gru(10, T, B, D, H)
    out, cache = forward(d)
    expected = gru_backward(d["dout"], cache)
    out[...] = 0
    again = gru_backward(d["dout"], cache)
    for k in expected:
        np.testing.assert_array_equal(again[k], expected[k])
