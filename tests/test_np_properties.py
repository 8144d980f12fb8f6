"""Property-based tests (hypothesis) of rnncourse.np's RNN, LSTM and GRU over random
sizes and seeds: agreement with torch.nn in float64, and float32 staying float32."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import rnncourse.np as rnp

from conftest import PARAMS, TORCH_NAMES

CELLS = ["rnn_tanh", "rnn_relu", "lstm", "gru"]
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}

SETTINGS = settings(max_examples=25, deadline=None, database=None)
sizes = st.tuples(
    st.integers(1, 6), st.integers(1, 4), st.integers(1, 5), st.integers(1, 5)
)
seeds = st.integers(0, 2 ** 32 - 1)


def make(cell, seed, T, B, D, H, dtype=np.float64):
    rng = np.random.default_rng(seed)
    G = GATES[cell]
    shapes = {"x": (T, B, D), "h0": (B, H), "c0": (B, H), "W_ih": (G * H, D),
              "W_hh": (G * H, H), "b_ih": (G * H,), "b_hh": (G * H,), "dout": (T, B, H)}
    d = {k: rng.standard_normal(s) for k, s in shapes.items()}
    for k in PARAMS:
        d[k] *= 0.5
    if cell != "lstm":
        del d["c0"]
    return {k: v.astype(dtype) for k, v in d.items()}


def run_numpy(cell, d):
    """Output and gradients of rnncourse.np, final states included in the output for
    LSTM."""
    weights = [d[k] for k in PARAMS]
    if cell == "lstm":
        out, (h_T, c_T), cache = rnp.lstm_forward(d["x"], d["h0"], d["c0"], *weights)
        return out, c_T, rnp.lstm_backward(d["dout"], cache)
    if cell == "gru":
        out, cache = rnp.gru_forward(d["x"], d["h0"], *weights)
        return out, None, rnp.gru_backward(d["dout"], cache)
    out, cache = rnp.rnn_forward(d["x"], d["h0"], *weights, nonlinearity=cell[4:])
    return out, None, rnp.rnn_backward(d["dout"], cache)


def run_torch(cell, d):
    T, B, D = d["x"].shape
    H = d["h0"].shape[1]
    if cell == "lstm":
        module = torch.nn.LSTM(D, H, dtype=torch.float64)
    elif cell == "gru":
        module = torch.nn.GRU(D, H, dtype=torch.float64)
    else:
        module = torch.nn.RNN(D, H, nonlinearity=cell[4:], dtype=torch.float64)
    with torch.no_grad():
        for k in PARAMS:
            getattr(module, TORCH_NAMES[k]).copy_(torch.from_numpy(d[k]))
    leaves = {
        k: torch.tensor(d[k], requires_grad=True) for k in ("x", "h0", "c0") if k in d
    }
    state = leaves["h0"][None]
    if cell == "lstm":
        state = (state, leaves["c0"][None])
    out, final = module(leaves["x"], state)
    (out * torch.from_numpy(d["dout"])).sum().backward()
    grads = {k: v.grad.numpy() for k, v in leaves.items()}
    grads.update({k: getattr(module, TORCH_NAMES[k]).grad.numpy() for k in PARAMS})
    c_T = final[1][0].detach().numpy() if cell == "lstm" else None
    return out.detach().numpy(), c_T, grads


@SETTINGS
@given(cell=st.sampled_from(CELLS), size=sizes, seed=seeds)
def test_forward_and_backward_match_torch_in_float64(cell, size, seed):
    d = make(cell, seed, *size)
    out, c_T, grads = run_numpy(cell, d)
    ref_out, ref_c_T, ref_grads = run_torch(cell, d)
    assert rnp.rel_error(out, ref_out) <= 1e-10
    if cell == "lstm":
        assert rnp.rel_error(c_T, ref_c_T) <= 1e-10
    assert set(grads) == set(ref_grads)
    for k in ref_grads:
        assert rnp.rel_error(grads[k], ref_grads[k]) <= 1e-8, k


@SETTINGS
@given(cell=st.sampled_from(CELLS), size=sizes, seed=seeds)
def test_float32_in_gives_float32_out_close_to_float64(cell, size, seed):
    d32 = make(cell, seed, *size, dtype=np.float32)
    out, c_T, grads = run_numpy(cell, d32)
    assert out.dtype == np.float32
    assert c_T is None or c_T.dtype == np.float32
    assert {g.dtype for g in grads.values()} == {np.dtype(np.float32)}
    out64, _, grads64 = run_numpy(
        cell, {k: v.astype(np.float64) for k, v in d32.items()}
    )
    np.testing.assert_allclose(out, out64, rtol=1e-4, atol=1e-5)
    for k in grads:
        np.testing.assert_allclose(
            grads[k], grads64[k], rtol=1e-3, atol=1e-4, err_msg=k
        )


@SETTINGS
@given(cell=st.sampled_from(CELLS), size=sizes, seed=seeds)
def test_sequence_equals_a_loop_of_steps_and_inputs_are_untouched(cell, size, seed):
    d = make(cell, seed, *size)
    before = {k: v.copy() for k, v in d.items()}
    out, _, _ = run_numpy(cell, d)
    weights = [d[k] for k in PARAMS]
    h, c = d["h0"], d.get("c0")
    for t in range(d["x"].shape[0]):
        if cell == "lstm":
            h, c, _ = rnp.lstm_step_forward(d["x"][t], h, c, *weights)
        elif cell == "gru":
            h, _ = rnp.gru_step_forward(d["x"][t], h, *weights)
        else:
            h, _ = rnp.rnn_step_forward(d["x"][t], h, *weights, nonlinearity=cell[4:])
        assert rnp.rel_error(out[t], h) <= 1e-10
    for k in d:
        np.testing.assert_array_equal(d[k], before[k])
