"""Plausible wrong answers and alternative correct answers for the 07_lstm assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
per part, including the popular mistakes of LSTM derivations (a σ′(h_{t−1}) factor, W_ih
instead of W_hh in the recurrent gradient, a missing tanh′(c_t) path, the gate order
i, f, o, g, a missing dc_{t+1} ⊙ f_{t+1} term); ALTERNATIVES: correct answers written
the way other learners would (tests/test_grading_mutants.py). Each maps an answer cell's
grade_id to complete replacements for that cell.
"""

# ------------------------------------------------------------------ Part 1: step forward

_FORWARD = '''
def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh
    i = 1 / (1 + np.exp(-a[:, :H]))
    f = 1 / (1 + np.exp(-a[:, H:2 * H]))
    {gates}
    c = {cell}
    h = {hidden}
    cache = {{"x": x, "h_prev": h_prev, "c_prev": c_prev, "W_ih": W_ih, "W_hh": W_hh,
             "i": i, "f": f, "g": g, "o": o, "c": c}}
    return h, c, cache
'''
_GATES = ("g = np.tanh(a[:, 2 * H:3 * H])\n"
          "    o = 1 / (1 + np.exp(-a[:, 3 * H:]))")


def _forward(gates=_GATES, cell="f * c_prev + i * g", hidden="o * np.tanh(c)"):
    return _FORWARD.format(gates=gates, cell=cell, hidden=hidden)


# ----------------------------------------------------------------- Part 2: step backward

_BACKWARD = '''
def lstm_step_backward(dh, dc, cache):
    i, f, g, o, c = (cache[k] for k in ("i", "f", "g", "o", "c"))
    tanh_c = np.tanh(c)
    dc = {dc_total}
    da_i = dc * g * i * (1 - i)
    da_f = dc * cache["c_prev"] * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    da_o = {da_o}
    da = np.concatenate({order}, axis=1)
    dh_prev = {dh_prev}
    return {{"x": da @ cache["W_ih"], "h_prev": dh_prev, "c_prev": {dc_prev},
            "W_ih": da.T @ cache["x"], "W_hh": da.T @ cache["h_prev"],
            "b_ih": {db}, "b_hh": {db}}}
'''


def _backward(dc_total="dc + dh * o * (1 - tanh_c ** 2)",
              da_o="dh * tanh_c * o * (1 - o)", order="[da_i, da_f, da_g, da_o]",
              dh_prev='da @ cache["W_hh"]', dc_prev="dc * f", db="da.sum(axis=0)"):
    return _BACKWARD.format(dc_total=dc_total, da_o=da_o, order=order,
                            dh_prev=dh_prev, dc_prev=dc_prev, db=db)


# --------------------------------------------------------------- Part 3: sequence forward

_SEQUENCE_FORWARD = '''
def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    h, c, caches, out = h0, c0, [], []
    for x_t in {inputs}:
        h_new, c_new, cache = step_forward(x_t, {h_in}, {c_in}, W_ih, W_hh, b_ih, b_hh)
        out.append({recorded})
        h, c = h_new, c_new
        caches.append(cache)
    return np.stack(out), {final}, caches
'''


def _sequence_forward(inputs="x", h_in="h", c_in="c", recorded="h_new",
                      final="(h, c)"):
    return _SEQUENCE_FORWARD.format(inputs=inputs, h_in=h_in, c_in=c_in,
                                    recorded=recorded, final=final)


# -------------------------------------------------------------- Part 4: sequence backward

_SEQUENCE_BACKWARD = '''
def lstm_backward(dout, caches, dc_T=None):
    dh_next = np.zeros_like(dout[0])
    dc_next = {dc_start}
    grads = {{k: 0.0 for k in ("W_ih", "W_hh", "b_ih", "b_hh")}}
    dx = [None] * len(caches)
    for t in {order}:
        step = step_backward({dh}, {dc}, caches[t])
        dh_next, dc_next = step["h_prev"], step["c_prev"]
        dx[t] = step["x"]
        for k in grads:
            grads[k] {accumulate} step[k]
    grads.update(x=np.stack(dx), h0=dh_next, c0=dc_next)
    return grads
'''


def _sequence_backward(dc_start="np.zeros_like(dout[0]) if dc_T is None else dc_T",
                       order="reversed(range(len(caches)))", dh="dout[t] + dh_next",
                       dc="dc_next", accumulate="+="):
    return _SEQUENCE_BACKWARD.format(dc_start=dc_start, order=order, dh=dh, dc=dc,
                                     accumulate=accumulate)


# ------------------------------------------------------------------- Part 5: chrono init

_CHRONO = '''
def chrono_init(lstm, T_max, generator):
    H = lstm.hidden_size
    u = {draw}
    with torch.no_grad():
        lstm.bias_ih_l0[:2 * H] = 0.0
        lstm.bias_hh_l0[{forget_rows}] = {forget}
        lstm.bias_hh_l0[:H] = {input_}
    return lstm
'''


def _chrono(draw="torch.rand(H, generator=generator) * (T_max - 2) + 1",
            forget_rows="H:2 * H", forget="torch.log(u)", input_="-torch.log(u)"):
    return _CHRONO.format(draw=draw, forget_rows=forget_rows, forget=forget,
                          input_=input_)


WRONG_ANSWERS = {
    # the gate order i, f, o, g of some texts instead of torch's i, f, g, o
    "lstm_step_forward": _forward(gates="o = 1 / (1 + np.exp(-a[:, 2 * H:3 * H]))\n"
                                        "    g = np.tanh(a[:, 3 * H:])"),
    # the popular σ′(h_{t−1}) factor
    "lstm_step_backward": _backward(
        dh_prev='(da @ cache["W_hh"]) * (1 / (1 + np.exp(-cache["h_prev"])))'
                ' * (1 - 1 / (1 + np.exp(-cache["h_prev"])))'),
    # the cell state is not carried from step to step
    "lstm_forward": _sequence_forward(c_in="c0"),
    # no gradient along the cell path from step t + 1 (dc_{t+1} ⊙ f_{t+1} missing)
    "lstm_backward": _sequence_backward(dc="None"),
    # does nothing: PyTorch's default initialisation
    "chrono_init": '''
def chrono_init(lstm, T_max, generator):
    return lstm
''',
}


MUTANTS = {
    "lstm_step_forward": [
        ("gate-order-ifog", WRONG_ANSWERS["lstm_step_forward"]),
        ("no-tanh-on-cell", _forward(hidden="o * c")),
        ("no-input-gate", _forward(cell="f * c_prev + g")),
        ("missing-b_hh", '''
def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T
    i, f = 1 / (1 + np.exp(-a[:, :H])), 1 / (1 + np.exp(-a[:, H:2 * H]))
    g, o = np.tanh(a[:, 2 * H:3 * H]), 1 / (1 + np.exp(-a[:, 3 * H:]))
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c, {"x": x, "h_prev": h_prev, "c_prev": c_prev, "W_ih": W_ih,
                  "W_hh": W_hh, "i": i, "f": f, "g": g, "o": o, "c": c}
'''),
        ("cache-holds-tanh-c", '''
def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a = x @ W_ih.T + b_ih + h_prev @ W_hh.T + b_hh
    i, f = 1 / (1 + np.exp(-a[:, :H])), 1 / (1 + np.exp(-a[:, H:2 * H]))
    g, o = np.tanh(a[:, 2 * H:3 * H]), 1 / (1 + np.exp(-a[:, 3 * H:]))
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c, {"x": x, "h_prev": h_prev, "c_prev": c_prev, "W_ih": W_ih,
                  "W_hh": W_hh, "i": i, "f": f, "g": g, "o": o, "c": np.tanh(c)}
'''),
    ],
    "lstm_step_backward": [
        ("sigma-prime-of-h_prev", WRONG_ANSWERS["lstm_step_backward"]),
        ("W_ih-in-the-recurrent-gradient", _backward(dh_prev='da @ cache["W_ih"]')),
        ("missing-tanh-prime-of-c", _backward(dc_total="dc + dh * o")),
        ("gate-order-ifog", _backward(order="[da_i, da_f, da_o, da_g]")),
        ("cell-path-without-f", _backward(dc_prev="dc")),
        ("output-gate-without-sigma-prime", _backward(da_o="dh * tanh_c")),
    ],
    "lstm_forward": [
        ("cell-not-carried", WRONG_ANSWERS["lstm_forward"]),
        ("hidden-not-carried", _sequence_forward(h_in="h0")),
        ("outputs-shifted-by-one", _sequence_forward(recorded="h")),
        ("time-reversed", _sequence_forward(inputs="x[::-1]")),
        ("final-state-is-initial", _sequence_forward(final="(h0, c0)")),
    ],
    "lstm_backward": [
        ("missing-dc-carry", WRONG_ANSWERS["lstm_backward"]),
        ("upstream-dout-ignored", _sequence_backward(dh="dh_next")),
        ("recurrent-dh-ignored", _sequence_backward(dh="dout[t]")),
        ("weights-from-one-step", _sequence_backward(accumulate="=")),
        ("forward-in-time", _sequence_backward(order="range(len(caches))")),
    ],
    "chrono_init": [
        ("does-nothing", WRONG_ANSWERS["chrono_init"]),
        ("constant-forget-bias-1", _chrono(draw="torch.full((H,), float(np.e))")),
        ("input-bias-untouched", '''
def chrono_init(lstm, T_max, generator):
    H = lstm.hidden_size
    u = torch.rand(H, generator=generator) * (T_max - 2) + 1
    with torch.no_grad():
        lstm.bias_ih_l0[H:2 * H] = 0.0
        lstm.bias_hh_l0[H:2 * H] = torch.log(u)
    return lstm
'''),
        ("candidate-rows-instead-of-forget", _chrono(forget_rows="2 * H:3 * H")),
        ("global-random-generator", _chrono(draw="torch.rand(H) * (T_max - 2) + 1")),
    ],
}


ALTERNATIVES = {
    "lstm_step_forward": [
        ("four-matmuls-and-tanh-sigmoid", '''
def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    def sigmoid(a):
        return 0.5 * (1.0 + np.tanh(0.5 * a))
    W_x, W_h = np.split(W_ih, 4), np.split(W_hh, 4)
    b = np.split(b_ih + b_hh, 4)
    a = [x @ W_x[k].T + h_prev @ W_h[k].T + b[k] for k in range(4)]
    i, f, g, o = sigmoid(a[0]), sigmoid(a[1]), np.tanh(a[2]), sigmoid(a[3])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    cache = dict(x=x, h_prev=h_prev, c_prev=c_prev, W_ih=W_ih, W_hh=W_hh,
                 i=i, f=f, g=g, o=o, c=c)
    return h, c, cache
'''),
        ("float64-einsum-and-expit", '''
from scipy.special import expit

def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    x64, h64, c64 = (np.asarray(v, dtype=np.float64) for v in (x, h_prev, c_prev))
    a = (np.einsum("gd,bd->bg", W_ih, x64) + np.einsum("gh,bh->bg", W_hh, h64)
         + b_ih + b_hh)
    i, f, g, o = np.split(a, 4, axis=1)
    i, f, g, o = expit(i), expit(f), np.tanh(g), expit(o)
    c = f * c64 + i * g
    h = o * np.tanh(c)
    return h, c, {"x": x, "h_prev": h_prev, "c_prev": c_prev, "W_ih": W_ih,
                  "W_hh": W_hh, "i": i, "f": f, "g": g, "o": o, "c": c}
'''),
        ("stacked-input-and-loop-over-gates", '''
def lstm_step_forward(x, h_prev, c_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1)
    W = np.concatenate([W_ih, W_hh], axis=1)
    a = z @ W.T + (b_ih + b_hh)
    gates = {}
    for k, name in enumerate("ifgo"):
        block = a[:, k * H:(k + 1) * H]
        gates[name] = np.tanh(block) if name == "g" else 1 / (1 + np.exp(-block))
    c = gates["f"] * c_prev + gates["i"] * gates["g"]
    h = gates["o"] * np.tanh(c)
    cache = {"x": x, "h_prev": h_prev, "c_prev": c_prev, "W_ih": W_ih, "W_hh": W_hh,
             "c": c, **gates}
    return h, c, cache
'''),
    ],
    "lstm_step_backward": [
        ("per-example-outer-products", '''
def lstm_step_backward(dh, dc, cache):
    i, f, g, o, c = (cache[k] for k in ("i", "f", "g", "o", "c"))
    x, h_prev = cache["x"], cache["h_prev"]
    tanh_c = np.tanh(c)
    dc_total = dc + dh * o * (1 - tanh_c * tanh_c)
    da = np.hstack([dc_total * g * i * (1 - i), dc_total * cache["c_prev"] * f * (1 - f),
                    dc_total * i * (1 - g * g), dh * tanh_c * o * (1 - o)])
    dW_ih = np.zeros_like(cache["W_ih"], dtype=float)
    dW_hh = np.zeros_like(cache["W_hh"], dtype=float)
    for b in range(da.shape[0]):
        dW_ih += np.outer(da[b], x[b])
        dW_hh += np.outer(da[b], h_prev[b])
    db = np.sum(da, axis=0)
    return {"x": da @ cache["W_ih"], "h_prev": da @ cache["W_hh"],
            "c_prev": dc_total * f, "W_ih": dW_ih, "W_hh": dW_hh,
            "b_ih": db, "b_hh": db.copy()}
'''),
        ("einsum-and-per-gate-blocks", '''
def lstm_step_backward(dh, dc, cache):
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    t = np.tanh(cache["c"])
    d_c = dc + dh * o * (1 - t ** 2)
    d_gates = [d_c * g * i * (1 - i), d_c * cache["c_prev"] * f * (1 - f),
               d_c * i * (1 - g ** 2), dh * t * o * (1 - o)]
    W_x = np.split(cache["W_ih"], 4)
    W_h = np.split(cache["W_hh"], 4)
    return {
        "x": sum(d @ W for d, W in zip(d_gates, W_x)),
        "h_prev": sum(d @ W for d, W in zip(d_gates, W_h)),
        "c_prev": d_c * f,
        "W_ih": np.vstack([np.einsum("bh,bd->hd", d, cache["x"]) for d in d_gates]),
        "W_hh": np.vstack([np.einsum("bh,bk->hk", d, cache["h_prev"])
                           for d in d_gates]),
        "b_ih": np.concatenate([d.sum(0) for d in d_gates]),
        "b_hh": np.concatenate([d.sum(0) for d in d_gates]),
    }
'''),
        ("derivatives-from-pre-activations", '''
def lstm_step_backward(dh, dc, cache):
    H = cache["h_prev"].shape[1]
    a = (cache["x"] @ cache["W_ih"].T + cache["h_prev"] @ cache["W_hh"].T)
    # the biases cancel out of the derivatives only through the gate values: recompute
    # the derivatives from the stored gates instead
    i, f, g, o = (cache[k] for k in "ifgo")
    sig_prime = lambda s: s - s * s
    tc = np.tanh(cache["c"])
    dct = dc.copy()
    dct += dh * o * (1.0 - tc ** 2)
    da = np.empty((a.shape[0], 4 * H))
    da[:, :H] = dct * g * sig_prime(i)
    da[:, H:2 * H] = dct * cache["c_prev"] * sig_prime(f)
    da[:, 2 * H:3 * H] = dct * i * (1.0 - g ** 2)
    da[:, 3 * H:] = dh * tc * sig_prime(o)
    return {"x": da @ cache["W_ih"], "h_prev": da @ cache["W_hh"],
            "c_prev": dct * f, "W_ih": da.T @ cache["x"], "W_hh": da.T @ cache["h_prev"],
            "b_ih": da.sum(0), "b_hh": da.sum(0)}
'''),
    ],
    "lstm_forward": [
        ("preallocated-output", '''
def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    T, B = x.shape[0], x.shape[1]
    out = np.empty((T, B, h0.shape[1]))
    h, c, caches = h0, c0, []
    for t in range(T):
        h, c, cache = step_forward(x[t], h, c, W_ih, W_hh, b_ih, b_hh)
        out[t] = h
        caches.append(cache)
    return out, (h, c), caches
'''),
        ("while-loop", '''
def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    state = (h0, c0)
    outputs, caches, t = [], [], 0
    while t < len(x):
        h, c, cache = step_forward(x[t], *state, W_ih, W_hh, b_ih, b_hh)
        state = (h, c)
        outputs.append(h)
        caches.append(cache)
        t += 1
    return np.array(outputs), state, caches
'''),
        ("recursion", '''
def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    if len(x) == 0:
        return np.zeros((0,) + h0.shape), (h0, c0), []
    h, c, cache = step_forward(x[0], h0, c0, W_ih, W_hh, b_ih, b_hh)
    rest, final, caches = lstm_forward(x[1:], h, c, W_ih, W_hh, b_ih, b_hh)
    return np.concatenate([h[None], rest]), final, [cache] + caches
'''),
    ],
    "lstm_backward": [
        ("preallocated-and-zero-initialised", '''
def lstm_backward(dout, caches, dc_T=None):
    T, B, H = dout.shape
    D = caches[0]["x"].shape[1]
    dx = np.zeros((T, B, D))
    dW_ih = np.zeros((4 * H, D))
    dW_hh = np.zeros((4 * H, H))
    db = np.zeros(4 * H)
    dh = np.zeros((B, H))
    dc = np.zeros((B, H)) if dc_T is None else dc_T.copy()
    for t in range(T - 1, -1, -1):
        g = step_backward(dh + dout[t], dc, caches[t])
        dx[t] = g["x"]
        dW_ih += g["W_ih"]
        dW_hh += g["W_hh"]
        db += g["b_ih"]
        dh, dc = g["h_prev"], g["c_prev"]
    return {"x": dx, "h0": dh, "c0": dc, "W_ih": dW_ih, "W_hh": dW_hh,
            "b_ih": db, "b_hh": db.copy()}
'''),
        ("zip-reversed-and-sum-at-the-end", '''
def lstm_backward(dout, caches, dc_T=None):
    dh = 0.0 * dout[-1]
    dc = dh.copy() if dc_T is None else np.array(dc_T, dtype=float)
    steps = []
    for d, cache in zip(dout[::-1], caches[::-1]):
        g = step_backward(d + dh, dc, cache)
        dh, dc = g["h_prev"], g["c_prev"]
        steps.append(g)
    steps.reverse()
    result = {k: sum(s[k] for s in steps) for k in ("W_ih", "W_hh", "b_ih", "b_hh")}
    result["x"] = np.stack([s["x"] for s in steps])
    result["h0"], result["c0"] = dh, dc
    return result
'''),
        ("float32-accumulation-then-float64", '''
def lstm_backward(dout, caches, dc_T=None):
    dh_next = np.zeros(dout.shape[1:])
    dc_next = np.zeros(dout.shape[1:]) if dc_T is None else dc_T
    totals, dx = {}, []
    for t in range(len(caches) - 1, -1, -1):
        step = step_backward(dout[t] + dh_next, dc_next, caches[t])
        for k in ("W_ih", "W_hh", "b_ih", "b_hh"):
            totals[k] = totals.get(k, 0) + step[k]
        dx.insert(0, step["x"])
        dh_next, dc_next = step["h_prev"], step["c_prev"]
    totals.update(x=np.asarray(dx, dtype=np.float64), h0=dh_next, c0=dc_next)
    return totals
'''),
    ],
    "chrono_init": [
        ("everything-in-bias_ih", '''
def chrono_init(lstm, T_max, generator):
    H = lstm.hidden_size
    log_u = torch.log(1 + (T_max - 2) * torch.rand(H, generator=generator))
    with torch.no_grad():
        lstm.bias_hh_l0[:2 * H].zero_()
        lstm.bias_ih_l0[H:2 * H].copy_(log_u)
        lstm.bias_ih_l0[:H].copy_(-log_u)
    return lstm
'''),
        ("split-between-both-biases", '''
def chrono_init(lstm, T_max, generator):
    H = lstm.hidden_size
    u = torch.empty(H).uniform_(1, T_max - 1, generator=generator)
    with torch.no_grad():
        for bias in (lstm.bias_ih_l0, lstm.bias_hh_l0):
            bias[H:2 * H] = torch.log(u) / 2
            bias[:H] = -torch.log(u) / 2
    return lstm
'''),
        ("per-unit-loop-keeping-bias_ih", '''
def chrono_init(lstm, T_max, generator):
    H = lstm.hidden_size
    with torch.no_grad():
        for j in range(H):
            u = 1 + (T_max - 2) * torch.rand(1, generator=generator).item()
            b = float(np.log(u))
            # total = bias_ih + bias_hh: keep bias_ih, adjust bias_hh
            lstm.bias_hh_l0[H + j] = b - lstm.bias_ih_l0[H + j]
            lstm.bias_hh_l0[j] = -b - lstm.bias_ih_l0[j]
    return lstm
'''),
    ],
}
