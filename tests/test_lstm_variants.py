"""rnncourse.torch.lstm_variants: the 1997 cell, peepholes and the ensemble LSTM, in
float64 against torch.nn and autograd's gradcheck."""

import pytest
import torch

from rnncourse.torch import lstm_variants as lv

DTYPE = torch.float64


def inputs(B=3, D=4, H=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(B, D, generator=g, dtype=DTYPE),
            torch.randn(B, H, generator=g, dtype=DTYPE),
            torch.randn(B, H, generator=g, dtype=DTYPE))


def lstm_cell(D=4, H=5, seed=0):
    torch.manual_seed(seed)
    return torch.nn.LSTMCell(D, H, dtype=DTYPE)


# --- the 1997 cell --------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_forget_cell_equals_the_lstm_with_the_forget_gate_held_at_one(seed):
    theirs = lstm_cell(seed=seed)
    ours = lv.NoForgetLSTMCell.from_lstm_cell(theirs)
    H = theirs.hidden_size
    with torch.no_grad():       # f = σ(1000) = 1 exactly in float64
        theirs.weight_ih[H:2 * H] = 0
        theirs.weight_hh[H:2 * H] = 0
        theirs.bias_ih[H:2 * H] = 1000.0
        theirs.bias_hh[H:2 * H] = 0
    x, h, c = inputs(seed=seed)
    for _ in range(4):                      # a few steps, so the states differ
        h_ours, c_ours = ours(x, (h, c))
        h_theirs, c_theirs = theirs(x, (h, c))
        assert torch.equal(c_ours, c_theirs)
        assert (h_ours - h_theirs).abs().max() < 1e-15
        h, c = h_ours, c_ours


def test_no_forget_cell_adds_to_the_cell_state_and_never_scales_it():
    cell = lv.NoForgetLSTMCell(4, 5, dtype=DTYPE)
    x, h, c = inputs()
    gates = (x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh)
    i, g, o = gates.chunk(3, dim=-1)
    h_next, c_next = cell(x, (h, c))
    expected_c = c + torch.sigmoid(i) * torch.tanh(g)
    assert (c_next - expected_c).abs().max() < 1e-14
    assert (h_next - torch.sigmoid(o) * torch.tanh(expected_c)).abs().max() < 1e-14
    # dc'/dc is the identity: the constant error carousel
    jac = torch.autograd.functional.jacobian(lambda c0: cell(x[:1], (h[:1], c0))[1],
                                             c[:1])
    assert torch.equal(jac.reshape(5, 5), torch.eye(5, dtype=DTYPE))


@pytest.mark.parametrize("cell_class", [lv.NoForgetLSTMCell, lv.PeepholeLSTMCell])
def test_cells_pass_autograd_gradcheck_in_float64(cell_class):
    torch.manual_seed(3)
    cell = cell_class(3, 4, dtype=DTYPE)
    x, h, c = (t.requires_grad_() for t in inputs(B=2, D=3, H=4, seed=3))

    def run(x, h, c, *params):
        return cell._step(torch.nn.functional.linear(x, params[0], params[1]), (h, c))

    params = [cell.weight_ih, cell.bias_ih]
    assert torch.autograd.gradcheck(run, (x, h, c, *params))
    # the gradients of every parameter, through two steps
    names = [n for n, _ in cell.named_parameters()]

    def two_steps(x, h, c, *values):
        state = (h, c)
        with torch.nn.utils.stateless._reparametrize_module(
            cell, dict(zip(names, values))
        ):
            for _ in range(2):
                state = cell(x, state)
        return state

    assert torch.autograd.gradcheck(two_steps, (x, h, c, *cell.parameters()))


def test_cells_have_the_shapes_of_their_docstrings_and_work_unbatched():
    for cell, G in ((lv.NoForgetLSTMCell(4, 5), 3), (lv.PeepholeLSTMCell(4, 5), 4)):
        assert cell.weight_ih.shape == (G * 5, 4) and cell.weight_hh.shape == (G * 5, 5)
        assert cell.bias_ih.shape == cell.bias_hh.shape == (G * 5,)
        h, c = cell(torch.randn(7, 4))
        assert h.shape == c.shape == (7, 5)
        h1, c1 = cell(torch.randn(4), (torch.zeros(5), torch.zeros(5)))
        assert h1.shape == c1.shape == (5,)
    peephole = lv.PeepholeLSTMCell(4, 5)
    assert all(getattr(peephole, n).shape == (5,) for n in
               ("weight_ci", "weight_cf", "weight_co"))


@pytest.mark.parametrize("cell_class", [lv.NoForgetLSTMCell, lv.PeepholeLSTMCell])
def test_cells_reject_bad_input_with_the_expected_shape(cell_class):
    cell = cell_class(4, 5)
    with pytest.raises(ValueError, match=r"must have shape \(3, 4\).*got \(3, 6\)"):
        cell(torch.randn(3, 6))
    with pytest.raises(ValueError, match="1-D"):
        cell(torch.randn(2, 3, 4))
    with pytest.raises(ValueError, match=r"hx\[1\] \(c\) must have shape \(3, 5\)"):
        cell(torch.randn(3, 4), (torch.zeros(3, 5), torch.zeros(3, 4)))
    with pytest.raises(ValueError, match="tuple"):
        cell(torch.randn(3, 4), torch.zeros(3, 5))
    with pytest.raises(ValueError, match="hidden_size"):
        cell_class(4, 0)


# --- peepholes ------------------------------------------------------------------------

def test_peephole_cell_without_peepholes_equals_torch_lstm_cell():
    theirs = lstm_cell(seed=4)
    ours = lv.PeepholeLSTMCell(4, 5, dtype=DTYPE, peepholes=False)
    missing, unexpected = ours.load_state_dict(theirs.state_dict(), strict=False)
    assert sorted(missing) == ["weight_cf", "weight_ci", "weight_co"] and not unexpected
    x, h, c = inputs(seed=4)
    for a, b in zip(ours(x, (h, c)), theirs(x, (h, c))):
        assert (a - b).abs().max() < 1e-14


def test_peepholes_let_the_gates_see_the_old_and_the_new_cell_state():
    torch.manual_seed(5)
    cell = lv.PeepholeLSTMCell(4, 5, dtype=DTYPE)
    x, h, c = inputs(seed=5)
    a = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
    a_i, a_f, a_g, a_o = a.chunk(4, dim=-1)
    i = torch.sigmoid(a_i + cell.weight_ci * c)
    f = torch.sigmoid(a_f + cell.weight_cf * c)
    c_next = f * c + i * torch.tanh(a_g)
    h_next = torch.sigmoid(a_o + cell.weight_co * c_next) * torch.tanh(c_next)
    got_h, got_c = cell(x, (h, c))
    assert (got_c - c_next).abs().max() < 1e-14
    assert (got_h - h_next).abs().max() < 1e-14
    # same seed, same weights as torch.nn.LSTMCell (the peepholes are drawn last)
    torch.manual_seed(5)
    theirs = torch.nn.LSTMCell(4, 5, dtype=DTYPE)
    assert torch.equal(theirs.weight_hh, cell.weight_hh)


# --- unroll and the ensemble ----------------------------------------------------------

def test_unroll_keeps_every_state_and_matches_torch_lstm():
    torch.manual_seed(6)
    lstm = torch.nn.LSTM(4, 5, dtype=DTYPE)
    cell = lv.PeepholeLSTMCell(4, 5, dtype=DTYPE, peepholes=False)
    cell.load_state_dict({k[:-3]: v for k, v in lstm.state_dict().items()},
                         strict=False)
    x = torch.randn(9, 3, 4, dtype=DTYPE)
    outputs, cells, (h, c) = lv.unroll(cell, x)
    expected, (h_n, c_n) = lstm(x)
    assert outputs.shape == cells.shape == (9, 3, 5)
    assert (outputs - expected).abs().max() < 1e-13
    assert (cells[-1] - c_n[0]).abs().max() < 1e-13 and torch.equal(h, outputs[-1])
    with pytest.raises(ValueError, match=r"\(T, B, D\)"):
        lv.unroll(cell, x[0])


def test_ensemble_members_equal_separate_lstms_with_and_without_forget_gate():
    E, T, B, D, H = 4, 7, 3, 2, 5
    ensemble = lv.EnsembleLSTM(E, D, H, forget_gate=[True, False, True, False],
                               dtype=DTYPE)
    x = torch.randn(T, E, B, D, dtype=DTYPE)
    outputs, cells, (h, c) = ensemble(x)
    assert outputs.shape == cells.shape == (T, E, B, H) and h.shape == (E, B, H)
    for e in range(E):
        torch.manual_seed(10 + e)
        reference = torch.nn.LSTMCell(D, H, dtype=DTYPE)
        ensemble.load_member(e, reference)
        if not ensemble.has_forget_gate[e]:
            reference = lv.NoForgetLSTMCell.from_lstm_cell(reference)
        got, got_cells, _ = ensemble(x)
        want, want_cells, _ = lv.unroll(reference, x[:, e])
        assert (got[:, e] - want).abs().max() < 1e-13
        assert (got_cells[:, e] - want_cells).abs().max() < 1e-13


def test_ensemble_members_get_their_own_gradients_only():
    ensemble = lv.EnsembleLSTM(3, 2, 4, forget_gate=[True, False, True], dtype=DTYPE)
    x = torch.randn(6, 3, 2, 2, dtype=DTYPE)
    outputs, _, _ = ensemble(x)
    outputs[-1, 1].sum().backward()         # a loss of member 1 only
    for p in ensemble.parameters():
        assert p.grad[[0, 2]].abs().max() == 0
        assert p.grad[1].abs().max() > 0
    # member 1 has no forget gate: its forget rows get no gradient
    H = 4
    assert ensemble.weight_hh.grad[1, H:2 * H].abs().max() == 0
    assert ensemble.bias.grad[1, H:2 * H].abs().max() == 0


def test_ensemble_passes_gradcheck_and_rejects_bad_input():
    ensemble = lv.EnsembleLSTM(2, 2, 3, forget_gate=[True, False], dtype=DTYPE)
    x = torch.randn(4, 2, 2, 2, dtype=DTYPE, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: ensemble(x)[0], (x,))
    with pytest.raises(ValueError, match=r"\(T, 2, B, 2\)"):
        ensemble(torch.randn(4, 3, 2, 2))
    with pytest.raises(ValueError, match=r"c_0 must have shape \(E, B, H\)"):
        ensemble(x, (torch.zeros(2, 2, 3), torch.zeros(2, 3, 3)))
    with pytest.raises(ValueError, match="one per member"):
        lv.EnsembleLSTM(3, 2, 3, forget_gate=[True, False])
    with pytest.raises(ValueError, match="n_members"):
        lv.EnsembleLSTM(0, 2, 3)


def test_fused_ensemble_matches_the_autograd_loop_values_and_gradients():
    torch.manual_seed(7)
    fused = lv.EnsembleLSTM(3, 2, 4, forget_gate=[True, False, True], dtype=DTYPE)
    loop = lv.EnsembleLSTM(3, 2, 4, forget_gate=[True, False, True], dtype=DTYPE,
                           fused=False)
    loop.load_state_dict(fused.state_dict())
    x = torch.randn(6, 3, 5, 2, dtype=DTYPE)
    state = (torch.randn(3, 5, 4, dtype=DTYPE), torch.randn(3, 5, 4, dtype=DTYPE))
    weights = [torch.randn(6, 3, 5, 4, dtype=DTYPE) for _ in range(2)] + \
        [torch.randn(3, 5, 4, dtype=DTYPE) for _ in range(2)]
    results = []
    for model in (fused, loop):
        s = tuple(t.clone().requires_grad_() for t in state)
        outputs, cells, (h, c) = model(x, s)
        loss = sum((w * v).sum() for w, v in zip(weights, (outputs, cells, h, c)))
        loss.backward()
        results.append([outputs, cells, h, c, s[0].grad, s[1].grad] +
                       [p.grad for p in model.parameters()])
    for a, b in zip(*results):
        assert (a - b).abs().max() < 1e-12


def test_fused_ensemble_passes_gradcheck():
    ensemble = lv.EnsembleLSTM(2, 2, 3, forget_gate=[False, True], dtype=DTYPE)
    x = torch.randn(5, 2, 2, 2, dtype=DTYPE, requires_grad=True)
    h0 = torch.randn(2, 2, 3, dtype=DTYPE, requires_grad=True)
    c0 = torch.randn(2, 2, 3, dtype=DTYPE, requires_grad=True)

    def run(x, h0, c0, W_hh):
        with torch.nn.utils.stateless._reparametrize_module(
            ensemble, {"weight_hh": W_hh}
        ):
            outputs, cells, (h, c) = ensemble(x, (h0, c0))
        return outputs, cells, h, c

    W_hh = ensemble.weight_hh.detach().clone().requires_grad_()
    assert torch.autograd.gradcheck(run, (x, h0, c0, W_hh))


def test_chrono_init_sets_forget_biases_to_log_uniform_and_input_biases_opposite():
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(2, 300, num_layers=2)
    before = {k: v.clone() for k, v in lstm.state_dict().items()}
    lv.chrono_init(lstm, 100, torch.Generator().manual_seed(1))
    H = 300
    for layer in (0, 1):
        b = getattr(lstm, f"bias_ih_l{layer}") + getattr(lstm, f"bias_hh_l{layer}")
        f, i = b[H:2 * H], b[:H]
        assert torch.equal(i, -f)
        u = torch.exp(f)
        assert u.min() >= 1 and u.max() <= 99 and u.max() > 90 and u.min() < 5
        # g and o rows, and all weights, are untouched
        for name in (f"bias_ih_l{layer}", f"bias_hh_l{layer}"):
            assert torch.equal(getattr(lstm, name)[2 * H:], before[name][2 * H:])
        for name in (f"weight_ih_l{layer}", f"weight_hh_l{layer}"):
            assert torch.equal(getattr(lstm, name), before[name])
    cell = lv.chrono_init(torch.nn.LSTMCell(3, 4), 10)
    assert (cell.bias_ih[:8] == 0).all()
    with pytest.raises(ValueError, match="T_max must be larger than 2"):
        lv.chrono_init(cell, 2)
    with pytest.raises(ValueError, match="biases"):
        lv.chrono_init(torch.nn.LSTM(2, 3, bias=False), 10)
