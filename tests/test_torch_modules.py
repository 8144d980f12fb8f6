"""rnncourse.torch.RNN / LSTM / GRU against their torch.nn namesakes, in float64."""

import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import rnncourse.torch as rt

DTYPE = torch.float64
OUTPUT_TOL = 1e-10
GRAD_TOL = 1e-8

# (name, our class, torch's class, extra constructor arguments, our extra arguments)
MODULES = [
    ("rnn_tanh", rt.RNN, torch.nn.RNN, {"nonlinearity": "tanh"}, {}),
    ("rnn_relu", rt.RNN, torch.nn.RNN, {"nonlinearity": "relu"}, {}),
    ("lstm_fused", rt.LSTM, torch.nn.LSTM, {}, {"fused": True}),
    ("lstm_autograd", rt.LSTM, torch.nn.LSTM, {}, {"fused": False}),
    ("gru", rt.GRU, torch.nn.GRU, {}, {}),
]
MODULE_IDS = [m[0] for m in MODULES]

# (num_layers, bidirectional, batch_first, bias)
CONFIGS = [
    (1, False, False, True),
    (2, False, False, True),
    (3, True, False, True),
    (2, True, True, True),
    (2, False, True, False),
    (1, True, False, False),
]


def rel_error(a, b):
    """max over elements of |a − b| / max(1e-8, |a| + |b|)."""
    return ((a - b).abs() / (a.abs() + b.abs()).clamp_min(1e-8)).max().item()


def make_pair(spec, input_size, hidden_size, seed=0, **config):
    _, ours_cls, torch_cls, kwargs, ours_kwargs = spec
    torch.manual_seed(seed)
    theirs = torch_cls(input_size, hidden_size, dtype=DTYPE, **kwargs, **config)
    ours = ours_cls(
        input_size, hidden_size, dtype=DTYPE, **kwargs, **ours_kwargs, **config
    )
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def flat_states(final):
    return final if isinstance(final, tuple) else (final,)


def run_and_backward(module, x, hx, upstream):
    """Forward, backward of Σ upstream ⊙ (output, h_n[, c_n]); return outputs and
    gradients."""
    module.zero_grad(set_to_none=True)
    x = x.clone().requires_grad_(True)
    leaves = {"input": x}
    if hx is not None:
        hx = tuple(h.clone().requires_grad_(True) for h in flat_states(hx))
        leaves.update({f"hx{k}": h for k, h in enumerate(hx)})
        hx = hx if len(hx) == 2 else hx[0]
    output, final = module(x, hx)
    outputs = (output, *flat_states(final))
    sum((out * up).sum() for out, up in zip(outputs, upstream)).backward()
    grads = {name: p.grad for name, p in module.named_parameters()}
    grads.update({name: leaf.grad for name, leaf in leaves.items()})
    return outputs, grads


def assert_equivalent(spec, ours, theirs, seq_len, batch, with_hx=True, unbatched=False,
                      seed=0):
    """Same outputs (≤ 1e-10) and same gradients for every parameter and input (≤ 1e-8).
    """
    generator = torch.Generator().manual_seed(seed)

    def randn(*shape):
        return torch.randn(*shape, generator=generator, dtype=DTYPE)

    directions = 2 if theirs.bidirectional else 1
    rows = theirs.num_layers * directions
    H = theirs.hidden_size
    if unbatched:
        x, state_shape, out_shape = randn(seq_len, theirs.input_size), (rows, H), \
            (seq_len, directions * H)
    elif theirs.batch_first:
        x, state_shape, out_shape = (
            randn(batch, seq_len, theirs.input_size),
            (rows, batch, H),
            (batch, seq_len, directions * H),
        )
    else:
        x, state_shape, out_shape = (
            randn(seq_len, batch, theirs.input_size),
            (rows, batch, H),
            (seq_len, batch, directions * H),
        )
    num_states = 2 if isinstance(theirs, torch.nn.LSTM) else 1
    hx = None
    if with_hx:
        states = tuple(randn(*state_shape) for _ in range(num_states))
        hx = states if num_states == 2 else states[0]
    upstream = [randn(*out_shape)] + [randn(*state_shape) for _ in range(num_states)]

    ours_out, ours_grads = run_and_backward(ours, x, hx, upstream)
    theirs_out, theirs_grads = run_and_backward(theirs, x, hx, upstream)
    for a, b in zip(ours_out, theirs_out, strict=True):
        assert a.shape == b.shape
        assert rel_error(a, b) <= OUTPUT_TOL
    assert ours_grads.keys() == theirs_grads.keys()
    for key in theirs_grads:
        assert rel_error(ours_grads[key], theirs_grads[key]) <= GRAD_TOL, key


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
@pytest.mark.parametrize("num_layers, bidirectional, batch_first, bias", CONFIGS)
def test_module_matches_torch_outputs_and_gradients(spec, num_layers, bidirectional,
                                                    batch_first, bias):
    ours, theirs = make_pair(
        spec,
        3,
        4,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
        bias=bias,
    )
    assert_equivalent(spec, ours, theirs, seq_len=5, batch=2, with_hx=True)
    assert_equivalent(spec, ours, theirs, seq_len=5, batch=2, with_hx=False, seed=1)


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
@pytest.mark.parametrize("with_hx", [True, False])
def test_module_unbatched_input_matches_torch(spec, with_hx):
    ours, theirs = make_pair(spec, 3, 4, num_layers=2, bidirectional=True)
    assert_equivalent(spec, ours, theirs, seq_len=4, batch=None, with_hx=with_hx,
                      unbatched=True)


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
def test_module_matches_torch_with_length_batch_and_hidden_size_one(spec):
    ours, theirs = make_pair(spec, 1, 1, num_layers=2, bidirectional=True)
    assert_equivalent(spec, ours, theirs, seq_len=1, batch=1)


@settings(max_examples=20, deadline=None)
@given(spec=st.sampled_from(MODULES),
       input_size=st.integers(1, 6), hidden_size=st.integers(1, 6),
       seq_len=st.integers(1, 6), batch=st.integers(1, 4),
       num_layers=st.integers(1, 3), bidirectional=st.booleans(),
       batch_first=st.booleans(), bias=st.booleans(), with_hx=st.booleans(),
       seed=st.integers(0, 2**31 - 1))
def test_module_matches_torch_for_random_sizes_and_seeds(
    spec,
    input_size,
    hidden_size,
    seq_len,
    batch,
    num_layers,
    bidirectional,
    batch_first,
    bias,
    with_hx,
    seed,
):
    ours, theirs = make_pair(
        spec,
        input_size,
        hidden_size,
        seed=seed,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
        bias=bias,
    )
    assert_equivalent(spec, ours, theirs, seq_len, batch, with_hx=with_hx, seed=seed)


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
def test_lstm_gru_rnn_load_state_dict_from_torch_matches_outputs(spec):
    torch.manual_seed(7)
    _, ours_cls, torch_cls, kwargs, ours_kwargs = spec
    theirs = torch_cls(4, 5, num_layers=2, bidirectional=True, dtype=DTYPE, **kwargs)
    ours = ours_cls(
        4, 5, num_layers=2, bidirectional=True, dtype=DTYPE, **kwargs, **ours_kwargs
    )
    x = torch.randn(6, 3, 4, dtype=DTYPE)
    # different random initialisations
    assert rel_error(ours(x)[0], theirs(x)[0]) > 1e-3
    ours.load_state_dict(theirs.state_dict())
    assert rel_error(ours(x)[0], theirs(x)[0]) <= OUTPUT_TOL


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
def test_torch_module_loads_our_state_dict_and_matches(spec):
    torch.manual_seed(8)
    _, ours_cls, torch_cls, kwargs, ours_kwargs = spec
    ours = ours_cls(
        4, 5, num_layers=3, bidirectional=True, dtype=DTYPE, **kwargs, **ours_kwargs
    )
    theirs = torch_cls(4, 5, num_layers=3, bidirectional=True, dtype=DTYPE, **kwargs)
    theirs.load_state_dict(ours.state_dict())
    x = torch.randn(6, 3, 4, dtype=DTYPE)
    ours_out, ours_final = ours(x)
    theirs_out, theirs_final = theirs(x)
    assert rel_error(ours_out, theirs_out) <= OUTPUT_TOL
    for a, b in zip(flat_states(ours_final), flat_states(theirs_final), strict=True):
        assert rel_error(a, b) <= OUTPUT_TOL


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
@pytest.mark.parametrize("num_layers, bidirectional, batch_first, bias", CONFIGS)
def test_module_state_dict_keys_and_shapes_equal_torch(spec, num_layers, bidirectional,
                                                       batch_first, bias):
    ours, theirs = make_pair(
        spec,
        3,
        4,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
        bias=bias,
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        assert ours.state_dict()[key].shape == value.shape, key


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
def test_module_same_seed_gives_same_initial_weights_as_torch(spec):
    _, ours_cls, torch_cls, kwargs, ours_kwargs = spec
    torch.manual_seed(5)
    theirs = torch_cls(3, 9, num_layers=2, bidirectional=True, **kwargs)
    torch.manual_seed(5)
    ours = ours_cls(3, 9, num_layers=2, bidirectional=True, **kwargs, **ours_kwargs)
    for key, value in theirs.state_dict().items():
        assert torch.equal(ours.state_dict()[key], value), key
    assert max(p.abs().max().item() for p in ours.parameters()) <= 1 / 3


# --------------------------------------------------------------------------------------
# Dropout between layers
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
def test_dropout_in_eval_mode_changes_nothing(spec):
    ours, theirs = make_pair(spec, 3, 4, num_layers=3, dropout=0.5, bidirectional=True)
    ours.eval()
    theirs.eval()
    assert_equivalent(spec, ours, theirs, seq_len=5, batch=2)


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
def test_dropout_in_training_mode_draws_the_same_masks_as_torch(spec):
    """Both draw one Bernoulli mask per layer output but the last, in the same order."""
    ours, theirs = make_pair(spec, 3, 4, num_layers=3, dropout=0.5, bidirectional=True)
    x = torch.randn(5, 2, 3, dtype=DTYPE)
    torch.manual_seed(11)
    ours_out, _ = ours(x)
    torch.manual_seed(11)
    theirs_out, _ = theirs(x)
    assert rel_error(ours_out, theirs_out) <= OUTPUT_TOL
    ours.eval()
    assert rel_error(ours(x)[0], ours_out) > 1e-3  # the masks did change something


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
def test_dropout_one_zeroes_the_input_of_the_next_layer_only(spec):
    """With p = 1 the second layer sees only zeros; its output is not dropped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that p=1 zeroes everything
        ours, _ = make_pair(spec, 3, 4, num_layers=2, dropout=1.0)
    _, ours_cls, _, kwargs, ours_kwargs = spec
    second_layer = ours_cls(4, 4, dtype=DTYPE, **kwargs, **ours_kwargs)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(second_layer, name + "_l0").data.copy_(getattr(ours, name + "_l1"))
    x = torch.randn(5, 2, 3, dtype=DTYPE)
    output, _ = ours.train()(x)
    expected, _ = second_layer(torch.zeros(5, 2, 4, dtype=DTYPE))
    assert rel_error(output, expected) <= OUTPUT_TOL
    assert output.abs().max() > 0  # p = 1 on the last layer would have zeroed it all


def test_dropout_with_one_layer_warns_and_does_nothing():
    with pytest.warns(UserWarning, match="num_layers=1"):
        lstm = rt.LSTM(3, 4, dropout=0.5, dtype=DTYPE)
    x = torch.randn(5, 2, 3, dtype=DTYPE)
    assert torch.equal(lstm.train()(x)[0], lstm.eval()(x)[0])


# --------------------------------------------------------------------------------------
# Interface details and errors
# --------------------------------------------------------------------------------------


def test_module_output_shapes_follow_batch_first_and_bidirectional():
    gru = rt.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    output, h_n = gru(torch.randn(2, 7, 3))
    assert output.shape == (2, 7, 8)
    assert h_n.shape == (4, 2, 4)
    lstm = rt.LSTM(3, 4)
    output, (h_n, c_n) = lstm(torch.randn(7, 4, 3))
    assert output.shape == (7, 4, 4) and h_n.shape == c_n.shape == (1, 4, 4)


def test_lstm_fused_flag_is_on_by_default_and_switchable():
    lstm = rt.LSTM(3, 4, dtype=DTYPE)
    assert lstm.fused is True
    x = torch.randn(5, 2, 3, dtype=DTYPE)
    fused_out, _ = lstm(x)
    lstm.fused = False
    assert rel_error(lstm(x)[0], fused_out) <= OUTPUT_TOL


def test_module_wrong_input_size_raises_value_error_with_shapes():
    with pytest.raises(ValueError, match=r"input.*\(5, 2, 3\).*got \(5, 2, 4\)"):
        rt.LSTM(3, 4)(torch.randn(5, 2, 4))


def test_module_wrong_input_rank_raises_value_error():
    with pytest.raises(ValueError, match=r"input must be 3-D.*got shape \(3,\)"):
        rt.GRU(3, 4)(torch.randn(3))


def test_module_wrong_hx_shape_raises_value_error_with_shapes():
    rnn = rt.RNN(3, 4, num_layers=2)
    with pytest.raises(ValueError, match=r"hx.*\(2, 5, 4\).*got \(1, 5, 4\)"):
        rnn(torch.randn(6, 5, 3), torch.randn(1, 5, 4))
    with pytest.raises(ValueError, match=r"hx.*\(2, 4\).*got \(2, 1, 4\)"):
        rnn(torch.randn(6, 3), torch.randn(2, 1, 4))  # unbatched input needs 2-D hx
    lstm = rt.LSTM(3, 4, bidirectional=True)
    with pytest.raises(
        ValueError, match=r"hx\[1\] \(c_0\).*\(2, 5, 4\).*got \(2, 5, 3\)"
    ):
        lstm(torch.randn(6, 5, 3), (torch.randn(2, 5, 4), torch.randn(2, 5, 3)))


def test_lstm_hx_that_is_not_a_pair_raises_value_error():
    with pytest.raises(ValueError, match=r"hx must be a tuple \(h_0, c_0\)"):
        rt.LSTM(3, 4)(torch.randn(6, 5, 3), torch.randn(1, 5, 4))


def test_rnn_unknown_nonlinearity_raises_value_error():
    with pytest.raises(ValueError, match=r"nonlinearity.*'sigmoid'"):
        rt.RNN(3, 4, nonlinearity="sigmoid")


def test_module_bad_dropout_and_num_layers_raise_value_error():
    with pytest.raises(ValueError, match="dropout"):
        rt.GRU(3, 4, num_layers=2, dropout=1.5)
    with pytest.raises(ValueError, match="num_layers"):
        rt.GRU(3, 4, num_layers=0)


def test_lstm_proj_size_is_rejected_clearly():
    with pytest.raises(NotImplementedError, match="proj_size"):
        rt.LSTM(3, 4, proj_size=2)


# -- sequences of different lengths: PackedSequence input, as torch.nn
# ----------------------------------------------------------------------------------


def run_packed(module, x, lengths, hx, upstream, enforce_sorted, batch_first=False):
    """Pack padded x, run, backward of Σ upstream ⊙ (padded output, h_n[, c_n])."""
    pack = torch.nn.utils.rnn.pack_padded_sequence
    module.zero_grad(set_to_none=True)
    x = x.clone().requires_grad_(True)
    leaves = {"input": x}
    if hx is not None:
        hx = tuple(h.clone().requires_grad_(True) for h in flat_states(hx))
        leaves.update({f"hx{k}": h for k, h in enumerate(hx)})
        hx = hx if len(hx) == 2 else hx[0]
    packed = pack(x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    output, final = module(packed, hx)
    padded, out_lengths = torch.nn.utils.rnn.pad_packed_sequence(
        output, batch_first=batch_first)
    outputs = (padded, *flat_states(final))
    sum((out * up).sum() for out, up in zip(outputs, upstream)).backward()
    grads = {name: p.grad for name, p in module.named_parameters()}
    grads.update({name: leaf.grad for name, leaf in leaves.items()})
    return output, outputs, out_lengths, grads


@pytest.mark.parametrize("spec", MODULES, ids=MODULE_IDS)
@pytest.mark.parametrize("num_layers, bidirectional",
                         [(1, False), (2, False), (1, True), (2, True)])
@pytest.mark.parametrize("enforce_sorted, with_hx", [(False, True), (True, False)])
def test_packed_sequence_matches_torch_outputs_states_and_gradients(
        spec, num_layers, bidirectional, enforce_sorted, with_hx):
    ours, theirs = make_pair(spec, 3, 4, num_layers=num_layers,
                             bidirectional=bidirectional)
    generator = torch.Generator().manual_seed(7)

    def randn(*shape):
        return torch.randn(*shape, generator=generator, dtype=DTYPE)

    lengths = [6, 4, 4, 1] if enforce_sorted else [3, 6, 1, 4]
    T, B, H = max(lengths), len(lengths), 4
    rows = num_layers * (2 if bidirectional else 1)
    num_states = 2 if isinstance(theirs, torch.nn.LSTM) else 1
    x = randn(T, B, 3)
    hx = None
    if with_hx:
        states = tuple(randn(rows, B, H) for _ in range(num_states))
        hx = states if num_states == 2 else states[0]
    upstream = [randn(T, B, (rows // num_layers) * H)] + [
        randn(rows, B, H) for _ in range(num_states)]
    ours_packed, ours_out, ours_len, ours_grads = run_packed(
        ours, x, lengths, hx, upstream, enforce_sorted)
    theirs_packed, theirs_out, theirs_len, theirs_grads = run_packed(
        theirs, x, lengths, hx, upstream, enforce_sorted)
    assert isinstance(ours_packed, torch.nn.utils.rnn.PackedSequence)
    assert torch.equal(ours_packed.batch_sizes, theirs_packed.batch_sizes)
    assert torch.equal(ours_len, theirs_len)
    for a, b in zip(ours_out, theirs_out, strict=True):
        assert a.shape == b.shape
        assert rel_error(a, b) <= OUTPUT_TOL
    assert rel_error(ours_packed.data, theirs_packed.data) <= OUTPUT_TOL
    assert ours_grads.keys() == theirs_grads.keys()
    for key in theirs_grads:
        assert rel_error(ours_grads[key], theirs_grads[key]) <= GRAD_TOL, key


def test_packed_sequence_ignores_batch_first_like_torch():
    spec = MODULES[2]   # the LSTM
    ours, theirs = make_pair(spec, 3, 4, batch_first=True, bidirectional=True)
    x = torch.randn(3, 5, 3, dtype=DTYPE)           # (B, T, D)
    upstream = [torch.randn(3, 5, 8, dtype=DTYPE), torch.randn(2, 3, 4, dtype=DTYPE),
                torch.randn(2, 3, 4, dtype=DTYPE)]
    _, ours_out, _, _ = run_packed(ours, x, [5, 2, 3], None, upstream, False, True)
    _, theirs_out, _, _ = run_packed(theirs, x, [5, 2, 3], None, upstream, False, True)
    for a, b in zip(ours_out, theirs_out, strict=True):
        assert rel_error(a, b) <= OUTPUT_TOL


def test_final_state_of_a_packed_sequence_is_the_state_at_its_own_last_step():
    lstm = rt.LSTM(2, 3, bidirectional=True)
    x = torch.randn(5, 2, 2)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [5, 2], enforce_sorted=True)
    _, (h_n, _) = lstm(packed)
    # the short sequence alone, without its padding
    _, (h_alone, _) = lstm(x[:2, 1:2])
    assert torch.allclose(h_n[:, 1], h_alone[:, 0], atol=1e-6)


def test_packed_sequence_with_wrong_feature_size_raises_value_error():
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.randn(4, 2, 5), [4, 3])
    with pytest.raises(ValueError, match=r"input_size = 3\), got \(7, 5\)"):
        rt.LSTM(3, 4)(packed)
