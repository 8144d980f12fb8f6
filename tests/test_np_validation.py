"""Bad input to rnncourse.np's RNN, LSTM and GRU raises a ValueError that teaches:
it names the argument, the shape it should have and the shape it got."""

import numpy as np
import pytest

import rnncourse.np as rnp

T, B, D, H = 2, 3, 5, 4


def z(*shape):
    return np.zeros(shape)


def weights(G, H=H, D=D):
    return [z(G * H, D), z(G * H, H), z(G * H), z(G * H)]


def replace(args, index, value):
    args = list(args)
    args[index] = value
    return args


LSTM_SEQ = [z(T, B, D), z(B, H), z(B, H), *weights(4)]
LSTM_STEP = [z(B, D), z(B, H), z(B, H), *weights(4)]
GRU_SEQ = [z(T, B, D), z(B, H), *weights(3)]
GRU_STEP = [z(B, D), z(B, H), *weights(3)]
RNN_SEQ = [z(T, B, D), z(B, H), *weights(1)]
RNN_STEP = [z(B, D), z(B, H), *weights(1)]

# (function, arguments, what the message must contain)
CASES = {
    "x without time axis": (
        rnp.lstm_forward,
        replace(LSTM_SEQ, 0, z(B, D)),
        ["x must be a 3-d array", "(T, B, D)", "(3, 5)", "lstm_step_forward"],
    ),
    "x of a sequence to a step": (
        rnp.rnn_step_forward,
        replace(RNN_STEP, 0, z(T, B, D)),
        ["x must be a 2-d array", "(B, D)", "(2, 3, 5)", "rnn_forward"],
    ),
    "h0 of wrong rank": (
        rnp.rnn_forward,
        replace(RNN_SEQ, 1, z(H)),
        ["h0 must be a 2-d array", "(B, H)", "(4,)"],
    ),
    "W_ih of a GRU given to an LSTM": (
        rnp.lstm_forward,
        replace(LSTM_SEQ, 3, z(3 * H, D)),
        [
            "W_ih must have shape (4*H, D) = (16, 5)",
            "LSTM with hidden size 4 and input size 5",
            "got (12, 5)",
            "layout of a GRU",
        ],
    ),
    "W_hh of an LSTM given to a GRU": (
        rnp.gru_forward,
        replace(GRU_SEQ, 3, z(4 * H, H)),
        [
            "W_hh must have shape (3*H, H) = (12, 4)",
            "GRU with hidden size 4",
            "got (16, 4)",
            "layout of an LSTM",
        ],
    ),
    "GRU weights given to an RNN step": (
        rnp.rnn_step_forward,
        replace(RNN_STEP, 2, z(3 * H, D)),
        ["W_ih must have shape (H, D) = (4, 5)", "got (12, 5)"],
    ),
    "b_ih of wrong length": (
        rnp.rnn_forward,
        replace(RNN_SEQ, 4, z(H + 1)),
        ["b_ih must have shape (H,) = (4,)", "got (5,)"],
    ),
    "b_hh as a column": (
        rnp.lstm_step_forward,
        replace(LSTM_STEP, 6, z(4 * H, 1)),
        ["b_hh must be a 1-d array", "(4*H,)", "(16, 1)"],
    ),
    "W_hh transposed": (
        rnp.gru_step_forward,
        replace(GRU_STEP, 3, z(H, 3 * H)),
        ["W_hh must have shape (3*H, H) = (12, 4)", "got (4, 12)", "transposed"],
    ),
    "input size mismatch": (
        rnp.lstm_forward,
        replace(LSTM_SEQ, 3, z(4 * H, D + 1)),
        ["W_ih must have shape (4*H, D) = (16, 5)", "input size 5", "got (16, 6)"],
    ),
    "batch of h0 differs from x": (
        rnp.rnn_forward,
        replace(RNN_SEQ, 1, z(B + 1, H)),
        ["h0 must have shape (B, H) = (3, 4)", "batch size B = 3 from x", "got (4, 4)"],
    ),
    "batch of c0 differs from x": (
        rnp.lstm_forward,
        replace(LSTM_SEQ, 2, z(B - 1, H)),
        ["c0 must have shape (B, H) = (3, 4)", "got (2, 4)"],
    ),
    "hidden size of c_prev differs from h_prev": (
        rnp.lstm_step_forward,
        replace(LSTM_STEP, 2, z(B, H + 1)),
        [
            "c_prev must have shape (B, H) = (3, 4)",
            "hidden size H = 4 from h_prev",
            "got (3, 5)",
        ],
    ),
    "batch of h_prev differs from x (GRU step)": (
        rnp.gru_step_forward,
        replace(GRU_STEP, 1, z(B + 2, H)),
        ["h_prev must have shape (B, H) = (3, 4)", "got (5, 4)"],
    ),
    "Cho GRU with LSTM biases": (
        rnp.gru_cho_step_forward,
        replace(GRU_STEP, 4, z(4 * H)),
        ["b_ih must have shape (3*H,) = (12,)", "got (16,)"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_forward_input_raises_value_error_naming_argument_and_shapes(case):
    function, args, fragments = CASES[case]
    with pytest.raises(ValueError) as error:
        function(*args)
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_the_documented_lstm_example_message():
    H, D, B = 128, 64, 2
    W_hh_transposed = z(H, 4 * H)
    with pytest.raises(ValueError) as error:
        rnp.lstm_forward(
            z(3, B, D),
            z(B, H),
            z(B, H),
            z(4 * H, D),
            W_hh_transposed,
            z(4 * H),
            z(4 * H),
        )
    assert str(error.value).startswith(
        "W_hh must have shape (4*H, H) = (512, 128) for an LSTM with hidden "
        "size 128, got (128, 512)"
    )


@pytest.mark.parametrize("function,args", [
    (rnp.rnn_forward, RNN_SEQ),
    (rnp.rnn_step_forward, RNN_STEP),
])
@pytest.mark.parametrize("nonlinearity", ["sigmoid", "Tanh", None])
def test_unknown_nonlinearity_raises_value_error(function, args, nonlinearity):
    with pytest.raises(ValueError, match=r"nonlinearity must be 'tanh' or 'relu', got"):
        function(*args, nonlinearity=nonlinearity)


def _caches():
    return {
        "rnn": rnp.rnn_forward(*RNN_SEQ)[1],
        "lstm": rnp.lstm_forward(*LSTM_SEQ)[2],
        "gru": rnp.gru_forward(*GRU_SEQ)[1],
        "rnn_step": rnp.rnn_step_forward(*RNN_STEP)[1],
        "lstm_step": rnp.lstm_step_forward(*LSTM_STEP)[2],
        "gru_step": rnp.gru_step_forward(*GRU_STEP)[1],
        "gru_cho_step": rnp.gru_cho_step_forward(*GRU_STEP)[1],
    }


BACKWARD_CASES = {  # name: (call(caches), fragments)
    "dout missing a step": (
        lambda c: rnp.rnn_backward(z(T - 1, B, H), c["rnn"]),
        ["dout", f"({T}, {B}, {H})", f"got ({T - 1}, {B}, {H})"],
    ),
    "dout of the wrong hidden size": (
        lambda c: rnp.gru_backward(z(T, B, H + 1), c["gru"]),
        ["dout", f"({T}, {B}, {H})", f"got ({T}, {B}, {H + 1})"],
    ),
    "dc_T transposed": (
        lambda c: rnp.lstm_backward(z(T, B, H), c["lstm"], dc_T=z(H, B)),
        ["dc_T", f"({B}, {H})", f"got ({H}, {B})"],
    ),
    "dh of a sequence to a step": (
        lambda c: rnp.lstm_step_backward(z(T, B, H), None, c["lstm_step"]),
        ["dh", f"({B}, {H})", f"got ({T}, {B}, {H})"],
    ),
    "dc of the wrong batch": (
        lambda c: rnp.lstm_step_backward(z(B, H), z(1, H), c["lstm_step"]),
        ["dc", f"({B}, {H})", f"got (1, {H})"],
    ),
    "dh of the wrong size (GRU step)": (
        lambda c: rnp.gru_step_backward(z(B, 1), c["gru_step"]),
        ["dh", f"({B}, {H})", "got (3, 1)"],
    ),
    "an RNN cache to lstm_backward": (
        lambda c: rnp.lstm_backward(z(T, B, H), c["rnn"]),
        ["lstm_backward needs the cache returned by lstm_forward", "RNN"],
    ),
    "a torch-GRU step cache to the Cho backward": (
        lambda c: rnp.gru_cho_step_backward(z(B, H), c["gru_step"]),
        ["gru_cho_step_backward needs the cache returned by gru_cho_step_forward"],
    ),
    "a sequence cache to a step backward": (
        lambda c: rnp.rnn_step_backward(z(B, H), c["rnn"]),
        ["rnn_step_backward needs the cache returned by rnn_step_forward"],
    ),
    "something that is not a cache": (
        lambda c: rnp.gru_backward(z(T, B, H), (1, 2)),
        ["gru_backward needs the cache returned by gru_forward", "tuple"],
    ),
}


@pytest.mark.parametrize("case", list(BACKWARD_CASES))
def test_bad_backward_input_raises_value_error_naming_argument_and_shapes(case):
    call, fragments = BACKWARD_CASES[case]
    caches = _caches()
    with pytest.raises(ValueError) as error:
        call(caches)
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_valid_inputs_given_as_nested_lists_are_accepted():
    out, cache = rnp.rnn_forward(*[a.tolist() for a in RNN_SEQ])
    assert out.dtype == np.float64 and out.shape == (T, B, H)
    assert rnp.rnn_backward(np.ones((T, B, H)), cache)["x"].shape == (T, B, D)
