"""Tests for rnncourse.torch.convlstm: the ConvLSTM is an LSTM with convolutions, its
gradients are right, its modules have the documented shapes and name bad input."""

import pytest
import torch
from torch.nn import functional as F

from rnncourse.torch import convlstm as cl
from rnncourse.train import threads


@pytest.fixture(autouse=True)
def one_thread():
    """These tensors are tiny: one thread is faster than two (and than a busy machine's
    two)."""
    with threads(1):
        yield


def reference_step(x, h, c, W_ih, W_hh, b_ih, b_hh, peepholes=None):
    """Shi et al.'s Eq. (3) written out gate by gate, with unfold (im2col) instead of
    conv2d, so that it shares no code with the module."""
    def conv(inp, weight, bias):
        k = weight.shape[-1]
        columns = F.unfold(inp, k, padding=k // 2)                 # (B, C k k, S1 S2)
        out = weight.flatten(1) @ columns + bias[:, None]
        return out.view(inp.shape[0], -1, *inp.shape[2:])

    H = h.shape[1]
    gates = conv(x, W_ih, b_ih) + conv(h, W_hh, b_hh)
    pre = {name: gates[:, k * H:(k + 1) * H] for k, name in enumerate("ifgo")}
    w_ci, w_cf, w_co = peepholes if peepholes is not None else (0, 0, 0)
    i = torch.sigmoid(pre["i"] + w_ci * c)
    f = torch.sigmoid(pre["f"] + w_cf * c)
    c_new = f * c + i * torch.tanh(pre["g"])
    o = torch.sigmoid(pre["o"] + w_co * c_new)
    return o * torch.tanh(c_new), c_new


def random_cell(C=3, H=4, k=3, ks=5, size=(6, 7), peepholes=True, seed=0):
    torch.manual_seed(seed)
    cell = cl.ConvLSTMCell(C, H, k, ks, peephole_size=size if peepholes else None)
    with torch.no_grad():
        for p in cell.parameters():
            p.normal_(0, 0.4)
    return cell


@pytest.mark.parametrize("peepholes", [False, True])
def test_cell_matches_the_equations_written_out(peepholes):
    cell = random_cell(peepholes=peepholes)
    x, h, c = torch.randn(2, 3, 6, 7), torch.randn(2, 4, 6, 7), torch.randn(2, 4, 6, 7)
    ours = cell(x, (h, c))
    theirs = reference_step(x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih,
                            cell.bias_hh, cell.peepholes)
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)


def test_with_1x1_kernels_on_a_1x1_image_it_is_torch_lstmcell():
    torch.manual_seed(1)
    theirs = torch.nn.LSTMCell(5, 6)
    ours = cl.ConvLSTMCell(5, 6, kernel_size=1, state_kernel_size=1)
    ours.load_state_dict({k: v.reshape(getattr(ours, k).shape)
                          for k, v in theirs.state_dict().items()})
    x, h, c = torch.randn(4, 5), torch.randn(4, 6), torch.randn(4, 6)
    state = (h[:, :, None, None], c[:, :, None, None])
    h_ours, c_ours = ours(x[:, :, None, None], state)
    h_theirs, c_theirs = theirs(x, (h, c))
    torch.testing.assert_close(h_ours[:, :, 0, 0], h_theirs)
    torch.testing.assert_close(c_ours[:, :, 0, 0], c_theirs)


def test_1x1_kernels_apply_the_lstm_at_every_pixel_independently():
    torch.manual_seed(2)
    theirs = torch.nn.LSTMCell(2, 3)
    ours = cl.ConvLSTMCell(2, 3, kernel_size=1, state_kernel_size=1)
    ours.load_state_dict({k: v.reshape(getattr(ours, k).shape)
                          for k, v in theirs.state_dict().items()})
    x = torch.randn(2, 2, 4, 5)
    h, c = ours(x)
    pixels = x.permute(0, 2, 3, 1).reshape(-1, 2)
    h_ref, c_ref = theirs(pixels)
    torch.testing.assert_close(h.permute(0, 2, 3, 1).reshape(-1, 3), h_ref)
    torch.testing.assert_close(c.permute(0, 2, 3, 1).reshape(-1, 3), c_ref)


def test_the_initialisation_for_1x1_kernels_is_lstmcells():
    torch.manual_seed(3)
    theirs = torch.nn.LSTMCell(5, 6)
    torch.manual_seed(3)
    ours = cl.ConvLSTMCell(5, 6, kernel_size=1, state_kernel_size=1)
    for name, value in theirs.state_dict().items():
        torch.testing.assert_close(getattr(ours, name).reshape(value.shape), value)


def test_gradcheck_in_float64_with_peepholes():
    cell = random_cell(C=1, H=2, k=3, ks=3, size=(3, 2)).double()
    x = torch.randn(1, 1, 3, 2, dtype=torch.float64, requires_grad=True)
    h = torch.randn(1, 2, 3, 2, dtype=torch.float64, requires_grad=True)
    c = torch.randn(1, 2, 3, 2, dtype=torch.float64, requires_grad=True)
    parameters = tuple(cell.parameters())
    names = [name for name, _ in cell.named_parameters()]

    def run(x, h, c, *params):
        state = dict(zip(names, params))
        return cl.convlstm_step(
            F.conv2d(x, state["weight_ih"], state["bias_ih"], padding=1), h, c,
            state["weight_hh"], state["bias_hh"],
            (state["weight_ci"], state["weight_cf"], state["weight_co"]),
        )

    assert torch.autograd.gradcheck(run, (x, h, c) + parameters)


def test_gradcheck_of_the_layer_over_a_sequence():
    torch.manual_seed(4)
    layer = cl.ConvLSTM(1, 1, kernel_size=3, state_kernel_size=3).double()
    x = torch.randn(3, 1, 1, 3, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: layer(x)[0], (x,))


def test_layer_runs_the_cell_step_by_step():
    torch.manual_seed(5)
    layer = cl.ConvLSTM(2, 3, kernel_size=3, state_kernel_size=5, peephole_size=(5, 4))
    x = torch.randn(6, 2, 2, 5, 4)
    outputs, (h_T, c_T) = layer(x)
    assert outputs.shape == (6, 2, 3, 5, 4)
    state = None
    for t in range(6):
        state = layer.cell(x[t], state)
        torch.testing.assert_close(outputs[t], state[0])
    torch.testing.assert_close(h_T, state[0])
    torch.testing.assert_close(c_T, state[1])
    # without input: the bias takes the input's place
    more, _ = layer(None, (h_T, c_T), steps=2)
    zero_input = layer.cell(torch.zeros(2, 2, 5, 4), (h_T, c_T))
    torch.testing.assert_close(more[0], zero_input[0])


def test_encoder_forecaster_and_fclstm_shapes_and_parameter_counts():
    model = cl.EncoderForecaster(hidden_channels=(8, 4), kernel_size=3,
                                 state_kernel_size=5, patch_size=4, frames_out=7)
    logits = model(torch.rand(10, 3, 1, 32, 32))
    assert logits.shape == (7, 3, 1, 32, 32)
    # encoder: 16 -> 8 -> 4 channels; forecaster: nothing -> 8 -> 4; readout 12 -> 16
    expected = (
        4 * 8 * (16 * 9 + 8 * 25 + 2) + 4 * 4 * (8 * 9 + 4 * 25 + 2)
        + 4 * 8 * (8 * 25 + 2) + 4 * 4 * (8 * 9 + 4 * 25 + 2) + 12 * 16 + 16
    )
    assert sum(p.numel() for p in model.parameters()) == expected
    fc = cl.FCLSTMForecaster(frame_size=16, hidden_sizes=(20,), frames_out=4)
    assert fc(torch.rand(10, 2, 1, 16, 16)).shape == (4, 2, 1, 16, 16)


def test_the_next_frame_predictor_reads_only_the_frames_so_far():
    torch.manual_seed(6)
    model = cl.NextFramePredictor(hidden_channels=3, kernel_size=3, patch_size=4)
    frames = torch.rand(6, 2, 1, 16, 16)
    logits = model(frames)
    assert logits.shape == frames.shape
    changed = frames.clone()
    changed[4:] = torch.rand(2, 2, 1, 16, 16)
    torch.testing.assert_close(model(changed)[:4], logits[:4])   # causal
    assert not torch.allclose(model(changed)[4], logits[4])
    with pytest.raises(ValueError, match="divisible by the patch size 4"):
        model(torch.zeros(3, 1, 1, 10, 10))


def test_the_forecaster_starts_from_the_encoders_final_state():
    model = cl.EncoderForecaster(hidden_channels=(3,), kernel_size=3, patch_size=2,
                                 frames_out=2)
    frames = torch.rand(4, 1, 1, 8, 8)
    _, state = model.encoder[0](F.pixel_unshuffle(frames.flatten(0, 1), 2)[:, None])
    h, _ = model.forecaster[0].cell(None, state)
    expected = F.pixel_shuffle(model.readout(h), 2)
    torch.testing.assert_close(model(frames)[0], expected)


def test_per_frame_bce_sums_pixels_and_averages_frames_and_sequences():
    logits, targets = torch.randn(3, 2, 1, 4, 4), torch.rand(3, 2, 1, 4, 4)
    pixelwise = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    torch.testing.assert_close(cl.per_frame_bce(logits, targets), pixelwise.sum() / 6)


def test_a_small_convlstm_learns_to_forecast_moving_digits():
    from rnncourse.data.moving_digits import moving_digits

    validation = torch.from_numpy(moving_digits(32, seed=9, split="validation").frames)
    model = cl.EncoderForecaster(hidden_channels=(4,), kernel_size=3, patch_size=4)
    history, state = cl.train_forecaster(model, seed=0, steps=40, batch_size=8,
                                         lr=1e-2, eval_every=20,
                                         validation=validation, progress=False)
    curve = history["eval"]["validation_bce"]
    assert curve[-1] < 0.6 * curve[0] or min(curve) < 200
    model.load_state_dict(state)
    loss = cl.per_frame_bce(model(validation[:10]), validation[10:]).item()
    assert loss == pytest.approx(min(curve), rel=1e-5)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="kernel_size must be a positive odd int"):
        cl.ConvLSTMCell(1, 2, kernel_size=2)
    with pytest.raises(ValueError, match="state_kernel_size must be a positive odd"):
        cl.ConvLSTMCell(1, 2, state_kernel_size=0)
    with pytest.raises(ValueError, match="hidden_channels must be a positive int"):
        cl.ConvLSTMCell(1, 0)
    cell = cl.ConvLSTMCell(3, 2, peephole_size=(4, 4))
    with pytest.raises(ValueError, match=r"x must have shape \(B, C, height, width\) "
                                         r"with C = 3 channels, got \(2, 1, 4, 4\)"):
        cell(torch.zeros(2, 1, 4, 4))
    with pytest.raises(ValueError, match="peepholes were made for images of size"):
        cell(torch.zeros(2, 3, 5, 4))
    with pytest.raises(ValueError, match=r"state h must have shape \(2, 2, 4, 4\)"):
        cell(torch.zeros(2, 3, 4, 4),
             (torch.zeros(2, 3, 4, 4), torch.zeros(2, 2, 4, 4)))
    with pytest.raises(ValueError, match="without input x the state is required"):
        cell(None)
    with pytest.raises(ValueError, match=r"x must have shape \(T, B, C, height, width"):
        cl.ConvLSTM(3, 2)(torch.zeros(2, 3, 4, 4))
    with pytest.raises(ValueError, match="divisible by the patch size 4"):
        cl.EncoderForecaster(patch_size=4)(torch.zeros(10, 1, 1, 30, 30))
    with pytest.raises(ValueError, match="same shape"):
        cl.per_frame_bce(torch.zeros(2, 1), torch.zeros(1, 2))
    with pytest.raises(ValueError, match="kind must be one of"):
        cl.make_shi2015_model("gru")


def test_the_checkpoint_recipes_save_what_chapter_13_loads(monkeypatch):
    monkeypatch.setattr(cl, "SHI2015_TRAINING", dict(
        steps=2, batch_size=2, lr=5e-3, clip=1.0, eval_every=1, validation_sequences=3))
    lines = []
    saved = cl._shi2015_recipe(("convlstm_1x1", "fclstm"), (4,), lines.append,
                               half=True)
    assert set(saved["models"]) == {"convlstm_1x1/4", "fclstm/4"}
    assert len(lines) == 2 and "kept step" in lines[0]
    for kind in ("convlstm_1x1", "fclstm"):
        entry = saved["models"][f"{kind}/4"]
        assert len(entry["validation_bce"]) == 2 and entry["steps"] == [1, 2]
        assert all(v.dtype == torch.float16 for v in entry["state"].values())
        model = cl.make_shi2015_model(kind, seed=4)
        model.load_state_dict({k: v.float() for k, v in entry["state"].items()})
