"""The modules of chapter 7: the line-by-line backward pass, the continual-prediction
training data and model, and the LSTM cell diagram."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from rnncourse import lstm_derivation as ld  # noqa: E402
from rnncourse.data import long_lag  # noqa: E402
from rnncourse.diagrams_lstm import GATE_BLOCKS, draw_lstm_cell  # noqa: E402
from rnncourse.np import lstm_step_backward, lstm_step_forward, rel_error  # noqa: E402
from rnncourse.np import numerical_gradient  # noqa: E402
from rnncourse.torch import continual  # noqa: E402


def step_case(B=3, D=4, H=4, seed=0):
    rng = np.random.default_rng(seed)
    x, h, c = rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
    W_ih, W_hh = rng.normal(size=(4 * H, D)), rng.normal(size=(4 * H, H))
    b_ih, b_hh = rng.normal(size=4 * H), rng.normal(size=4 * H)
    dh, dc = rng.normal(size=(B, H)), rng.normal(size=(B, H))
    return (x, h, c, W_ih, W_hh, b_ih, b_hh), dh, dc


# --- the derivation ------------------------------------------------------------------

@pytest.mark.parametrize("sizes", [(1, 1, 1), (3, 4, 5), (2, 6, 3)])
def test_every_line_of_the_backward_pass_matches_autograd(sizes):
    inputs, dh, dc = step_case(*sizes, seed=sum(sizes))
    _, _, cache = lstm_step_forward(*inputs)
    ours, theirs = ld.backward_lines(dh, dc, cache), ld.autograd_lines(*inputs, dh, dc)
    assert [name for name, _ in ld.LINES] == list(ours)
    for name, value in ours.items():
        assert value.shape == theirs[name].shape
        assert rel_error(value, theirs[name]) < 1e-10, name
    reference = lstm_step_backward(dh, dc, cache)
    for ours_name, ref_name in (("dh_prev", "h_prev"), ("dc_prev", "c_prev"),
                                ("dx", "x"), ("dW_ih", "W_ih"), ("dW_hh", "W_hh"),
                                ("db", "b_ih")):
        assert np.array_equal(ours[ours_name], reference[ref_name])


def test_the_popular_formula_fails_its_gradient_check_and_needs_D_equal_H():
    inputs, dh, dc = step_case(B=3, D=5, H=5, seed=4)
    _, _, cache = lstm_step_forward(*inputs)

    def h_and_c():
        h, c, _ = lstm_step_forward(*inputs)
        return np.concatenate([h, c], axis=1)

    numeric = numerical_gradient(h_and_c, inputs[1], np.concatenate([dh, dc], axis=1))
    popular = ld.popular_backward(dh, dc, cache)
    assert rel_error(popular["dh_prev"], numeric) > 0.5
    assert rel_error(ld.backward_lines(dh, dc, cache)["dh_prev"], numeric) < 1e-6
    assert popular["dW_o"].shape == (5,)             # H numbers where W_o has H x D
    inputs, dh, dc = step_case(B=2, D=3, H=4)
    with pytest.raises(ValueError, match="only type-checks when D = H"):
        ld.popular_backward(dh, dc, lstm_step_forward(*inputs)[2])


# --- continual prediction ---------------------------------------------------------

def test_training_streams_are_staggered_continual_streams_with_their_targets():
    x, y, starts = continual.training_streams(4, 10, 12, 5, np.random.default_rng(0))
    assert x.shape == y.shape == (120, 4, 7) and starts.shape == (12, 4)
    assert starts[0].all()
    # row b starts a new stream every 5 chunks, shifted by b
    for b in range(4):
        expected = [j for j in range(12) if j == 0 or (j + b) % 5 == 0]
        assert torch.nonzero(starts[:, b]).flatten().tolist() == expected
        bounds = expected + [12]
        for j0, j1 in zip(bounds, bounds[1:]):
            piece = long_lag.decode(x[j0 * 10:j1 * 10, b].numpy())
            assert piece[0] == "B" and long_lag.is_continual_stream(piece)
            targets = long_lag.next_symbol_sets(piece)
            assert (y[j0 * 10:j1 * 10, b].numpy() == targets).all()


def test_first_errors_counts_steps_before_the_first_wrong_output():
    y = torch.zeros(6, 1, 7)
    y[:, :, 0] = 1
    logits = torch.full((6, 2, 1, 7), -10.0)
    logits[..., 0] = 10.0                       # member 0: always right
    logits[4, 1, 0, 3] = 0.0                    # member 1: sigma = 0.5 at step 4
    assert continual.first_errors(logits, y).tolist() == [[6], [4]]


def test_the_predictor_carries_its_state_and_resets_rows_on_request():
    torch.manual_seed(0)
    model = continual.ContinualPredictor([True, False], 5)
    x, y, starts = continual.training_streams(3, 8, 2, 2, np.random.default_rng(1))
    loss = model.loss(x[:8], y[:8], starts[0])
    loss.backward()
    assert loss.dim() == 0 and model.lstm.weight_hh.grad is not None
    assert model.cells.shape == (8, 2, 3, 5) and not model.state[0].requires_grad
    carried = model(x[8:16])                     # goes on from the stored state
    model.reset()
    fresh = model(x[8:16])
    assert not torch.allclose(carried, fresh)
    model.reset()
    model(x[:8])
    reset_all = model(x[8:16], torch.ones(3, dtype=torch.bool))
    assert torch.allclose(reset_all, fresh)
    with pytest.raises(ValueError, match=r"\(T, B, 7\)"):
        model(torch.zeros(4, 3, 6))


# --- the diagram ------------------------------------------------------------------

def test_the_cell_diagram_draws_four_blocks_in_torch_order():
    fig, ax = plt.subplots()
    parts = draw_lstm_cell(ax, title="x")
    assert len(parts["blocks"]) == len(parts["gates"]) == 4
    assert [name for name, _, _ in GATE_BLOCKS] == ["input gate", "forget gate",
                                                    "candidate", "output gate"]
    lefts = [block.get_x() for block in parts["blocks"]]
    assert lefts == sorted(lefts)                # i, f, g, o from left to right
    assert {"forget ⊙", "+", "input ⊙", "tanh", "output ⊙"} == set(parts["ops"])
    texts = " ".join(t.get_text() for t in ax.texts)
    for row in ("0:H", "H:2H", "2H:3H", "3H:4H"):
        assert f"rows {row}" in texts
    plt.close(fig)
