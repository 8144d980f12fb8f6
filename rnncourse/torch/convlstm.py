"""The convolutional LSTM of Shi et al. (2015) and their encoder–forecaster.

An FC-LSTM (the ordinary LSTM) flattens an image into a vector, so every pixel talks to
every other through ``W_ih`` and ``W_hh``, and "next to" means nothing. The ConvLSTM
keeps the state as a stack of images, ``h_t, c_t: (B, H, S₁, S₂)``, and replaces both
matrix products by convolutions (∗), so that a state location only sees its
neighbourhood, with the same weights everywhere::

    [a_i, a_f, a_g, a_o] = W_ih ∗ x_t + b_ih + W_hh ∗ h_{t−1} + b_hh
    i_t = σ(a_i + w_ci ⊙ c_{t−1})          f_t = σ(a_f + w_cf ⊙ c_{t−1})
    g_t = tanh(a_g)
    c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
    o_t = σ(a_o + w_co ⊙ c_t)              h_t = o_t ⊙ tanh(c_t)

with gate order i, f, g, o (torch's) stacked along the channel axis, "same" zero
padding (the state has the input's height and width), and optional **peepholes**
``w_ci, w_cf, w_co: (H, S₁, S₂)``, Hadamard (elementwise) products with the cell state
as in Shi et al.'s Eq. (3). Without peepholes and with 1 × 1 kernels on a 1 × 1 image
the ConvLSTM *is* ``torch.nn.LSTMCell`` (a test checks it weight for weight).

Shapes (time-major, as everywhere in the course)::

    x      (T, B, C, S₁, S₂) a sequence; (B, C, S₁, S₂) one frame
    h, c   (B, H, S₁, S₂)
    W_ih   (4H, C, k, k)       input-to-state kernel, k odd
    W_hh   (4H, H, k_s, k_s)   state-to-state kernel, k_s odd
    b_ih, b_hh  (4H,)

Contents: :func:`convlstm_step` (the equations), :class:`ConvLSTMCell` (one step, with
parameters), :class:`ConvLSTM` (one layer over a sequence), :class:`EncoderForecaster`
(Shi et al.'s Fig. 3), :class:`FCLSTMForecaster` (the same design with
``torch.nn.LSTM`` on flattened frames, the paper's baseline) and
:class:`NextFramePredictor` (one layer, one frame ahead).
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "convlstm_step",
    "ConvLSTMCell",
    "ConvLSTM",
    "EncoderForecaster",
    "FCLSTMForecaster",
    "NextFramePredictor",
    "per_frame_bce",
]


def convlstm_step(gates_x, h, c, W_hh, b_hh=None, peepholes=None):
    """One ConvLSTM step, given the input part of the gates.

    Args:
        gates_x: (B, 4H, S₁, S₂) the input part ``W_ih ∗ x + b_ih``.
        h, c: (B, H, S₁, S₂) previous hidden and cell state.
        W_hh: (4H, H, k_s, k_s) state-to-state kernel (k_s odd); b_hh: (4H,) or None.
        peepholes: None or (w_ci, w_cf, w_co), each (H, S₁, S₂).

    Returns:
        (h', c'): each (B, H, S₁, S₂).
    """
    gates = gates_x + F.conv2d(h, W_hh, b_hh, padding=W_hh.shape[-1] // 2)
    a_i, a_f, a_g, a_o = gates.chunk(4, dim=1)
    if peepholes is not None:
        w_ci, w_cf, w_co = peepholes
        a_i, a_f = a_i + w_ci * c, a_f + w_cf * c
    input_gate, forget_gate = torch.sigmoid(a_i), torch.sigmoid(a_f)
    c_next = forget_gate * c + input_gate * torch.tanh(a_g)
    if peepholes is not None:
        a_o = a_o + w_co * c_next        # the output gate peeks at the new cell state
    h_next = torch.sigmoid(a_o) * torch.tanh(c_next)
    return h_next, c_next


def _check_kernel(name, size):
    if not isinstance(size, int) or isinstance(size, bool) or size < 1 or size % 2 == 0:
        raise ValueError(
            f"{name} must be a positive odd int (so that 'same' padding keeps the "
            f"image size), got {size!r}"
        )


class ConvLSTMCell(nn.Module):
    """One ConvLSTM step with its parameters (Shi et al. 2015, Eq. 3).

    Args:
        input_channels (C; 0 for a cell without input, such as the bottom layer of a
        forecaster), hidden_channels (H), kernel_size (k, input-to-state),
        state_kernel_size (k_s, state-to-state; default k), bias,
        peephole_size: None (no peepholes) or (S₁, S₂), the image size the Hadamard
        peephole weights are made for.

    Parameters: ``weight_ih (4H, C, k, k)``, ``weight_hh (4H, H, k_s, k_s)``,
    ``bias_ih``, ``bias_hh (4H,)`` and, with peepholes, ``weight_ci``, ``weight_cf``,
    ``weight_co (H, S₁, S₂)``; all drawn from U(−1/√(H k_s²), 1/√(H k_s²)), which for
    1 × 1 kernels is torch.nn.LSTMCell's initialisation.

    Shapes:
        forward(x (B, C, S₁, S₂) or None, state (h, c) each (B, H, S₁, S₂) or None)
        -> (h', c'). ``x = None`` means no input (zeros); then ``state`` is required.
    """

    def __init__(self, input_channels, hidden_channels, kernel_size=3,
                 state_kernel_size=None, bias=True, peephole_size=None):
        super().__init__()
        if not isinstance(input_channels, int) or input_channels < 0:
            raise ValueError(
                f"input_channels must be a non-negative int, got {input_channels!r}"
            )
        if not isinstance(hidden_channels, int) or hidden_channels < 1:
            raise ValueError(
                f"hidden_channels must be a positive int, got {hidden_channels!r}"
            )
        if state_kernel_size is None:
            state_kernel_size = kernel_size
        _check_kernel("kernel_size", kernel_size)
        _check_kernel("state_kernel_size", state_kernel_size)
        self.input_channels, self.hidden_channels = input_channels, hidden_channels
        self.kernel_size, self.state_kernel_size = kernel_size, state_kernel_size
        self.bias = bias
        rows = 4 * hidden_channels
        self.weight_ih = nn.Parameter(
            torch.empty(rows, input_channels, kernel_size, kernel_size)
        )
        self.weight_hh = nn.Parameter(
            torch.empty(rows, hidden_channels, state_kernel_size, state_kernel_size)
        )
        if bias:
            self.bias_ih = nn.Parameter(torch.empty(rows))
            self.bias_hh = nn.Parameter(torch.empty(rows))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.peephole_size = None if peephole_size is None else tuple(peephole_size)
        if self.peephole_size is not None:
            if len(self.peephole_size) != 2 or min(self.peephole_size) < 1:
                raise ValueError(
                    f"peephole_size must be (height, width), got {peephole_size!r}"
                )
            for name in ("weight_ci", "weight_cf", "weight_co"):
                weight = torch.empty(hidden_channels, *self.peephole_size)
                self.register_parameter(name, nn.Parameter(weight))
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1.0 / math.sqrt(self.hidden_channels * self.state_kernel_size ** 2)
        with torch.no_grad():
            for parameter in self.parameters():
                parameter.uniform_(-bound, bound)

    def extra_repr(self):
        text = (f"{self.input_channels}, {self.hidden_channels}, "
                f"kernel_size={self.kernel_size}, "
                f"state_kernel_size={self.state_kernel_size}")
        if self.peephole_size is not None:
            text += f", peephole_size={self.peephole_size}"
        return text + ("" if self.bias else ", bias=False")

    @property
    def peepholes(self):
        if self.peephole_size is None:
            return None
        return self.weight_ci, self.weight_cf, self.weight_co

    def input_gates(self, x):
        """``W_ih ∗ x + b_ih`` for a batch of frames x: (N, C, S₁, S₂) -> (N, 4H, S₁,
        S₂)."""
        return F.conv2d(x, self.weight_ih, self.bias_ih, padding=self.kernel_size // 2)

    def check_input(self, x, name="x"):
        if x.dim() != 4 or x.shape[1] != self.input_channels:
            raise ValueError(
                f"{type(self).__name__}: {name} must have shape (B, C, height, width) "
                f"with C = {self.input_channels} channels, got {tuple(x.shape)}"
            )
        if self.peephole_size is not None and tuple(x.shape[2:]) != self.peephole_size:
            raise ValueError(
                f"{type(self).__name__}: the peepholes were made for images of size "
                f"{self.peephole_size}, got {name} of shape {tuple(x.shape)}"
            )

    def check_state(self, state, batch, spatial):
        expected = (batch, self.hidden_channels, *spatial)
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError(
                f"{type(self).__name__}: state must be a tuple (h, c) of two tensors "
                f"of shape {expected}, got {type(state).__name__}"
            )
        for value, name in zip(state, ("h", "c")):
            if tuple(value.shape) != expected:
                raise ValueError(
                    f"{type(self).__name__}: state {name} must have shape {expected} "
                    f"(B, H, height, width), got {tuple(value.shape)}"
                )

    def zero_state(self, batch, spatial, like):
        zeros = like.new_zeros(batch, self.hidden_channels, *spatial)
        return zeros, zeros

    def bias_gates(self, h):
        """The input part of the gates when there is no input: ``b_ih`` (or 0)."""
        if self.bias_ih is None:
            return h.new_zeros(h.shape[0], 4 * self.hidden_channels, *h.shape[2:])
        return self.bias_ih.view(1, -1, 1, 1).expand(
            h.shape[0], -1, *h.shape[2:]
        )

    def step(self, gates_x, state):
        h, c = state
        return convlstm_step(gates_x, h, c, self.weight_hh, self.bias_hh,
                             self.peepholes)

    def forward(self, x, state=None):
        if x is None:
            if state is None:
                raise ValueError(
                    f"{type(self).__name__}: without input x the state is required"
                )
            self.check_state(state, state[0].shape[0], tuple(state[0].shape[2:]))
            return self.step(self.bias_gates(state[0]), state)
        self.check_input(x)
        spatial = tuple(x.shape[2:])
        if state is None:
            state = self.zero_state(x.shape[0], spatial, x)
        self.check_state(state, x.shape[0], spatial)
        return self.step(self.input_gates(x), state)


class ConvLSTM(nn.Module):
    """One ConvLSTM layer over a whole sequence.

    Args: as :class:`ConvLSTMCell`. The input part of the gates is computed for all T
    frames with one convolution; the state-to-state part one step at a time.

    Shapes:
        forward(x (T, B, C, S₁, S₂), state (h, c) or None)
        -> (outputs (T, B, H, S₁, S₂), (h_T, c_T)).
        forward(None, state, steps=n) runs n steps without input (a forecaster).
    """

    def __init__(self, input_channels, hidden_channels, kernel_size=3,
                 state_kernel_size=None, bias=True, peephole_size=None):
        super().__init__()
        self.cell = ConvLSTMCell(input_channels, hidden_channels, kernel_size,
                                 state_kernel_size, bias, peephole_size)

    def forward(self, x, state=None, steps=None):
        cell = self.cell
        if x is None:
            if state is None or steps is None or steps < 1:
                raise ValueError(
                    "ConvLSTM without input needs a state (h, c) and steps >= 1"
                )
            cell.check_state(state, state[0].shape[0], tuple(state[0].shape[2:]))
            gates = cell.bias_gates(state[0])
            all_gates = [gates] * steps
        else:
            if x.dim() != 5:
                raise ValueError(
                    "ConvLSTM: x must have shape (T, B, C, height, width), got "
                    f"{tuple(x.shape)}"
                )
            T, B = x.shape[:2]
            cell.check_input(x[0])
            if state is None:
                state = cell.zero_state(B, tuple(x.shape[3:]), x)
            cell.check_state(state, B, tuple(x.shape[3:]))
            all_gates = cell.input_gates(x.flatten(0, 1)).unflatten(0, (T, B))
        outputs = []
        for gates in all_gates:
            state = cell.step(gates, state)
            outputs.append(state[0])
        return torch.stack(outputs), state


def per_frame_bce(logits, targets):
    """Binary cross-entropy summed over the pixels of a frame, averaged over frames and
    sequences (Shi et al. report the sum over a sequence's 10 frames: 10 × this).

    logits, targets: (T, B, C, S₁, S₂), targets in [0, 1]. Returns a scalar tensor.
    """
    if logits.shape != targets.shape:
        raise ValueError(
            f"logits and targets must have the same shape, got {tuple(logits.shape)} "
            f"and {tuple(targets.shape)}"
        )
    bce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    return bce.flatten(2).sum(-1).mean()


class EncoderForecaster(nn.Module):
    """Shi et al.'s (2015) encoder–forecaster of stacked ConvLSTM layers (their
    Fig. 3).

    Frames are cut into ``patch_size``² patches first (each p × p block of pixels
    becomes p² channels of one location, Shi et al.'s "patches"), so that a kernel of
    size k sees k·p pixels. The **encoder** reads the input frames; its final states
    (h, c) of every layer are **copied** into the forecaster, whose layers have the same
    sizes and whose bottom layer has no input. At each future step the hidden states
    of all forecaster layers are concatenated and a 1 × 1 convolution turns them into
    one patch per location: the logits of the next frame.

    Args:
        channels (C of a frame), hidden_channels (one H per layer), kernel_size,
        state_kernel_size (default kernel_size), patch_size, frames_out,
        peephole_size: (S₁, S₂) of the *patched* frames to use peepholes, or None.

    Shapes:
        forward(inputs (T_in, B, C, S, S)) -> logits (frames_out, B, C, S, S); the
        predicted frames are their sigmoid.
    """

    def __init__(self, channels=1, hidden_channels=(16,), kernel_size=5,
                 state_kernel_size=None, patch_size=2, frames_out=10,
                 peephole_size=None):
        super().__init__()
        hidden_channels = tuple(hidden_channels)
        if not hidden_channels:
            raise ValueError("hidden_channels needs at least one layer")
        self.patch_size, self.frames_out = patch_size, frames_out
        patched = channels * patch_size ** 2
        below_encoder = (patched,) + hidden_channels[:-1]
        below_forecaster = (0,) + hidden_channels[:-1]      # the bottom layer: no input
        args = dict(kernel_size=kernel_size, state_kernel_size=state_kernel_size,
                    peephole_size=peephole_size)
        self.encoder = nn.ModuleList(
            ConvLSTM(c, h, **args) for c, h in zip(below_encoder, hidden_channels)
        )
        self.forecaster = nn.ModuleList(
            ConvLSTM(c, h, **args) for c, h in zip(below_forecaster, hidden_channels)
        )
        self.readout = nn.Conv2d(sum(hidden_channels), patched, kernel_size=1)

    def forward(self, inputs):
        if inputs.dim() != 5 or inputs.shape[-1] % self.patch_size:
            raise ValueError(
                "inputs must have shape (T, B, C, S, S) with S divisible by the patch "
                f"size {self.patch_size}, got {tuple(inputs.shape)}"
            )
        T, B = inputs.shape[:2]
        x = F.pixel_unshuffle(inputs.flatten(0, 1), self.patch_size)
        x = x.unflatten(0, (T, B))
        states = []
        for layer in self.encoder:
            x, state = layer(x, None)
            states.append(state)
        outputs = []
        x = None
        for layer, state in zip(self.forecaster, states):
            x, _ = layer(x, state, steps=self.frames_out)
            outputs.append(x)
        hidden = torch.cat(outputs, dim=2).flatten(0, 1)
        logits = F.pixel_shuffle(self.readout(hidden), self.patch_size)
        return logits.unflatten(0, (self.frames_out, B))


class NextFramePredictor(nn.Module):
    """One ConvLSTM layer that predicts, at every step, the *next* frame from the frames
    seen so far (Srivastava et al.'s "future predictor" one step ahead, without the
    encoder–forecaster split): the small model of chapter 13's assignment.

    Frames are cut into ``patch_size``² patches as in :class:`EncoderForecaster`; a
    1 × 1 convolution turns each hidden state into the logits of the next frame.

    Args: channels, hidden_channels (H), kernel_size (both kernels), patch_size.

    Shapes:
        forward(frames (T, B, C, S, S)) -> logits (T, B, C, S, S), entry t predicting
        frame t + 1.
    """

    def __init__(self, channels=1, hidden_channels=8, kernel_size=3, patch_size=4):
        super().__init__()
        self.patch_size = patch_size
        patched = channels * patch_size ** 2
        self.layer = ConvLSTM(patched, hidden_channels, kernel_size)
        self.readout = nn.Conv2d(hidden_channels, patched, kernel_size=1)

    def forward(self, frames):
        if frames.dim() != 5 or frames.shape[-1] % self.patch_size:
            raise ValueError(
                "frames must have shape (T, B, C, S, S) with S divisible by the patch "
                f"size {self.patch_size}, got {tuple(frames.shape)}"
            )
        T, B = frames.shape[:2]
        x = F.pixel_unshuffle(frames.flatten(0, 1), self.patch_size)
        hidden, _ = self.layer(x.unflatten(0, (T, B)))
        logits = F.pixel_shuffle(self.readout(hidden.flatten(0, 1)), self.patch_size)
        return logits.unflatten(0, (T, B))


class FCLSTMForecaster(nn.Module):
    """The same encoder–forecaster with fully connected LSTMs (``torch.nn.LSTM``) on
    flattened frames: Shi et al.'s FC-LSTM baseline.

    Args:
        frame_size (S: frames are C × S × S), channels (C), hidden_sizes (one H per
        layer), frames_out.
    The forecaster's bottom layer reads a constant zero input of size 1 (an
    ``nn.LSTM`` needs one); its 4H input weights multiply zeros and never change.

    Shapes:
        forward(inputs (T_in, B, C, S, S)) -> logits (frames_out, B, C, S, S).
    """

    def __init__(self, frame_size=32, channels=1, hidden_sizes=(256,), frames_out=10):
        super().__init__()
        hidden_sizes = tuple(hidden_sizes)
        if not hidden_sizes:
            raise ValueError("hidden_sizes needs at least one layer")
        self.frame_shape = (channels, frame_size, frame_size)
        self.frames_out = frames_out
        pixels = channels * frame_size ** 2
        self.encoder = nn.ModuleList(
            nn.LSTM(d, h) for d, h in zip((pixels,) + hidden_sizes[:-1], hidden_sizes)
        )
        self.forecaster = nn.ModuleList(
            nn.LSTM(d, h) for d, h in zip((1,) + hidden_sizes[:-1], hidden_sizes)
        )
        self.readout = nn.Linear(sum(hidden_sizes), pixels)

    def forward(self, inputs):
        if inputs.dim() != 5 or tuple(inputs.shape[2:]) != self.frame_shape:
            raise ValueError(
                f"inputs must have shape (T, B, {', '.join(map(str, self.frame_shape))}"
                f"), got {tuple(inputs.shape)}"
            )
        T, B = inputs.shape[:2]
        x = inputs.flatten(2)
        states = []
        for layer in self.encoder:
            x, state = layer(x)
            states.append(state)
        x = inputs.new_zeros(self.frames_out, B, 1)
        outputs = []
        for layer, state in zip(self.forecaster, states):
            x, _ = layer(x, state)
            outputs.append(x)
        logits = self.readout(torch.cat(outputs, dim=-1))
        return logits.unflatten(2, self.frame_shape)


# --------------------------------------------------------------------------------------
# The reproduction of Shi et al. (2015), Table 1, at CPU scale (chapter 13)
# --------------------------------------------------------------------------------------

# The three models of the comparison: the names of chapter 13's table.
SHI2015_MODELS = {
    # ConvLSTM, input-to-state 3 × 3 and state-to-state 3 × 3, 16 channels, 4 × 4
    # patches (Shi et al. also cut their 64 × 64 frames into 4 × 4 patches)
    "convlstm": dict(hidden_channels=(16,), kernel_size=3, state_kernel_size=3,
                     patch_size=4),
    # the same with a 1 × 1 state-to-state kernel (their "ConvLSTM(9×9)-1×1")
    "convlstm_1x1": dict(hidden_channels=(16,), kernel_size=3, state_kernel_size=1,
                         patch_size=4),
    # the FC-LSTM baseline on flattened 32 × 32 frames, 128 hidden units
    "fclstm": dict(hidden_sizes=(128,)),
}
SHI2015_TRAINING = dict(steps=2000, batch_size=16, lr=5e-3, clip=1.0, eval_every=100,
                        validation_sequences=500)


def make_shi2015_model(kind, seed=0):
    """A fresh model of one of :data:`SHI2015_MODELS`, initialised from ``seed``."""
    if kind not in SHI2015_MODELS:
        raise ValueError(f"kind must be one of {sorted(SHI2015_MODELS)}, got {kind!r}")
    torch.manual_seed(seed)
    if kind == "fclstm":
        return FCLSTMForecaster(frame_size=32, **SHI2015_MODELS[kind])
    return EncoderForecaster(**SHI2015_MODELS[kind])


def train_forecaster(model, *, seed=0, steps=2000, batch_size=16, lr=5e-3, clip=1.0,
                     eval_every=100, validation=None, progress=True, desc=None,
                     num_threads=1):
    """Train an encoder–forecaster on fresh moving-digit sequences and keep the state
    with the lowest validation loss (early stopping, as Shi et al. did).

    Every step draws ``batch_size`` new sequences from the *training* digits (seeded by
    ``seed``), so the model never sees a sequence twice; the loss is
    :func:`per_frame_bce` of the 10 predicted frames. ``validation``: frames
    (20, N, 1, 32, 32) from the validation digits, evaluated every ``eval_every``
    steps. Returns (history, best_state): the history of :func:`rnncourse.train.train`
    and the state_dict with the best validation loss (the last one without
    ``validation``).
    """
    from rnncourse.data.moving_digits import FRAMES_IN, moving_digits
    from rnncourse.train import train

    def batches(step, rng):
        frames = moving_digits(batch_size, rng=rng, split="train").frames
        return torch.from_numpy(frames)

    def loss_fn(model, frames):
        return per_frame_bce(model(frames[:FRAMES_IN]), frames[FRAMES_IN:])

    best = {"loss": float("inf"), "state": None}

    def evaluate(model):
        loss = per_frame_bce(model(validation[:FRAMES_IN]), validation[FRAMES_IN:])
        if loss.item() < best["loss"]:
            best["loss"] = loss.item()
            best["state"] = {k: v.clone() for k, v in model.state_dict().items()}
        return {"validation_bce": loss.item()}

    history = train(model, loss_fn, batches, steps=steps, lr=lr, clip=clip, seed=seed,
                    evaluate=None if validation is None else evaluate,
                    eval_every=None if validation is None else eval_every,
                    num_threads=num_threads, progress=progress, desc=desc)
    if best["state"] is None:
        best["state"] = {k: v.clone() for k, v in model.state_dict().items()}
    return history, best["state"]


def _shi2015_recipe(kinds, seeds, log, half=False):
    from rnncourse.data.moving_digits import moving_digits

    settings = SHI2015_TRAINING
    validation = torch.from_numpy(
        moving_digits(settings["validation_sequences"], seed=2015,
                      split="validation").frames
    )
    saved = {"settings": dict(settings), "models": {}}
    for kind in kinds:
        for seed in seeds:
            model = make_shi2015_model(kind, seed)
            history, state = train_forecaster(
                model, seed=seed, steps=settings["steps"],
                batch_size=settings["batch_size"], lr=settings["lr"],
                clip=settings["clip"], eval_every=settings["eval_every"],
                validation=validation, progress=False,
            )
            curve = history["eval"]["validation_bce"]
            best = min(range(len(curve)), key=curve.__getitem__)
            log(f"{kind} seed {seed}: {sum(p.numel() for p in model.parameters())} "
                f"parameters, {history['steps']} steps in {history['seconds']:.0f} s; "
                f"validation BCE per frame every {settings['eval_every']} steps: "
                + " ".join(f"{v:.1f}" for v in curve)
                + f"; kept step {history['eval']['step'][best]} ({curve[best]:.2f})")
            if half:    # the FC-LSTM's 0.8 M weights: float16 halves the file
                state = {k: v.half() for k, v in state.items()}
            saved["models"][f"{kind}/{seed}"] = {
                "state": state, "validation_bce": curve,
                "steps": history["eval"]["step"], "loss": history["loss"][::10],
            }
    return saved


SHI2015_SEEDS = (0, 1, 2)


def shi2015_convlstm_seed0_recipe(log):
    """Checkpoint ``shi2015_convlstm_seed0``: both ConvLSTMs (3 × 3 and 1 × 1 state
    kernels) of seed 0."""
    return _shi2015_recipe(("convlstm", "convlstm_1x1"), (0,), log)


def shi2015_convlstm_seed1_recipe(log):
    """Checkpoint ``shi2015_convlstm_seed1`` (as seed 0)."""
    return _shi2015_recipe(("convlstm", "convlstm_1x1"), (1,), log)


def shi2015_convlstm_seed2_recipe(log):
    """Checkpoint ``shi2015_convlstm_seed2`` (as seed 0)."""
    return _shi2015_recipe(("convlstm", "convlstm_1x1"), (2,), log)


def shi2015_fclstm_seed0_recipe(log):
    """Checkpoint ``shi2015_fclstm_seed0``: the FC-LSTM of seed 0, weights in float16
    (its 0.8 M weights would take 3 MB in float32; the shipped limit is 2 MB)."""
    return _shi2015_recipe(("fclstm",), (0,), log, half=True)


def shi2015_fclstm_seed1_recipe(log):
    """Checkpoint ``shi2015_fclstm_seed1`` (as seed 0)."""
    return _shi2015_recipe(("fclstm",), (1,), log, half=True)


def shi2015_fclstm_seed2_recipe(log):
    """Checkpoint ``shi2015_fclstm_seed2`` (as seed 0)."""
    return _shi2015_recipe(("fclstm",), (2,), log, half=True)
