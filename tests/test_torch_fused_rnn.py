"""The fused Elman RNN: hand-derived BPTT checked by gradcheck, against autograd and
torch.nn.RNN, for tanh and ReLU."""

import pytest
import torch

import rnncourse.torch as rt
from rnncourse.torch import fused_rnn

DTYPE = torch.float64
OUTPUT_TOL = 1e-10
GRAD_TOL = 1e-8
NONLINEARITIES = ["tanh", "relu"]


def rel_error(a, b):
    """max over elements of |a − b| / max(1e-8, |a| + |b|)."""
    return ((a - b).abs() / (a.abs() + b.abs()).clamp_min(1e-8)).max().item()


def rnn_arguments(T, B, D, H, bias=True, seed=0, requires_grad=True):
    """x, h0, W_ih, W_hh, b_ih, b_hh with random values (biases None if bias=False)."""
    generator = torch.Generator().manual_seed(seed)
    shapes = [(T, B, D), (B, H), (H, D), (H, H), (H,), (H,)]
    tensors = [torch.randn(*shape, generator=generator, dtype=DTYPE)
               .requires_grad_(requires_grad) for shape in shapes]
    if not bias:
        tensors[4] = tensors[5] = None
    return tensors


@pytest.mark.parametrize("T, B, D, H", [(4, 3, 2, 3), (1, 1, 1, 1), (3, 2, 3, 1)])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_fused_rnn_passes_gradcheck(T, B, D, H, bias, nonlinearity):
    """Every input (x, h0, weights, biases) against both outputs (output, h_T)."""
    arguments = rnn_arguments(T, B, D, H, bias=bias)
    assert torch.autograd.gradcheck(
        lambda *a: fused_rnn(*a, nonlinearity=nonlinearity), arguments)


def test_fused_rnn_passes_gradcheck_when_only_some_inputs_need_gradients():
    x, h0, W_ih, W_hh, b_ih, b_hh = rnn_arguments(3, 2, 2, 3)
    for tensor in (x, h0, b_ih):
        tensor.requires_grad_(False)
    assert torch.autograd.gradcheck(fused_rnn, (x, h0, W_ih, W_hh, b_ih, b_hh))
    W_hh.requires_grad_(False)
    assert torch.autograd.gradcheck(fused_rnn, (x, h0, W_ih, W_hh, b_ih, b_hh))


@pytest.mark.parametrize("upstream_on", ["output", "h_T"])
@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_fused_rnn_gradients_match_torch_rnn(upstream_on, nonlinearity):
    arguments = rnn_arguments(6, 3, 4, 5)
    x, h0, W_ih, W_hh, b_ih, b_hh = arguments
    theirs = torch.nn.RNN(4, 5, nonlinearity=nonlinearity, dtype=DTYPE)
    with torch.no_grad():
        for name, value in zip(
            ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
            (W_ih, W_hh, b_ih, b_hh),
        ):
            getattr(theirs, name).copy_(value)
    output, h_T = fused_rnn(*arguments, nonlinearity=nonlinearity)
    their_output, their_h = theirs(x, h0[None])
    ours = {"output": output, "h_T": h_T}
    their = {"output": their_output, "h_T": their_h[0]}
    for key in ours:
        assert rel_error(ours[key], their[key]) <= OUTPUT_TOL
    upstream = torch.randn_like(ours[upstream_on])
    our_grads = torch.autograd.grad((ours[upstream_on] * upstream).sum(), arguments)
    their_grads = torch.autograd.grad((their[upstream_on] * upstream).sum(),
                                      (x, h0, *theirs.parameters()))
    for a, b in zip(our_grads, their_grads, strict=True):
        assert rel_error(a, b) <= GRAD_TOL


@pytest.mark.parametrize("num_layers, bidirectional, batch_first, bias, nonlinearity",
                         [(1, False, False, True, "tanh"),
                          (3, True, False, True, "relu"),
                          (2, True, True, False, "tanh")])
def test_rnn_fused_and_autograd_paths_agree(
    num_layers, bidirectional, batch_first, bias, nonlinearity
):
    torch.manual_seed(0)
    rnn = rt.RNN(5, 7, num_layers=num_layers, bidirectional=bidirectional,
                 batch_first=batch_first, bias=bias, nonlinearity=nonlinearity,
                 dtype=DTYPE)
    assert rnn.fused          # the default, as for rnncourse.torch.LSTM
    directions = 2 if bidirectional else 1
    x = torch.randn(3, 6, 5, dtype=DTYPE)  # (T, B, D), or (B, T, D) with batch_first
    h0 = torch.randn(num_layers * directions, x.shape[1 - batch_first], 7, dtype=DTYPE)
    results = {}
    for fused in (True, False):
        rnn.fused = fused
        rnn.zero_grad(set_to_none=True)
        leaves = [t.clone().requires_grad_(True) for t in (x, h0)]
        output, h_n = rnn(*leaves)
        (output.sin().sum() + (h_n * 2).sum()).backward()
        results[fused] = ([output, h_n],
                          [p.grad for p in rnn.parameters()] + [t.grad for t in leaves])
    for a, b in zip(results[True][0], results[False][0], strict=True):
        assert rel_error(a, b) <= OUTPUT_TOL
    for a, b in zip(results[True][1], results[False][1], strict=True):
        assert rel_error(a, b) <= GRAD_TOL


def test_fused_rnn_float32_matches_torch_rnn():
    torch.manual_seed(0)
    theirs = torch.nn.RNN(16, 32, num_layers=2)
    ours = rt.RNN(16, 32, num_layers=2)
    ours.load_state_dict(theirs.state_dict())
    x = torch.randn(20, 8, 16, requires_grad=True)
    ours_out, _ = ours(x)
    theirs_out, _ = theirs(x)
    assert (ours_out - theirs_out).abs().max() < 1e-5
    ours_grad, = torch.autograd.grad(ours_out.sum(), x)
    theirs_grad, = torch.autograd.grad(theirs_out.sum(), x)
    assert (ours_grad - theirs_grad).abs().max() < 1e-5


def test_fused_rnn_runs_without_gradients():
    x, h0, W_ih, W_hh, b_ih, b_hh = rnn_arguments(4, 2, 3, 5, requires_grad=False)
    with torch.no_grad():
        output, h_T = fused_rnn(x, h0, W_ih, W_hh, b_ih, b_hh)
    assert output.shape == (4, 2, 5) and h_T.shape == (2, 5)
    assert torch.equal(output[-1], h_T)


def test_fused_rnn_bad_input_raises_value_error_naming_the_argument():
    x, h0, W_ih, W_hh, b_ih, b_hh = rnn_arguments(4, 2, 3, 5, requires_grad=False)
    with pytest.raises(ValueError, match=r"x must be 3-D"):
        fused_rnn(x[0], h0, W_ih, W_hh)
    with pytest.raises(ValueError, match=r"W_hh must have shape \(H, H\).*\(5, 4\)"):
        fused_rnn(x, h0, W_ih, W_hh[:, :4])
    with pytest.raises(ValueError, match=r"W_ih must have .*\(5, 3\), got \(5, 2\)"):
        fused_rnn(x, h0, W_ih[:, :2], W_hh)
    with pytest.raises(ValueError, match=r"h0 must have shape.*\(2, 5\), got \(1, 5\)"):
        fused_rnn(x, h0[:1], W_ih, W_hh)
    with pytest.raises(ValueError, match=r"b_hh must have shape.*\(5,\), got \(4,\)"):
        fused_rnn(x, h0, W_ih, W_hh, b_ih, b_hh[:4])
    with pytest.raises(ValueError, match=r"must be 'tanh' or 'relu'.*'gelu'"):
        fused_rnn(x, h0, W_ih, W_hh, nonlinearity="gelu")
    with pytest.raises(ValueError, match=r"at least one time step"):
        fused_rnn(x[:0], h0, W_ih, W_hh)
