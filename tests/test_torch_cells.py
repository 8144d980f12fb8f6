"""rnncourse.torch cells against torch.nn.RNNCell / LSTMCell / GRUCell, in float64."""

import pytest
import torch

import rnncourse.torch as rt

DTYPE = torch.float64
OUTPUT_TOL = 1e-10
GRAD_TOL = 1e-8

# (name, our class, torch's class, extra constructor arguments)
CELLS = [
    ("rnn_tanh", rt.RNNCell, torch.nn.RNNCell, {"nonlinearity": "tanh"}),
    ("rnn_relu", rt.RNNCell, torch.nn.RNNCell, {"nonlinearity": "relu"}),
    ("lstm", rt.LSTMCell, torch.nn.LSTMCell, {}),
    ("gru", rt.GRUCell, torch.nn.GRUCell, {}),
]
CELL_IDS = [c[0] for c in CELLS]


def rel_error(a, b):
    """max over elements of |a − b| / max(1e-8, |a| + |b|)."""
    return ((a - b).abs() / (a.abs() + b.abs()).clamp_min(1e-8)).max().item()


def make_pair(
    ours_cls, torch_cls, kwargs, input_size=3, hidden_size=4, bias=True, seed=0
):
    torch.manual_seed(seed)
    theirs = torch_cls(input_size, hidden_size, bias=bias, dtype=DTYPE, **kwargs)
    ours = ours_cls(input_size, hidden_size, bias=bias, dtype=DTYPE, **kwargs)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def as_tuple(state):
    return state if isinstance(state, tuple) else (state,)


def run_and_backward(cell, x, hx, upstream):
    """Forward, then backward of Σ upstream ⊙ outputs; return outputs and all gradients.
    """
    for p in cell.parameters():
        p.grad = None
    x = x.clone().requires_grad_(True)
    leaves = [x]
    if hx is not None:
        hx = tuple(h.clone().requires_grad_(True) for h in as_tuple(hx))
        leaves += list(hx)
        hx = hx if len(hx) == 2 else hx[0]
    outputs = as_tuple(cell(x, hx))
    loss = sum((out * up).sum() for out, up in zip(outputs, upstream))
    loss.backward()
    grads = {name: p.grad for name, p in cell.named_parameters()}
    grads.update({f"input{k}": leaf.grad for k, leaf in enumerate(leaves)})
    return outputs, grads


@pytest.mark.parametrize("name, ours_cls, torch_cls, kwargs", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("with_hx", [True, False])
def test_cell_matches_torch_outputs_and_gradients(
    name, ours_cls, torch_cls, kwargs, bias, batched, with_hx
):
    ours, theirs = make_pair(ours_cls, torch_cls, kwargs, bias=bias)
    batch = (2,) if batched else ()
    x = torch.randn(*batch, 3, dtype=DTYPE)
    num_states = 2 if name == "lstm" else 1
    hx = None
    if with_hx:
        states = tuple(torch.randn(*batch, 4, dtype=DTYPE) for _ in range(num_states))
        hx = states if num_states == 2 else states[0]
    upstream = [torch.randn(*batch, 4, dtype=DTYPE) for _ in range(num_states)]

    ours_out, ours_grads = run_and_backward(ours, x, hx, upstream)
    theirs_out, theirs_grads = run_and_backward(theirs, x, hx, upstream)
    for a, b in zip(ours_out, theirs_out):
        assert a.shape == b.shape
        assert rel_error(a, b) <= OUTPUT_TOL
    assert ours_grads.keys() == theirs_grads.keys()
    for key in ours_grads:
        assert rel_error(ours_grads[key], theirs_grads[key]) <= GRAD_TOL, key


@pytest.mark.parametrize("name, ours_cls, torch_cls, kwargs", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("bias", [True, False])
def test_cell_state_dict_keys_and_shapes_equal_torch(
    name, ours_cls, torch_cls, kwargs, bias
):
    ours = ours_cls(5, 7, bias=bias, **kwargs)
    theirs = torch_cls(5, 7, bias=bias, **kwargs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        assert ours.state_dict()[key].shape == value.shape


@pytest.mark.parametrize("name, ours_cls, torch_cls, kwargs", CELLS, ids=CELL_IDS)
def test_torch_cell_loads_our_state_dict_and_matches(name, ours_cls, torch_cls, kwargs):
    torch.manual_seed(1)
    ours = ours_cls(3, 4, dtype=DTYPE, **kwargs)
    theirs = torch_cls(3, 4, dtype=DTYPE, **kwargs)
    theirs.load_state_dict(ours.state_dict())
    x = torch.randn(5, 3, dtype=DTYPE)
    for a, b in zip(as_tuple(ours(x)), as_tuple(theirs(x))):
        assert rel_error(a, b) <= OUTPUT_TOL


@pytest.mark.parametrize("name, ours_cls, torch_cls, kwargs", CELLS, ids=CELL_IDS)
def test_cell_same_seed_gives_same_initial_weights_as_torch(
    name, ours_cls, torch_cls, kwargs
):
    torch.manual_seed(123)
    theirs = torch_cls(6, 5, **kwargs)
    torch.manual_seed(123)
    ours = ours_cls(6, 5, **kwargs)
    for key, value in theirs.state_dict().items():
        assert torch.equal(ours.state_dict()[key], value), key
    bound = 1 / 5 ** 0.5
    assert all(p.abs().max() <= bound for p in ours.parameters())


def test_cell_device_and_dtype_arguments_are_honoured():
    cell = rt.LSTMCell(3, 4, device="cpu", dtype=torch.float64)
    assert all(
        p.dtype == torch.float64 and p.device.type == "cpu" for p in cell.parameters()
    )


def test_cell_wrong_input_size_raises_value_error_with_shapes():
    cell = rt.LSTMCell(3, 4)
    with pytest.raises(ValueError, match=r"input.*\(2, 3\).*got \(2, 5\)"):
        cell(torch.randn(2, 5))


def test_cell_wrong_input_rank_raises_value_error():
    with pytest.raises(ValueError, match=r"input.*got shape \(1, 2, 3\)"):
        rt.GRUCell(3, 4)(torch.randn(1, 2, 3))


def test_cell_wrong_hx_shape_raises_value_error_with_shapes():
    with pytest.raises(ValueError, match=r"hx.*\(2, 4\).*got \(3, 4\)"):
        rt.RNNCell(3, 4)(torch.randn(2, 3), torch.randn(3, 4))
    with pytest.raises(ValueError, match=r"hx\[1\].*\(2, 4\).*got \(2, 5\)"):
        rt.LSTMCell(3, 4)(torch.randn(2, 3), (torch.randn(2, 4), torch.randn(2, 5)))


def test_lstm_cell_hx_that_is_not_a_pair_raises_value_error():
    with pytest.raises(ValueError, match=r"hx must be a tuple \(h, c\)"):
        rt.LSTMCell(3, 4)(torch.randn(2, 3), torch.randn(2, 4))


def test_cell_unknown_nonlinearity_raises_value_error():
    with pytest.raises(ValueError, match=r"nonlinearity.*'sigmoid'"):
        rt.RNNCell(3, 4, nonlinearity="sigmoid")


def test_cell_non_positive_hidden_size_raises_value_error():
    with pytest.raises(ValueError, match="hidden_size"):
        rt.GRUCell(3, 0)
