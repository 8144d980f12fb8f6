"""Wrong and alternative answers for the 08_gru assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS:
plausible wrong answers, several per part, each of which must lose points on its part
only (tests/test_grading_mutants.py); ALTERNATIVES: correct answers written the way
other learners would, each of which must get full marks. All map an answer cell's
grade_id to complete replacements for that cell.
"""

# --- Part 1: torch's GRU step, forward and backward ----------------------------------

# The solution's backward pass, reused by the forward mutants so that only the forward
# pass is wrong in them (a learner who gets the forward wrong usually differentiates
# their own forward consistently, or not; either way the comparison with torch fails).
_BACKWARD = '''
def gru_step_backward(dh, cache):
    x, h_prev, W_ih, W_hh, r, z, n, hn = cache
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)
    return {"x": da_x @ W_ih, "h_prev": dh * z + da_h @ W_hh, "W_ih": da_x.T @ x,
            "W_hh": da_h.T @ h_prev, "b_ih": da_x.sum(axis=0), "b_hh": da_h.sum(axis=0)}
'''


def _forward(r_z_n_and_h):
    """A forward pass whose gate lines are replaced, with the solution's backward."""
    return '''
def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a_x = x @ W_ih.T + b_ih
    a_h = h_prev @ W_hh.T + b_hh
''' + r_z_n_and_h + '''
    cache = (x, h_prev, W_ih, W_hh, r, z, n, hn)
    return h, cache
''' + _BACKWARD


_FORWARD = '''
def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    a_x = x @ W_ih.T + b_ih
    a_h = h_prev @ W_hh.T + b_hh
    r = 1 / (1 + np.exp(-(a_x[:, :H] + a_h[:, :H])))
    z = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + a_h[:, H:2 * H])))
    hn = a_h[:, 2 * H:]
    n = np.tanh(a_x[:, 2 * H:] + r * hn)
    h = (1 - z) * n + z * h_prev
    return h, (x, h_prev, W_ih, W_hh, r, z, n, hn)
'''


def _backward(body):
    """The solution's forward pass with a backward pass of the given body."""
    return _FORWARD + '''
def gru_step_backward(dh, cache):
    x, h_prev, W_ih, W_hh, r, z, n, hn = cache
''' + body


_CORRECT_BACKWARD_TAIL = '''
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)
    return {"x": da_x @ W_ih, "h_prev": dh * z + da_h @ W_hh, "W_ih": da_x.T @ x,
            "W_hh": da_h.T @ h_prev, "b_ih": da_x.sum(axis=0), "b_hh": da_h.sum(axis=0)}
'''

_Z_SWAPPED = _forward('''
    r = 1 / (1 + np.exp(-(a_x[:, :H] + a_h[:, :H])))
    z = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + a_h[:, H:2 * H])))
    hn = a_h[:, 2 * H:]
    n = np.tanh(a_x[:, 2 * H:] + r * hn)
    h = z * n + (1 - z) * h_prev
''')

# --- Part 2: Cho et al.'s GRU step ------------------------------------------------------


def _cho(lines):
    return '''
def gru_cho_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    W_hr, W_hz, W_hn = W_hh[:H], W_hh[H:2 * H], W_hh[2 * H:]
    b_hr, b_hz, b_hn = b_hh[:H], b_hh[H:2 * H], b_hh[2 * H:]
    a_x = x @ W_ih.T + b_ih
''' + lines


_CHO_GATES = '''
    r = 1 / (1 + np.exp(-(a_x[:, :H] + h_prev @ W_hr.T + b_hr)))
    z = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + h_prev @ W_hz.T + b_hz)))
'''

_CHO_RESET_AFTER = _cho(_CHO_GATES + '''
    n = np.tanh(a_x[:, 2 * H:] + r * (h_prev @ W_hn.T + b_hn))
    return (1 - z) * n + z * h_prev
''')

# --- Part 3: train a GRU ------------------------------------------------------------------


def _fit(loop_body, model="GRUClassifier()", optimizer="torch.optim.Adam(model.parameters(), lr=1e-2)",
         steps=150, head=""):
    return head + f'''
def fit_gru(seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = {model}
    optimizer = {optimizer}
    for step in range({steps}):
''' + loop_body + '''
    return model
'''


_STEP = '''
        task = irrelevant_tokens(64, 40, rng)
        x = torch.from_numpy(one_hot(task.tokens, 10))
        y = torch.from_numpy(task.targets)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

_CLASSIFIER = '''
class GRUClassifier(torch.nn.Module):
    def __init__(self, vocabulary_size=10, hidden_size=32, num_classes=2):
        super().__init__()
        self.gru = torch.nn.GRU(vocabulary_size, hidden_size)
        self.readout = torch.nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        states, _ = self.gru(x)
        return self.readout(states[-1])
'''

WRONG_ANSWERS = {
    # torch's update gate convention swapped: z near 1 takes the candidate.
    "gru_step": _Z_SWAPPED,
    # Cho's candidate with the reset applied after the product (torch's variant).
    "gru_cho_step_forward": _CHO_RESET_AFTER,
    # Never updates the weights: an untrained GRU is at chance.
    "fit_gru": _CLASSIFIER + _fit(_STEP.replace("        optimizer.step()\n", "")),
}

MUTANTS = {
    "gru_step": [
        ("z-convention-swapped", _Z_SWAPPED),
        ("gate-order-z-r-n", _forward('''
    z = 1 / (1 + np.exp(-(a_x[:, :H] + a_h[:, :H])))
    r = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + a_h[:, H:2 * H])))
    hn = a_h[:, 2 * H:]
    n = np.tanh(a_x[:, 2 * H:] + r * hn)
    h = (1 - z) * n + z * h_prev
''')),
        ("reset-before-the-product", _forward('''
    r = 1 / (1 + np.exp(-(a_x[:, :H] + a_h[:, :H])))
    z = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + a_h[:, H:2 * H])))
    hn = (r * h_prev) @ W_hh[2 * H:].T + b_hh[2 * H:]
    n = np.tanh(a_x[:, 2 * H:] + hn)
    h = (1 - z) * n + z * h_prev
''')),
        ("b_hn-outside-the-reset", _forward('''
    r = 1 / (1 + np.exp(-(a_x[:, :H] + a_h[:, :H])))
    z = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + a_h[:, H:2 * H])))
    hn = h_prev @ W_hh[2 * H:].T
    n = np.tanh(a_x[:, 2 * H:] + r * hn + b_hh[2 * H:])
    h = (1 - z) * n + z * h_prev
''')),
        ("W_hz-in-the-candidate", _forward('''
    r = 1 / (1 + np.exp(-(a_x[:, :H] + a_h[:, :H])))
    z = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + a_h[:, H:2 * H])))
    hn = h_prev @ W_hh[H:2 * H].T + b_hh[2 * H:]
    n = np.tanh(a_x[:, 2 * H:] + r * hn)
    h = (1 - z) * n + z * h_prev
''')),
        ("no-tanh-derivative", _backward('''
    da_n = dh * (1 - z)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
''' + _CORRECT_BACKWARD_TAIL)),
        ("update-gate-gradient-sign", _backward('''
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (n - h_prev) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
''' + _CORRECT_BACKWARD_TAIL)),
        ("no-direct-path-to-h_prev", _backward('''
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)
    return {"x": da_x @ W_ih, "h_prev": da_h @ W_hh, "W_ih": da_x.T @ x,
            "W_hh": da_h.T @ h_prev, "b_ih": da_x.sum(axis=0), "b_hh": da_h.sum(axis=0)}
''')),
        ("hidden-side-n-without-the-reset", _backward('''
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)
    return {"x": da_x @ W_ih, "h_prev": dh * z + da_x @ W_hh, "W_ih": da_x.T @ x,
            "W_hh": da_x.T @ h_prev, "b_ih": da_x.sum(axis=0), "b_hh": da_x.sum(axis=0)}
''')),
        ("reset-gradient-without-hn", _backward('''
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * r * (1 - r)
''' + _CORRECT_BACKWARD_TAIL)),
        ("bias-gradient-not-summed-over-the-batch", _backward('''
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)
    return {"x": da_x @ W_ih, "h_prev": dh * z + da_h @ W_hh, "W_ih": da_x.T @ x,
            "W_hh": da_h.T @ h_prev, "b_ih": da_x.mean(axis=0), "b_hh": da_h.mean(axis=0)}
''')),
    ],
    "gru_cho_step_forward": [
        ("reset-after-the-product", _CHO_RESET_AFTER),
        ("z-convention-swapped", _cho(_CHO_GATES + '''
    n = np.tanh(a_x[:, 2 * H:] + (r * h_prev) @ W_hn.T + b_hn)
    return z * n + (1 - z) * h_prev
''')),
        ("gate-order-z-r-n", _cho('''
    z = 1 / (1 + np.exp(-(a_x[:, :H] + h_prev @ W_hr.T + b_hr)))
    r = 1 / (1 + np.exp(-(a_x[:, H:2 * H] + h_prev @ W_hz.T + b_hz)))
    n = np.tanh(a_x[:, 2 * H:] + (r * h_prev) @ W_hn.T + b_hn)
    return (1 - z) * n + z * h_prev
''')),
        ("W_hz-in-the-candidate", _cho(_CHO_GATES + '''
    n = np.tanh(a_x[:, 2 * H:] + (r * h_prev) @ W_hz.T + b_hn)
    return (1 - z) * n + z * h_prev
''')),
        ("b_hn-under-the-reset", _cho(_CHO_GATES + '''
    n = np.tanh(a_x[:, 2 * H:] + (r * h_prev) @ W_hn.T + r * b_hn)
    return (1 - z) * n + z * h_prev
''')),
        ("reset-on-the-transpose", _cho(_CHO_GATES + '''
    n = np.tanh(a_x[:, 2 * H:] + (r * (h_prev @ W_hn)) + b_hn)
    return (1 - z) * n + z * h_prev
''')),
        ("no-reset", _cho(_CHO_GATES + '''
    n = np.tanh(a_x[:, 2 * H:] + h_prev @ W_hn.T + b_hn)
    return (1 - z) * n + z * h_prev
''')),
    ],
    "fit_gru": [
        ("never-steps-the-optimiser", WRONG_ANSWERS["fit_gru"]),
        ("reads-the-first-state",
         _CLASSIFIER.replace("states[-1]", "states[0]") + _fit(_STEP)),
        ("labels-of-another-batch", _CLASSIFIER + _fit('''
        task = irrelevant_tokens(64, 40, rng)
        x = torch.from_numpy(one_hot(task.tokens, 10))
        y = torch.from_numpy(irrelevant_tokens(64, 40, rng).targets)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
''')),
        ("tanh-rnn-instead-of-a-gru",
         _CLASSIFIER.replace("torch.nn.GRU(", "torch.nn.RNN(") + _fit(_STEP)),
        ("learning-rate-far-too-small", _CLASSIFIER + _fit(
            _STEP, optimizer="torch.optim.Adam(model.parameters(), lr=1e-6)")),
        ("ten-steps", _CLASSIFIER + _fit(_STEP, steps=10)),
    ],
}

ALTERNATIVES = {
    "gru_step": [
        # np.split into blocks, a dict cache, sigmoid through tanh, in-place updates
        ("split-dict-cache-inplace", '''
def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    W_ir, W_iz, W_in = np.split(W_ih, 3)
    W_hr, W_hz, W_hn = np.split(W_hh, 3)
    b_ir, b_iz, b_in = np.split(b_ih, 3)
    b_hr, b_hz, b_hn = np.split(b_hh, 3)
    r = 0.5 * (1 + np.tanh(0.5 * (x @ W_ir.T + b_ir + h_prev @ W_hr.T + b_hr)))
    z = 0.5 * (1 + np.tanh(0.5 * (x @ W_iz.T + b_iz + h_prev @ W_hz.T + b_hz)))
    hn = h_prev @ W_hn.T + b_hn
    n = np.tanh(x @ W_in.T + b_in + r * hn)
    h = h_prev - n
    h *= z
    h += n
    return h, {"x": x, "h_prev": h_prev, "W_ih": W_ih, "W_hh": W_hh,
               "r": r, "z": z, "n": n, "hn": hn}


def gru_step_backward(dh, cache):
    x, h_prev, r, z, n, hn = (cache[k] for k in ("x", "h_prev", "r", "z", "n", "hn"))
    W_hr, W_hz, W_hn = np.split(cache["W_hh"], 3)
    W_ir, W_iz, W_in = np.split(cache["W_ih"], 3)
    da_n = dh * (1 - z) * (1 - n * n)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
    dhn = da_n * r
    dh_prev = dh * z
    dh_prev += da_r @ W_hr + da_z @ W_hz + dhn @ W_hn
    return {
        "x": da_r @ W_ir + da_z @ W_iz + da_n @ W_in,
        "h_prev": dh_prev,
        "W_ih": np.vstack([da_r.T @ x, da_z.T @ x, da_n.T @ x]),
        "W_hh": np.vstack([da_r.T @ h_prev, da_z.T @ h_prev, dhn.T @ h_prev]),
        "b_ih": np.concatenate([da_r.sum(0), da_z.sum(0), da_n.sum(0)]),
        "b_hh": np.concatenate([da_r.sum(0), da_z.sum(0), dhn.sum(0)]),
    }
'''),
        # loops over the batch, outer products with np.outer, np.dot
        ("loop-over-the-batch", '''
def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    B, H = h_prev.shape
    h = np.zeros((B, H))
    saved = []
    for b in range(B):
        gx = np.dot(W_ih, x[b]) + b_ih
        gh = np.dot(W_hh, h_prev[b]) + b_hh
        r = 1.0 / (1.0 + np.exp(-gx[:H] - gh[:H]))
        z = 1.0 / (1.0 + np.exp(-gx[H:2 * H] - gh[H:2 * H]))
        n = np.tanh(gx[2 * H:] + r * gh[2 * H:])
        h[b] = (1.0 - z) * n + z * h_prev[b]
        saved.append((r, z, n, gh[2 * H:]))
    return h, (x, h_prev, W_ih, W_hh, saved)


def gru_step_backward(dh, cache):
    x, h_prev, W_ih, W_hh, saved = cache
    grads = {"x": np.zeros(x.shape), "h_prev": np.zeros(h_prev.shape),
             "W_ih": np.zeros(W_ih.shape), "W_hh": np.zeros(W_hh.shape),
             "b_ih": np.zeros(W_ih.shape[0]), "b_hh": np.zeros(W_hh.shape[0])}
    for b, (r, z, n, hn) in enumerate(saved):
        da_n = dh[b] * (1.0 - z) * (1.0 - n ** 2)
        da_z = dh[b] * (h_prev[b] - n) * z * (1.0 - z)
        da_r = da_n * hn * r * (1.0 - r)
        gx = np.concatenate([da_r, da_z, da_n])
        gh = np.concatenate([da_r, da_z, da_n * r])
        grads["x"][b] = np.dot(W_ih.T, gx)
        grads["h_prev"][b] = dh[b] * z + np.dot(W_hh.T, gh)
        grads["W_ih"] += np.outer(gx, x[b])
        grads["W_hh"] += np.outer(gh, h_prev[b])
        grads["b_ih"] += gx
        grads["b_hh"] += gh
    return grads
'''),
        # einsum, scipy's expit, float32-safe casts, the gate pre-activations cached
        ("einsum-expit", '''
from scipy.special import expit


def gru_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    x, h_prev = np.asarray(x, float), np.asarray(h_prev, float)
    H = h_prev.shape[1]
    gx = np.einsum("bd,gd->bg", x, W_ih) + b_ih
    gh = np.einsum("bh,gh->bg", h_prev, W_hh) + b_hh
    r = expit(gx[:, :H] + gh[:, :H])
    z = expit(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + r * gh[:, 2 * H:])
    return n + z * (h_prev - n), (x, h_prev, W_ih, W_hh, r, z, n, gh[:, 2 * H:])


def gru_step_backward(dh, cache):
    x, h_prev, W_ih, W_hh, r, z, n, hn = cache
    dn = dh * (1 - z)
    da_n = dn * (1 - n) * (1 + n)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * hn * r * (1 - r)
    g_in = np.concatenate([da_r, da_z, da_n], axis=1)
    g_hid = np.concatenate([da_r, da_z, r * da_n], axis=1)
    return {"x": np.einsum("bg,gd->bd", g_in, W_ih),
            "h_prev": dh * z + np.einsum("bg,gh->bh", g_hid, W_hh),
            "W_ih": np.einsum("bg,bd->gd", g_in, x),
            "W_hh": np.einsum("bg,bh->gh", g_hid, h_prev),
            "b_ih": np.einsum("bg->g", g_in), "b_hh": np.einsum("bg->g", g_hid)}
'''),
    ],
    "gru_cho_step_forward": [
        ("np-split-and-einsum", '''
def gru_cho_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    W_ir, W_iz, W_in = np.split(W_ih, 3)
    W_hr, W_hz, W_hn = np.split(W_hh, 3)
    b_ir, b_iz, b_in = np.split(b_ih, 3)
    b_hr, b_hz, b_hn = np.split(b_hh, 3)
    sig = lambda a: 1 / (1 + np.exp(-a))
    r = sig(np.einsum("bd,hd->bh", x, W_ir) + b_ir + h_prev @ W_hr.T + b_hr)
    z = sig(np.einsum("bd,hd->bh", x, W_iz) + b_iz + h_prev @ W_hz.T + b_hz)
    n = np.tanh(np.einsum("bd,hd->bh", x, W_in) + b_in
                + np.einsum("bh,kh->bk", r * h_prev, W_hn) + b_hn)
    return z * h_prev + (1 - z) * n
'''),
        ("loop-over-the-batch", '''
def gru_cho_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    B, H = h_prev.shape
    out = np.empty((B, H))
    for b in range(B):
        gx = W_ih @ x[b] + b_ih
        r = 1 / (1 + np.exp(-(gx[:H] + W_hh[:H] @ h_prev[b] + b_hh[:H])))
        z = 1 / (1 + np.exp(-(gx[H:2 * H] + W_hh[H:2 * H] @ h_prev[b]
                              + b_hh[H:2 * H])))
        n = np.tanh(gx[2 * H:] + W_hh[2 * H:] @ (r * h_prev[b]) + b_hh[2 * H:])
        out[b] = n + z * (h_prev[b] - n)
    return out
'''),
        # the whole W_hh applied to the reset state, keeping only the n block
        ("full-product-then-slice", '''
def gru_cho_step_forward(x, h_prev, W_ih, W_hh, b_ih, b_hh):
    H = h_prev.shape[1]
    gx = x @ W_ih.T + b_ih
    gh = h_prev @ W_hh.T + b_hh
    r = 0.5 + 0.5 * np.tanh(0.5 * (gx[:, :H] + gh[:, :H]))
    z = 0.5 + 0.5 * np.tanh(0.5 * (gx[:, H:2 * H] + gh[:, H:2 * H]))
    reset = (r * h_prev) @ W_hh.T + b_hh
    n = np.tanh(gx[:, 2 * H:] + reset[:, 2 * H:])
    h = n.copy()
    h += z * (h_prev - n)
    return h
'''),
    ],
    "fit_gru": [
        # the course's training loop
        ("rnncourse-train", _CLASSIFIER + '''
from rnncourse.train import train


def fit_gru(seed):
    torch.manual_seed(seed)
    model = GRUClassifier()

    def batches(step, rng):
        task = irrelevant_tokens(64, 40, rng)
        return torch.from_numpy(one_hot(task.tokens, 10)), torch.from_numpy(task.targets)

    train(model, lambda m, b: torch.nn.functional.cross_entropy(m(b[0]), b[1]), batches,
          steps=200, lr=1e-2, clip=1.0, seed=seed, progress=False)
    return model
'''),
        # RMSprop, 16 hidden units, batches of 32, the final state h_n
        ("rmsprop-small-final-state", '''
class GRUClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(10, 16)
        self.readout = torch.nn.Linear(16, 2)

    def forward(self, x):
        _, h_n = self.gru(x)
        return self.readout(h_n[0])
''' + _fit(_STEP.replace("64, 40", "32, 40"), steps=400,
           optimizer="torch.optim.RMSprop(model.parameters(), lr=3e-3)")),
        # Adam at a smaller rate for longer, a loop over GRUCell-free data written inline
        ("adam-3e-3-400-steps", _CLASSIFIER + '''
def fit_gru(seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = GRUClassifier(hidden_size=24)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(400):
        task = irrelevant_tokens(64, 40, rng)
        x = torch.eye(10)[torch.from_numpy(task.tokens)]
        optimizer.zero_grad()
        loss_fn(model(x), torch.from_numpy(task.targets)).backward()
        optimizer.step()
    return model
'''),
    ],
}
