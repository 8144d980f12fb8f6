"""Wrong and alternative answers for the 10_training assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS:
plausible wrong answers, several per part, each of which must lose points on its part
only (tests/test_grading_mutants.py); ALTERNATIVES: correct answers written the way
other learners would, each of which must get full marks. All map an answer cell's
grade_id to complete replacements for that cell.
"""

# --- Part 1: batchify and the windows of truncated BPTT ------------------------------

_BATCHIFY = '''
def batchify(ids, batch_size):
    if not 1 <= batch_size <= len(ids):
        raise ValueError(f"batch_size must be between 1 and {len(ids)}, got {batch_size}")
    T = len(ids) // batch_size
    return ids[:T * batch_size].reshape(batch_size, T).t()
'''

_WINDOWS = '''
def bptt_windows(data, unroll):
    windows = []
    for i in range(0, data.shape[0] - 1, unroll):
        L = min(unroll, data.shape[0] - 1 - i)
        windows.append((data[i:i + L], data[i + 1:i + 1 + L]))
    return windows
'''


def _batchify(body):
    return '''
def batchify(ids, batch_size):
    if not 1 <= batch_size <= len(ids):
        raise ValueError(f"batch_size must be between 1 and {len(ids)}, got {batch_size}")
    T = len(ids) // batch_size
''' + body + _WINDOWS


def _windows(loop):
    return _BATCHIFY + '''
def bptt_windows(data, unroll):
    windows = []
''' + loop + '''
    return windows
'''


_ROW_MAJOR = _batchify('''
    return ids[:T * batch_size].reshape(T, batch_size)
''')

# --- Part 2: truncated BPTT with a carried, detached state ---------------------------


def _tbptt(detach="state = tuple(s.detach() for s in state)",
           target="data[i + 1:i + 1 + L]", zero="optimizer.zero_grad()",
           forward="logits, state = model(x, state)", reduction="mean"):
    return f'''
def tbptt_epoch(model, data, unroll, optimizer, state=None):
    losses = []
    for i in range(0, data.shape[0] - 1, unroll):
        L = min(unroll, data.shape[0] - 1 - i)
        x, y = data[i:i + L], {target}
        if state is not None:
            {detach}
        {zero}
        {forward}
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="{reduction}")
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, tuple(s.detach() for s in state)
'''


# --- Part 3: the masked loss ---------------------------------------------------------


def _masked(lines):
    return '''
def masked_loss(logits, targets, lengths):
    T, B, K = logits.shape
    real = torch.arange(T).unsqueeze(1) < lengths.unsqueeze(0)
    ce = torch.nn.functional.cross_entropy(
        logits.reshape(-1, K), targets.reshape(-1), reduction="none").reshape(T, B)
''' + lines


# --- Part 4: perplexity --------------------------------------------------------------


def _perplexity(mode="model.eval()", carried="state", target="data[i + 1:i + 1 + L]",
                tail="return math.exp(total / count)", count="y.numel()"):
    return f'''
def perplexity(model, data, unroll):
    {mode}
    state, total, count, means = None, 0.0, 0, []
    with torch.no_grad():
        for i in range(0, data.shape[0] - 1, unroll):
            L = min(unroll, data.shape[0] - 1 - i)
            x, y = data[i:i + L], {target}
            logits, state = model(x, {carried})
            nll = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum")
            total += nll.item()
            count += {count}
            means.append(nll.item() / y.numel())
    {tail}
'''


# --- Part 5: train a language model --------------------------------------------------


def _fit(model="LM(vocab_size, embedding_size=32, hidden_size=64, dropout=0.2)",
         lr=0.01, steps=150, target="windows[1:]", step_line="optimizer.step()"):
    return f'''
def train_lm(train_ids, vocab_size, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = {model}
    optimizer = torch.optim.Adam(model.parameters(), lr={lr})
    for step in range({steps}):
        starts = rng.integers(0, len(train_ids) - 33, size=32)
        windows = torch.stack([train_ids[s:s + 33] for s in starts], dim=1)
        x, y = windows[:-1], {target}
        logits, _ = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab_size),
                                                 y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        {step_line}
    return model
'''


WRONG_ANSWERS = {
    # streams laid out row by row: each column interleaves every B-th token
    "batchify": _ROW_MAJOR,
    # the state is not detached: window 2's backward runs into window 1's freed graph
    "tbptt_epoch": _tbptt(detach="pass"),
    # the padding is averaged in
    "masked_loss": _masked('''
    return ce.mean()
'''),
    # dropout stays on while the perplexity is measured
    "perplexity": _perplexity(mode="model.train()"),
    # never updates the weights: the untrained model's perplexity is about K
    "train_lm": _fit(step_line="pass"),
}

MUTANTS = {
    "batchify": [
        ("streams-row-major", _ROW_MAJOR),
        ("remainder-dropped-from-the-front", _batchify('''
    return ids[len(ids) - T * batch_size:].reshape(batch_size, T).t()
''')),
        ("no-error-for-a-bad-batch-size", '''
def batchify(ids, batch_size):
    T = len(ids) // batch_size
    return ids[:T * batch_size].reshape(batch_size, T).t()
''' + _WINDOWS),
        ("targets-not-shifted", _windows('''
    for i in range(0, data.shape[0] - 1, unroll):
        L = min(unroll, data.shape[0] - 1 - i)
        windows.append((data[i:i + L], data[i:i + L]))
''')),
        ("full-windows-only", _windows('''
    for i in range(0, data.shape[0] - unroll, unroll):
        windows.append((data[i:i + unroll], data[i + 1:i + 1 + unroll]))
''')),
        ("an-empty-last-window", _windows('''
    for i in range(0, data.shape[0], unroll):
        L = min(unroll, data.shape[0] - 1 - i)
        windows.append((data[i:i + L], data[i + 1:i + 1 + L]))
''')),
        ("last-x-one-row-longer", _windows('''
    for i in range(0, data.shape[0] - 1, unroll):
        windows.append((data[i:i + unroll], data[i + 1:i + 1 + unroll]))
''')),
    ],
    "tbptt_epoch": [
        ("no-detach", _tbptt(detach="pass")),
        ("detaches-h-only", _tbptt(detach="state = (state[0].detach(), state[1])")),
        ("state-not-carried", _tbptt(forward="logits, state = model(x)")),
        ("targets-not-shifted", _tbptt(target="data[i:i + L]")),
        ("gradients-never-zeroed", _tbptt(zero="pass")),
        ("sum-instead-of-mean", _tbptt(reduction="sum")),
    ],
    "masked_loss": [
        ("padding-averaged-in", WRONG_ANSWERS["masked_loss"]),
        ("mean-of-sequence-means", _masked('''
    return ((ce * real).sum(0) / lengths).mean()
''')),
        ("mask-one-step-short", _masked('''
    real = torch.arange(T).unsqueeze(1) < (lengths - 1).unsqueeze(0)
    return (ce * real).sum() / real.sum()
''')),
        ("real-tokens-over-all-positions", _masked('''
    return (ce * real).sum() / ce.numel()
''')),
        ("sum-per-sequence", _masked('''
    return (ce * real).sum() / B
''')),
        ("returns-a-float", _masked('''
    return ((ce * real).sum() / real.sum()).item()
''')),
        ("softmax-over-time", '''
def masked_loss(logits, targets, lengths):
    T = logits.shape[0]
    real = torch.arange(T).unsqueeze(1) < lengths.unsqueeze(0)
    log_probs = torch.log_softmax(logits, dim=0)
    picked = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    return -picked[real].sum() / real.sum()
'''),
    ],
    "perplexity": [
        ("dropout-left-on", WRONG_ANSWERS["perplexity"]),
        ("exp-of-the-sum", _perplexity(tail="return math.exp(total)")),
        ("mean-of-window-means", _perplexity(
            tail="return math.exp(sum(means) / len(means))")),
        ("state-not-carried", _perplexity(carried="None")),
        ("targets-not-shifted", _perplexity(target="data[i:i + L]")),
        ("no-exponential", _perplexity(tail="return total / count")),
        ("counts-the-first-row-too", _perplexity(count="y.numel() + (y.shape[1] if i == 0 else 0)")),
    ],
    "train_lm": [
        ("never-steps-the-optimiser", WRONG_ANSWERS["train_lm"]),
        ("no-dropout", _fit(model="LM(vocab_size, 32, 64, dropout=0.0)")),
        ("targets-not-shifted", _fit(target="windows[:-1]")),
        ("learning-rate-far-too-small", _fit(lr=1e-5)),
        ("ten-steps", _fit(steps=10)),
        ("too-wide", _fit(model="LM(vocab_size, 32, 256, dropout=0.2)", steps=20)),
    ],
}

ALTERNATIVES = {
    "batchify": [
        # narrow and view, a while loop over the windows
        ("narrow-view-while", '''
def batchify(ids, batch_size):
    n = ids.shape[0]
    if batch_size < 1 or batch_size > n:
        raise ValueError(f"batch_size={batch_size} is not in [1, {n}]")
    T = n // batch_size
    return ids.narrow(0, 0, T * batch_size).view(batch_size, T).t().contiguous()


def bptt_windows(data, unroll):
    out, i, T = [], 0, data.size(0)
    while i < T - 1:
        end = min(i + unroll, T - 1)
        out.append((data[i:end], data[i + 1:end + 1]))
        i += unroll
    return out
'''),
        # stack the streams as columns, split the shifted data
        ("stack-and-split", '''
def batchify(ids, batch_size):
    if not (isinstance(batch_size, int) and 0 < batch_size <= len(ids)):
        raise ValueError("batch_size must be in 1..len(ids), got " + str(batch_size))
    T = len(ids) // batch_size
    return torch.stack(list(ids[:T * batch_size].split(T)), dim=1)


def bptt_windows(data, unroll):
    return list(zip(data[:-1].split(unroll), data[1:].split(unroll)))
'''),
        # plain Python loops, a tensor built from lists
        ("python-loops", '''
def batchify(ids, batch_size):
    if batch_size <= 0 or batch_size > len(ids):
        raise ValueError(f"bad batch_size {batch_size} for {len(ids)} ids")
    values = ids.tolist()
    T = len(values) // batch_size
    rows = [[values[b * T + t] for b in range(batch_size)] for t in range(T)]
    return torch.tensor(rows, dtype=ids.dtype).reshape(T, batch_size)


def bptt_windows(data, unroll):
    T = data.shape[0]
    windows = []
    for start in range(0, T - 1, unroll):
        stop = min(start + unroll, T - 1)
        windows.append((data[start:stop], data[start + 1:stop + 1]))
    return windows
'''),
    ],
    "tbptt_epoch": [
        # windows from torch.split, model.zero_grad, log_softmax + nll_loss
        ("split-nll-model-zero-grad", '''
def tbptt_epoch(model, data, unroll, optimizer, state=None):
    losses = []
    for x, y in zip(data[:-1].split(unroll), data[1:].split(unroll)):
        if state is not None:
            state = tuple(part.detach() for part in state)
        model.zero_grad()
        logits, state = model(x, state)
        log_probs = torch.log_softmax(logits, dim=-1)
        loss = torch.nn.functional.nll_loss(log_probs.flatten(0, 1), y.flatten())
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    h, c = state
    return losses, (h.detach(), c.detach())
'''),
        # detach_ in place, a while loop, the mean written out
        ("detach-in-place-while", '''
def tbptt_epoch(model, data, unroll, optimizer, state=None):
    losses, i, T = [], 0, data.shape[0]
    while i < T - 1:
        L = min(unroll, T - 1 - i)
        x, y = data[i:i + L], data[i + 1:i + 1 + L]
        if state is not None:
            for s in state:
                s.detach_()
        optimizer.zero_grad()
        logits, state = model(x, state)
        picked = logits.log_softmax(-1).gather(-1, y.unsqueeze(-1))
        loss = -picked.sum() / y.numel()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        i += unroll
    for s in state:
        s.detach_()
    return losses, state
'''),
        # detach after each step instead of before the next window, a loss module
        ("detach-after-the-step", '''
def tbptt_epoch(model, data, unroll, optimizer, state=None):
    criterion = torch.nn.CrossEntropyLoss()
    losses = []
    K = model.readout.out_features
    for start in range(0, len(data) - 1, unroll):
        stop = min(start + unroll, len(data) - 1)
        optimizer.zero_grad(set_to_none=False)
        logits, state = model(data[start:stop], state)
        loss = criterion(logits.reshape(-1, K), data[start + 1:stop + 1].reshape(-1))
        loss.backward()
        optimizer.step()
        state = (state[0].detach(), state[1].detach())
        losses.append(loss.detach().item())
    return losses, state
'''),
    ],
    "masked_loss": [
        # cross_entropy without reduction, a float mask
        ("cross-entropy-times-mask", _masked('''
    mask = real.to(ce.dtype)
    return (ce * mask).sum() / mask.sum()
''')),
        # pack_padded_sequence keeps exactly the real tokens
        ("pack-padded-sequence", '''
from torch.nn.utils.rnn import pack_padded_sequence


def masked_loss(logits, targets, lengths):
    packed_logits = pack_padded_sequence(logits, lengths, enforce_sorted=False).data
    packed_targets = pack_padded_sequence(targets, lengths, enforce_sorted=False).data
    return torch.nn.functional.cross_entropy(packed_logits, packed_targets)
'''),
        # a loop over the sequences, summed then divided
        ("loop-over-sequences", '''
def masked_loss(logits, targets, lengths):
    total = 0
    for b in range(logits.shape[1]):
        n = int(lengths[b])
        total = total + torch.nn.functional.cross_entropy(
            logits[:n, b], targets[:n, b], reduction="sum")
    return total / lengths.sum()
'''),
        # torch.where on the negative log-likelihoods
        ("torch-where", '''
def masked_loss(logits, targets, lengths):
    T = logits.size(0)
    positions = torch.arange(T).view(T, 1).expand_as(targets)
    real = positions < lengths.view(1, -1)
    nll = -logits.log_softmax(dim=2).gather(2, targets[..., None])[..., 0]
    return torch.where(real, nll, torch.zeros_like(nll)).sum() / real.sum()
'''),
    ],
    "perplexity": [
        # the state is carried, so one forward over the whole text is the same
        ("one-forward", '''
def perplexity(model, data, unroll):
    model.eval()
    with torch.no_grad():
        logits, _ = model(data[:-1])
        nll = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), data[1:].reshape(-1))
    return float(torch.exp(nll))
'''),
        # window means weighted by their sizes, inference_mode
        ("weighted-window-means", '''
def perplexity(model, data, unroll):
    model.train(False)
    total, count, state = 0.0, 0, None
    with torch.inference_mode():
        for start in range(0, data.shape[0] - 1, unroll):
            x = data[start:start + unroll][: data.shape[0] - 1 - start]
            y = data[start + 1:start + 1 + x.shape[0]]
            logits, state = model(x, state)
            mean = torch.nn.functional.cross_entropy(logits.flatten(0, 1), y.flatten())
            total += mean.item() * y.numel()
            count += y.numel()
    return math.exp(total / count)
'''),
        # log_softmax and gather, a tensor sum in float64, a while loop
        ("gather-float64-while", '''
def perplexity(model, data, unroll):
    was_training = model.training
    model.eval()
    i, state, total = 0, None, torch.zeros((), dtype=torch.float64)
    with torch.no_grad():
        while i < len(data) - 1:
            L = min(unroll, len(data) - 1 - i)
            logits, state = model(data[i:i + L], state)
            log_p = logits.log_softmax(-1).gather(-1, data[i + 1:i + 1 + L, :, None])
            total -= log_p.double().sum()
            i += L
    model.train(was_training)
    return (total / ((len(data) - 1) * data.shape[1])).exp().item()
'''),
    ],
    "train_lm": [
        # the streams of batchify with the state carried and detached (Part 2's loop)
        ("streams-with-carried-state", '''
def train_lm(train_ids, vocab_size, seed):
    torch.manual_seed(seed)
    model = LM(vocab_size, embedding_size=32, hidden_size=64, dropout=0.2)
    T = len(train_ids) // 32
    streams = train_ids[:T * 32].reshape(32, T).t()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    state = None
    for step in range(200):
        i = step * 32
        x, y = streams[i:i + 32], streams[i + 1:i + 33]
        if state is not None:
            state = tuple(s.detach() for s in state)
        logits, state = model(x, state)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab_size),
                                                 y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    return model
'''),
        # two layers with dropout between them, RMSprop, rnncourse.train
        ("two-layers-rmsprop-train", '''
def train_lm(train_ids, vocab_size, seed):
    torch.manual_seed(seed)
    model = LM(vocab_size, embedding_size=24, hidden_size=48, num_layers=2,
               dropout=0.1)

    def batches(step, rng):
        starts = rng.integers(0, len(train_ids) - 41, size=24)
        chunk = torch.stack([train_ids[s:s + 41] for s in starts], dim=1)
        return chunk[:-1], chunk[1:]

    def loss_fn(model, batch):
        logits, _ = model(batch[0])
        return torch.nn.functional.cross_entropy(logits.flatten(0, 1),
                                                 batch[1].flatten())

    optimizer = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    train(model, loss_fn, batches, steps=200, optimizer=optimizer, clip=0.5,
          seed=seed, progress=False)
    return model
'''),
        # more units, stronger dropout, longer windows, a torch.Generator, no clipping
        ("wider-dropout-0.3", '''
def train_lm(train_ids, vocab_size, seed):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    model = LM(vocab_size, embedding_size=16, hidden_size=96, dropout=0.3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(150):
        starts = torch.randint(0, len(train_ids) - 49, (24,), generator=g)
        chunk = torch.stack([train_ids[int(s):int(s) + 49] for s in starts], dim=1)
        logits, _ = model(chunk[:-1])
        loss = torch.nn.functional.cross_entropy(logits.view(-1, vocab_size),
                                                 chunk[1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model
'''),
    ],
}
