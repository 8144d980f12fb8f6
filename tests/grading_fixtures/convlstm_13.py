"""Plausible wrong answers and alternative correct answers for the 13_convlstm
assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
per part, each must lose points on its part only; ALTERNATIVES: correct answers written
differently, each must get full marks (tests/test_grading_mutants.py). All map an answer
cell's grade_id to complete replacements for that cell.
"""

WRONG_ANSWERS = {
    # Keras's gate order i, f, o, g instead of torch's i, f, g, o.
    "convlstm_step": '''
def convlstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = (F.conv2d(x, W_ih, b_ih, padding=W_ih.shape[-1] // 2)
             + F.conv2d(h, W_hh, b_hh, padding=W_hh.shape[-1] // 2))
    a_i, a_f, a_o, a_g = gates.chunk(4, dim=1)
    c_next = torch.sigmoid(a_f) * c + torch.sigmoid(a_i) * torch.tanh(a_g)
    h_next = torch.sigmoid(a_o) * torch.tanh(c_next)
    return h_next, c_next
''',
    # Clamps at the walls instead of reflecting (and flips the velocity).
    "bounce": '''
def bounce(position, velocity, low, high):
    moved = np.asarray(position, dtype=float) + velocity
    hit = (moved < low) | (moved > high)
    return np.clip(moved, low, high), np.where(hit, -velocity, velocity)
''',
    # Trains the model to reproduce the frame it has just seen, not the next one.
    "fit": '''
def fit(model, frames, steps=200, batch_size=4, lr=1e-2, seed=0):
    def loss_fn(model, batch):
        (sequences,) = batch
        return per_frame_bce(model(sequences[:-1]), sequences[:-1])

    batches = tensor_batches(frames, batch_size=batch_size, dim=1)
    return train(model, loss_fn, batches, steps=steps, lr=lr, clip=1.0, seed=seed,
                 progress=False)
''',
}

_STEP = '''
def convlstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = (F.conv2d(x, W_ih, {b_ih}, padding={pad_ih})
             + F.conv2d(h, W_hh, {b_hh}, padding={pad_hh}))
    a_i, a_f, a_g, a_o = gates.chunk(4, dim=1)
    c_next = torch.sigmoid(a_f) * c + torch.sigmoid(a_i) * {candidate}
    h_next = torch.sigmoid(a_o) * {squash}
    return h_next, c_next
'''


def _step(b_ih="b_ih", b_hh="b_hh", pad_ih="W_ih.shape[-1] // 2",
          pad_hh="W_hh.shape[-1] // 2", candidate="torch.tanh(a_g)",
          squash="torch.tanh(c_next)"):
    return _STEP.format(b_ih=b_ih, b_hh=b_hh, pad_ih=pad_ih, pad_hh=pad_hh,
                        candidate=candidate, squash=squash)


_FIT = '''
def fit(model, frames, steps=200, batch_size=4, lr=1e-2, seed=0):
    def loss_fn(model, batch):
        (sequences,) = batch
        return per_frame_bce({prediction}, {target})

    batches = tensor_batches(frames, batch_size=batch_size, dim={dim})
    return train(model, loss_fn, batches, steps={steps}, lr={lr}, clip=1.0, seed=seed,
                 progress=False)
'''


def _fit(prediction="model(sequences[:-1])", target="sequences[1:]", dim="1",
         steps="steps", lr="lr"):
    return _FIT.format(prediction=prediction, target=target, dim=dim, steps=steps,
                       lr=lr)


MUTANTS = {
    "convlstm_step": [
        ("gate-order-ifog", WRONG_ANSWERS["convlstm_step"]),
        ("padding-always-1", _step(pad_ih="1", pad_hh="1")),
        ("input-padding-for-both", _step(pad_hh="W_ih.shape[-1] // 2")),
        ("no-hidden-bias", _step(b_hh="None")),
        ("sigmoid-candidate", _step(candidate="torch.sigmoid(a_g)")),
        ("no-tanh-on-the-cell", _step(squash="c_next")),
        ("forgets-the-input-gate", _step(candidate="torch.tanh(a_g) / torch.sigmoid(a_i)")),
    ],
    "bounce": [
        ("clamps", WRONG_ANSWERS["bounce"]),
        ("flips-without-reflecting", '''
def bounce(position, velocity, low, high):
    moved = np.asarray(position, dtype=float) + velocity
    hit = (moved < low) | (moved > high)
    return np.where(hit, position, moved), np.where(hit, -velocity, velocity)
'''),
        ("reflects-without-flipping", '''
def bounce(position, velocity, low, high):
    moved = np.asarray(position, dtype=float) + velocity
    moved = np.where(moved < low, 2 * low - moved, moved)
    moved = np.where(moved > high, 2 * high - moved, moved)
    return moved, np.array(velocity, dtype=float)
'''),
        ("only-the-high-wall", '''
def bounce(position, velocity, low, high):
    moved = np.asarray(position, dtype=float) + velocity
    above = moved > high
    return np.where(above, 2 * high - moved, moved), np.where(above, -velocity, velocity)
'''),
        ("mirrors-the-old-position", '''
def bounce(position, velocity, low, high):
    position = np.asarray(position, dtype=float)
    moved = position + velocity
    below, above = moved < low, moved > high
    new = np.where(below, 2 * low - position, np.where(above, 2 * high - position, moved))
    return new, np.where(below | above, -velocity, velocity)
'''),
        ("low-wall-at-zero", '''
def bounce(position, velocity, low, high):
    moved = np.asarray(position, dtype=float) + velocity
    below, above = moved < low, moved > high
    new = np.where(below, -moved, np.where(above, 2 * high - moved, moved))
    return new, np.where(below | above, -velocity, velocity)
'''),
        ("modifies-its-inputs", '''
def bounce(position, velocity, low, high):
    position += velocity
    below, above = position < low, position > high
    position[below] = 2 * low - position[below]
    position[above] = 2 * high - position[above]
    velocity[below | above] *= -1
    return position, velocity
'''),
        ("flips-every-coordinate", '''
def bounce(position, velocity, low, high):
    moved = np.asarray(position, dtype=float) + velocity
    below, above = moved < low, moved > high
    new = np.where(below, 2 * low - moved, np.where(above, 2 * high - moved, moved))
    if (below | above).any():
        return new, -np.asarray(velocity, dtype=float)
    return new, np.array(velocity, dtype=float)
'''),
    ],
    "fit": [
        ("predicts-the-frame-it-sees", WRONG_ANSWERS["fit"]),
        ("sigmoid-before-the-loss",
         _fit(prediction="torch.sigmoid(model(sequences[:-1]))")),
        ("predicts-the-previous-frame",
         _fit(prediction="model(sequences[1:])", target="sequences[:-1]")),
        ("time-as-the-batch-dimension", _fit(dim="0")),
        ("learning-rate-ignored", _fit(lr="1e-5")),
        ("one-step", _fit(steps="1")),
    ],
}


ALTERNATIVES = {
    "convlstm_step": [
        ("padding-same", '''
def convlstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = F.conv2d(x, W_ih, b_ih, padding="same") + F.conv2d(h, W_hh, padding="same")
    gates = gates + b_hh[None, :, None, None]
    i, f, g, o = torch.split(gates, W_hh.shape[1], dim=1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c_next.tanh(), c_next
'''),
        ("gate-by-gate", '''
def convlstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[1]
    def gate(k):
        rows = slice(k * H, (k + 1) * H)
        return (F.conv2d(x, W_ih[rows], b_ih[rows], padding=W_ih.shape[-1] // 2)
                + F.conv2d(h, W_hh[rows], b_hh[rows], padding=W_hh.shape[-1] // 2))
    i, f, g, o = torch.sigmoid(gate(0)), torch.sigmoid(gate(1)), torch.tanh(gate(2)), \\
        torch.sigmoid(gate(3))
    c_next = f * c + i * g
    h_next = o * torch.tanh(c_next)
    return h_next, c_next
'''),
        ("one-convolution-on-x-and-h", '''
def convlstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh):
    k = max(W_ih.shape[-1], W_hh.shape[-1])
    def grow(w):                 # zero-pad a kernel to k x k, centred
        p = (k - w.shape[-1]) // 2
        return F.pad(w, (p, p, p, p))
    weight = torch.cat([grow(W_ih), grow(W_hh)], dim=1)
    gates = F.conv2d(torch.cat([x, h], dim=1), weight, b_ih + b_hh, padding=k // 2)
    a_i, a_f, a_g, a_o = gates.chunk(4, dim=1)
    c_next = torch.sigmoid(a_f) * c + torch.sigmoid(a_i) * torch.tanh(a_g)
    return torch.sigmoid(a_o) * torch.tanh(c_next), c_next
'''),
        ("unfold", '''
def convlstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh):
    def conv(inp, w, b):
        cols = F.unfold(inp, w.shape[-1], padding=w.shape[-1] // 2)
        out = torch.einsum("ok,bkl->bol", w.reshape(w.shape[0], -1), cols)
        return out.reshape(inp.shape[0], w.shape[0], *inp.shape[2:]) + b[:, None, None]
    gates = conv(x, W_ih, b_ih) + conv(h, W_hh, b_hh)
    i, f, g, o = gates.chunk(4, 1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_next), c_next
'''),
    ],
    "bounce": [
        ("entry-by-entry", '''
def bounce(position, velocity, low, high):
    p = np.array(position, dtype=float)
    v = np.array(velocity, dtype=float)
    flat_p, flat_v = p.reshape(-1), v.reshape(-1)
    for k in range(flat_p.size):
        q = flat_p[k] + flat_v[k]
        if q < low:
            q, flat_v[k] = 2 * low - q, -flat_v[k]
        elif q > high:
            q, flat_v[k] = 2 * high - q, -flat_v[k]
        flat_p[k] = q
    return p, v
'''),
        ("masks-on-copies", '''
def bounce(position, velocity, low, high):
    p = np.asarray(position, dtype=float) + np.asarray(velocity, dtype=float)
    v = np.array(velocity, dtype=float)
    low_hit, high_hit = p < low, p > high
    p[low_hit] = 2 * low - p[low_hit]
    p[high_hit] = 2 * high - p[high_hit]
    v[low_hit | high_hit] *= -1
    return p, v
'''),
        ("triangle-wave", '''
def bounce(position, velocity, low, high):
    width = high - low
    moved = np.asarray(position, dtype=float) + velocity
    phase = np.mod(moved - low, 2 * width)
    folded = low + np.where(phase <= width, phase, 2 * width - phase)
    inside = (moved >= low) & (moved <= high)
    return np.where(inside, moved, folded), np.where(inside, velocity, -velocity)
'''),
    ],
    "fit": [
        ("own-batches-function", '''
def fit(model, frames, steps=200, batch_size=4, lr=1e-2, seed=0):
    order = {}

    def batches(step, rng):
        epoch, k = divmod(step, frames.shape[1] // batch_size)
        if epoch not in order:
            order[epoch] = torch.from_numpy(rng.permutation(frames.shape[1]))
        index = order[epoch][k * batch_size:(k + 1) * batch_size]
        return frames[:, index]

    def loss_fn(model, sequences):
        inputs, targets = sequences[:-1], sequences[1:]
        return per_frame_bce(model(inputs), targets)

    return train(model, loss_fn, batches, steps=steps, lr=lr, clip=1.0, seed=seed,
                 progress=False)
'''),
        ("explicit-adam-and-bce", '''
def fit(model, frames, steps=200, batch_size=4, lr=1e-2, seed=0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def loss_fn(model, batch):
        x, y = batch[0][:-1], batch[0][1:]
        bce = F.binary_cross_entropy_with_logits(model(x), y, reduction="sum")
        return bce / (y.shape[0] * y.shape[1])

    return train(model, loss_fn, tensor_batches(frames, batch_size=batch_size, dim=1),
                 steps=steps, optimizer=optimizer, clip=1.0, seed=seed, progress=False)
'''),
        ("probabilities-and-a-loop-over-time", '''
def fit(model, frames, steps=200, batch_size=4, lr=1e-2, seed=0):
    def loss_fn(model, batch):
        sequences = batch[0]
        probabilities = torch.sigmoid(model(sequences[:-1])).clamp(1e-7, 1 - 1e-7)
        total = 0.0
        for t in range(sequences.shape[0] - 1):
            bce = F.binary_cross_entropy(probabilities[t], sequences[t + 1],
                                         reduction="none")
            total = total + bce.flatten(1).sum(1).mean()
        return total / (sequences.shape[0] - 1)

    history = train(model, loss_fn, tensor_batches(frames, batch_size=batch_size, dim=1),
                    steps=steps, lr=lr, clip=1.0, seed=seed, progress=False)
    return history
'''),
    ],
}
