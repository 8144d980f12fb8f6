"""Wrong and alternative answers for the 09_deep_bidirectional assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS:
plausible wrong answers, several per part, each of which must lose points on its part
only (tests/test_grading_mutants.py); ALTERNATIVES: correct answers written the way
other learners would, each of which must get full marks. All map an answer cell's
grade_id to complete replacements for that cell.
"""

# --- Part 1: a bidirectional layer from two one-directional passes ---------------------


_STATES = "(torch.cat([forward_h, backward_h]), torch.cat([forward_c, backward_c]))"


def _bidirectional(backward_call="backward(x.flip(0))",
                   output="[forward_out, backward_out.flip(0)]", states=_STATES,
                   extra=""):
    """The solution's two passes with one of its lines replaced."""
    return f'''
def bidirectional_lstm(x, forward, backward):
    forward_out, (forward_h, forward_c) = forward(x)
    backward_out, (backward_h, backward_c) = {backward_call}
    output = torch.cat({output}, dim=2){extra}
    return output, {states}
'''


_NOT_FLIPPED_BACK = _bidirectional(output="[forward_out, backward_out]")

# --- Part 2: lstm_layers and stacked_lstm -----------------------------------------------


def _layers(input_size="lstm.input_size if layer == 0 else directions * lstm.hidden_size",
            bidirectional="lstm.bidirectional", load=True, keep="", result="layers"):
    loading = '''
        module.load_state_dict({
            name.replace(suffix, "_l0"): value for name, value in weights.items()
            if name.endswith(suffix) or name.endswith(suffix + "_reverse")''' + keep + '''})
''' if load else "\n"
    return f'''
def lstm_layers(lstm):
    directions = 2 if lstm.bidirectional else 1
    weights = lstm.state_dict()
    layers = []
    for layer in range(lstm.num_layers):
        input_size = {input_size}
        module = torch.nn.LSTM(input_size, lstm.hidden_size,
                               bidirectional={bidirectional})
        suffix = f"_l{{layer}}"''' + loading + f'''        layers.append(module)
    return {result}
'''


def _stack(body):
    return '''
def stacked_lstm(x, layers):
''' + body


_STACK = _stack('''
    finals_h, finals_c = [], []
    for layer in layers:
        x, (h_n, c_n) = layer(x)
        finals_h.append(h_n)
        finals_c.append(c_n)
    return x, (torch.cat(finals_h), torch.cat(finals_c))
''')

_LAYERS = _layers()

_TOP_STATE_ONLY = _LAYERS + _stack('''
    for layer in layers:
        x, (h_n, c_n) = layer(x)
    return x, (h_n, c_n)
''')

# --- Part 3: train a bidirectional RNN ----------------------------------------------------

_TAGGER = '''
class BidirectionalTagger(torch.nn.Module):
    def __init__(self, hidden_size=16):
        super().__init__()
        self.rnn = torch.nn.RNN(1, hidden_size, bidirectional=True)
        self.readout = torch.nn.Linear(2 * hidden_size, 1)

    def forward(self, x):
        states, _ = self.rnn(x)
        return self.readout(states)[..., 0]
'''


def _fit(loop_body, model="BidirectionalTagger()",
         optimizer="torch.optim.Adam(model.parameters(), lr=0.02)", steps=150):
    return f'''
def fit_brnn(seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = {model}
    optimizer = {optimizer}
    for step in range({steps}):
''' + loop_body + '''
    return model
'''


_STEP = '''
        x, y = past_future_window(32, 30, 5, 5, rng)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

WRONG_ANSWERS = {
    # the backward direction's outputs left in reversed time order
    "bidirectional_lstm": _NOT_FLIPPED_BACK,
    # only the top layer's final states
    "stacked_lstm": _TOP_STATE_ONLY,
    # never updates the weights: an untrained network is at chance
    "fit_brnn": _TAGGER + _fit(_STEP.replace("        optimizer.step()\n", "")),
}

MUTANTS = {
    "bidirectional_lstm": [
        ("backward-output-not-flipped-back", _NOT_FLIPPED_BACK),
        ("backward-reads-x-unreversed", _bidirectional(backward_call="backward(x)")),
        ("backward-half-first",
         _bidirectional(output="[backward_out.flip(0), forward_out]")),
        # the classic bug: the backward direction's summary taken at the last step
        ("h_n-from-the-last-output", _bidirectional(
            extra="\n    H = forward_out.shape[2]",
            states="(torch.stack([output[-1, :, :H], output[-1, :, H:]]), "
                   "torch.cat([forward_c, backward_c]))")),
        ("reversed-the-batch-not-time", _bidirectional(
            backward_call="backward(x.flip(1))",
            output="[forward_out, backward_out.flip(1)]")),
        ("forward-module-for-both", _bidirectional(backward_call="forward(x.flip(0))")),
        ("c_n-is-h_n", _bidirectional(
            states="(torch.cat([forward_h, backward_h]), torch.cat([forward_h, backward_h]))")),
        ("h_n-concatenated-along-features", _bidirectional(
            states="(torch.cat([forward_h, backward_h], dim=2), "
                   "torch.cat([forward_c, backward_c], dim=2))")),
    ],
    "stacked_lstm": [
        ("top-layer-states-only", _TOP_STATE_ONLY),
        ("every-layer-reads-D-inputs", _layers(input_size="lstm.input_size") + _STACK),
        ("higher-layers-read-H-when-bidirectional",
         _layers(input_size="lstm.input_size if layer == 0 else lstm.hidden_size")
         + _STACK),
        ("one-directional-layers",
         _layers(bidirectional="False", keep=' and "reverse" not in name') + _STACK),
        ("layers-in-reverse-order", _layers(result="layers[::-1]") + _STACK),
        ("weights-not-loaded", _layers(load=False) + _STACK),
        ("states-top-layer-first", _LAYERS + _STACK.replace(
            ".append(h_n)", ".insert(0, h_n)").replace(".append(c_n)", ".insert(0, c_n)")),
        ("states-with-torch-stack", _LAYERS + _STACK.replace("torch.cat(", "torch.stack(")),
        ("every-layer-reads-x", _LAYERS + _STACK.replace(
            "x, (h_n, c_n) = layer(x)", "output, (h_n, c_n) = layer(x)").replace(
            "return x,", "return output,")),
        ("output-of-the-first-layer", _LAYERS + _STACK.replace(
            "finals_h, finals_c = [], []", "finals_h, finals_c, outputs = [], [], []"
        ).replace("        finals_h.append(h_n)", "        outputs.append(x)\n"
                  "        finals_h.append(h_n)").replace("return x,", "return outputs[0],")),
    ],
    "fit_brnn": [
        ("never-steps-the-optimiser", WRONG_ANSWERS["fit_brnn"]),
        ("readout-of-the-forward-half", _TAGGER.replace(
            "torch.nn.Linear(2 * hidden_size, 1)", "torch.nn.Linear(hidden_size, 1)"
        ).replace("self.readout(states)", "self.readout(states[..., :16])") + _fit(_STEP)),
        ("readout-of-the-backward-half", _TAGGER.replace(
            "torch.nn.Linear(2 * hidden_size, 1)", "torch.nn.Linear(hidden_size, 1)"
        ).replace("self.readout(states)", "self.readout(states[..., 16:])") + _fit(_STEP)),
        ("batch-first-on-time-major-input", _TAGGER.replace(
            "bidirectional=True)", "bidirectional=True, batch_first=True)") + _fit(_STEP)),
        ("labels-of-another-batch", _TAGGER + _fit('''
        x, _ = past_future_window(32, 30, 5, 5, rng)
        _, y = past_future_window(32, 30, 5, 5, rng)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
''')),
        ("learning-rate-far-too-small", _TAGGER + _fit(
            _STEP, optimizer="torch.optim.Adam(model.parameters(), lr=1e-5)")),
        ("ten-steps", _TAGGER + _fit(_STEP, steps=10)),
        ("one-directional-rnn", _TAGGER.replace(
            "bidirectional=True", "bidirectional=False").replace(
            "2 * hidden_size", "hidden_size") + _fit(_STEP)),
    ],
}

ALTERNATIVES = {
    "bidirectional_lstm": [
        # reversal by an index tensor, the final states stacked row by row
        ("arange-index-and-stack", '''
def bidirectional_lstm(x, forward, backward):
    reverse = torch.arange(x.shape[0] - 1, -1, -1)
    f_out, (f_h, f_c) = forward(x)
    b_out, (b_h, b_c) = backward(x[reverse])
    output = torch.cat((f_out, b_out[reverse]), dim=-1)
    return output, (torch.stack([f_h[0], b_h[0]]), torch.stack([f_c[0], b_c[0]]))
'''),
        # the backward module one step at a time, carrying its state
        ("backward-step-by-step", '''
def bidirectional_lstm(x, forward, backward):
    forward_out, (forward_h, forward_c) = forward(x)
    state = None
    backward_steps = [None] * x.shape[0]
    for t in reversed(range(x.shape[0])):
        out, state = backward(x[t:t + 1], state)
        backward_steps[t] = out[0]
    backward_out = torch.stack(backward_steps)
    output = torch.cat([forward_out, backward_out], dim=2)
    h_n = torch.cat([forward_h, state[0]], dim=0)
    c_n = torch.cat([forward_c, state[1]], dim=0)
    return output, (h_n, c_n)
'''),
        # the LSTM equations by hand from each module's weights (gate order i, f, g, o)
        ("gates-by-hand", '''
def _one_direction(x, lstm, reverse):
    W_ih, W_hh = lstm.weight_ih_l0, lstm.weight_hh_l0
    b = lstm.bias_ih_l0 + lstm.bias_hh_l0
    H = W_hh.shape[1]
    h = x.new_zeros(x.shape[1], H)
    c = x.new_zeros(x.shape[1], H)
    states = [None] * x.shape[0]
    steps = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
    for t in steps:
        a = x[t] @ W_ih.T + h @ W_hh.T + b
        i, f = torch.sigmoid(a[:, :H]), torch.sigmoid(a[:, H:2 * H])
        g, o = torch.tanh(a[:, 2 * H:3 * H]), torch.sigmoid(a[:, 3 * H:])
        c = f * c + i * g
        h = o * torch.tanh(c)
        states[t] = h
    return torch.stack(states), h, c


def bidirectional_lstm(x, forward, backward):
    f_out, f_h, f_c = _one_direction(x, forward, reverse=False)
    b_out, b_h, b_c = _one_direction(x, backward, reverse=True)
    return torch.cat([f_out, b_out], 2), (torch.stack([f_h, b_h]), torch.stack([f_c, b_c]))
'''),
        # unbind and reversed(), concatenation on the last axis
        ("unbind-reversed", '''
def bidirectional_lstm(x, forward, backward):
    def backwards_in_time(seq):
        return torch.stack(list(reversed(seq.unbind(0))))

    outputs_f, states_f = forward(x)
    outputs_b, states_b = backward(backwards_in_time(x))
    output = torch.cat([outputs_f, backwards_in_time(outputs_b)], -1)
    h_n, c_n = (torch.cat([a, b]) for a, b in zip(states_f, states_b))
    return output, (h_n, c_n)
'''),
    ],
    "stacked_lstm": [
        # parameters copied one by one with getattr, a reduce-free while loop
        ("copy-parameters", '''
def lstm_layers(lstm):
    layers = []
    width = lstm.hidden_size * (2 if lstm.bidirectional else 1)
    for l in range(lstm.num_layers):
        module = torch.nn.LSTM(lstm.input_size if l == 0 else width, lstm.hidden_size,
                               num_layers=1, bidirectional=lstm.bidirectional)
        with torch.no_grad():
            for name, parameter in module.named_parameters():
                parameter.copy_(getattr(lstm, name.replace("_l0", f"_l{l}")))
        layers.append(module)
    return layers


def stacked_lstm(x, layers):
    hs, cs = [], []
    k = 0
    while k < len(layers):
        x, (h, c) = layers[k](x)
        hs.append(h)
        cs.append(c)
        k += 1
    return x, (torch.cat(hs, dim=0), torch.cat(cs, dim=0))
'''),
        # keys parsed with a regular expression, states gathered in one list of pairs
        ("regex-keys", '''
import re


def lstm_layers(lstm):
    per_layer = [{} for _ in range(lstm.num_layers)]
    for key, value in lstm.state_dict().items():
        name, layer, reverse = re.fullmatch(r"(\\w+?)_l(\\d+)(_reverse)?", key).groups()
        per_layer[int(layer)][f"{name}_l0{reverse or ''}"] = value.clone()
    modules = []
    for layer, weights in enumerate(per_layer):
        input_size = weights["weight_ih_l0"].shape[1]
        module = torch.nn.LSTM(input_size, lstm.hidden_size,
                               bidirectional=lstm.bidirectional)
        module.load_state_dict(weights)
        modules.append(module)
    return modules


def stacked_lstm(x, layers):
    finals = []
    for layer in layers:
        x, state = layer(x)
        finals.append(state)
    h_n = torch.cat([h for h, _ in finals])
    c_n = torch.cat([c for _, c in finals])
    return x, (h_n, c_n)
'''),
        # the course's drop-in LSTM modules as the layers, functools.reduce to stack
        ("rnncourse-layers-and-reduce", '''
import functools

import rnncourse.torch as rt


def lstm_layers(lstm):
    directions = 2 if lstm.bidirectional else 1
    result = []
    for layer in range(lstm.num_layers):
        size = lstm.input_size if layer == 0 else directions * lstm.hidden_size
        module = rt.LSTM(size, lstm.hidden_size, bidirectional=lstm.bidirectional)
        tag = f"_l{layer}"
        module.load_state_dict({k.replace(tag, "_l0"): v
                                for k, v in lstm.state_dict().items()
                                if k.split("_l")[1].split("_")[0] == str(layer)})
        result.append(module)
    return result


def stacked_lstm(x, layers):
    def step(carry, layer):
        out, (h, c) = layer(carry[0])
        return out, carry[1] + [h], carry[2] + [c]

    output, hs, cs = functools.reduce(step, layers, (x, [], []))
    return output, (torch.cat(hs), torch.cat(cs))
'''),
    ],
    "fit_brnn": [
        # a bidirectional GRU, AdamW, a readout through squeeze
        ("gru-adamw", '''
class BidirectionalTagger(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.GRU(1, 16, bidirectional=True)
        self.readout = torch.nn.Linear(32, 1)

    def forward(self, x):
        return self.readout(self.rnn(x)[0]).squeeze(-1)
''' + _fit(_STEP, optimizer="torch.optim.AdamW(model.parameters(), lr=0.03)")),
        # two bidirectional LSTM layers of 12 units, Adam at 0.02
        ("lstm-two-layers", '''
class BidirectionalTagger(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.LSTM(1, 12, num_layers=2, bidirectional=True)
        self.readout = torch.nn.Linear(24, 1)

    def forward(self, x):
        states, _ = self.rnn(x)
        return self.readout(states).squeeze(2)
''' + _fit(_STEP, steps=150)),
        # the course's training loop
        ("rnncourse-train", _TAGGER + '''
from rnncourse.train import train


def fit_brnn(seed):
    torch.manual_seed(seed)
    model = BidirectionalTagger(hidden_size=20)

    def batches(step, rng):
        return past_future_window(32, 30, 5, 5, rng)

    def loss_fn(model, batch):
        x, y = batch
        return torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)

    train(model, loss_fn, batches, steps=200, lr=1e-2, seed=seed, progress=False)
    return model
'''),
        # batch_first inside, with the transposes; BCEWithLogitsLoss; a sum over steps
        ("batch-first-inside", '''
class BidirectionalTagger(torch.nn.Module):
    def __init__(self, hidden_size=16):
        super().__init__()
        self.rnn = torch.nn.RNN(1, hidden_size, batch_first=True, bidirectional=True)
        self.readout = torch.nn.Linear(2 * hidden_size, 1)

    def forward(self, x):
        states, _ = self.rnn(x.transpose(0, 1))         # (N, T, 2H)
        return self.readout(states)[..., 0].transpose(0, 1)


def fit_brnn(seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = BidirectionalTagger()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    criterion = torch.nn.BCEWithLogitsLoss(reduction="sum")
    for _ in range(200):
        x, y = past_future_window(32, 30, 5, 5, rng)
        optimizer.zero_grad()
        (criterion(model(x), y) / y.numel()).backward()
        optimizer.step()
    return model
'''),
    ],
}
