"""Plausible wrong answers and alternative correct answers for the 14_beyond
assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: several
per part, each must lose points on its part only; ALTERNATIVES: correct answers written
differently, each must get full marks (tests/test_grading_mutants.py). All map an answer
cell's grade_id to complete replacements for that cell.
"""

WRONG_ANSWERS = {
    # Forgets to add A*_t back: returns the logcumsumexp alone.
    "scan_log_space": '''
def scan_log_space(log_a, log_b, log_h0=None):
    a_star = torch.cumsum(log_a, dim=0)
    terms = log_b - a_star
    if log_h0 is not None:
        terms = torch.cat([log_h0[None], terms])
        return torch.logcumsumexp(terms, dim=0)[1:]
    return torch.logcumsumexp(terms, dim=0)
''',
    # PyTorch's GRU convention: z_t weighs the old state.
    "min_gru": '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    k, candidate = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    if mode == "sequential":
        z = torch.sigmoid(k)
        h = torch.zeros_like(k[0]) if h0 is None else h0
        states = []
        for t in range(x.shape[0]):
            h = z[t] * h + (1 - z[t]) * g(candidate[t])
            states.append(h)
        return torch.stack(states)
    log_a = -F.softplus(-k)
    log_b = -F.softplus(k) + log_g(candidate)
    log_h0 = None if h0 is None else h0.log()
    return scan_log(log_a, log_b, log_h0).exp()
''',
    # Swaps the arguments of combine: the later run first (combine does not commute).
    "doubling_scan": '''
def doubling_scan(a, b):
    T, offset = a.shape[0], 1
    while offset < T:
        a_new, b_new = combine((a[offset:], b[offset:]), (a[:-offset], b[:-offset]))
        a = torch.cat([a[:offset], a_new])
        b = torch.cat([b[:offset], b_new])
        offset *= 2
    return b
''',
}


MUTANTS = {
    "scan_log_space": [
        ("forgets-a-star", WRONG_ANSWERS["scan_log_space"]),
        ("exponentiates-and-loops", '''
def scan_log_space(log_a, log_b, log_h0=None):
    a, b = log_a.exp(), log_b.exp()
    h = torch.zeros_like(b[0]) if log_h0 is None else log_h0.exp()
    states = []
    for t in range(a.shape[0]):
        h = a[t] * h + b[t]
        states.append(h)
    return torch.stack(states).log()
'''),
        ("cumprod-closed-form", '''
def scan_log_space(log_a, log_b, log_h0=None):
    A = torch.cumprod(log_a.exp(), dim=0)
    total = torch.cumsum(log_b.exp() / A, dim=0)
    if log_h0 is not None:
        total = total + log_h0.exp()
    return (A * total).log()
'''),
        ("exclusive-cumsum", '''
def scan_log_space(log_a, log_b, log_h0=None):
    a_star = torch.cumsum(log_a, dim=0) - log_a
    terms = log_b - a_star
    if log_h0 is None:
        return a_star + torch.logcumsumexp(terms, dim=0)
    terms = torch.cat([log_h0[None], terms])
    return a_star + torch.logcumsumexp(terms, dim=0)[1:]
'''),
        ("ignores-h0", '''
def scan_log_space(log_a, log_b, log_h0=None):
    a_star = torch.cumsum(log_a, dim=0)
    return a_star + torch.logcumsumexp(log_b - a_star, dim=0)
'''),
        ("log-of-cumsum-of-exp", '''
def scan_log_space(log_a, log_b, log_h0=None):
    a_star = torch.cumsum(log_a, dim=0)
    terms = log_b - a_star
    if log_h0 is not None:
        terms = torch.cat([log_h0[None], terms])
        return a_star + torch.cumsum(terms.exp(), dim=0).log()[1:]
    return a_star + torch.cumsum(terms.exp(), dim=0).log()
'''),
        ("plus-a-star-inside", '''
def scan_log_space(log_a, log_b, log_h0=None):
    a_star = torch.cumsum(log_a, dim=0)
    terms = log_b + a_star
    if log_h0 is None:
        return a_star + torch.logcumsumexp(terms, dim=0)
    terms = torch.cat([log_h0[None], terms])
    return a_star + torch.logcumsumexp(terms, dim=0)[1:]
'''),
    ],
    "min_gru": [
        ("torch-convention", WRONG_ANSWERS["min_gru"]),
        ("tanh-candidate", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    k, candidate = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    if mode == "sequential":
        z = torch.sigmoid(k)
        h = torch.zeros_like(k[0]) if h0 is None else h0
        states = []
        for t in range(x.shape[0]):
            h = (1 - z[t]) * h + z[t] * torch.tanh(candidate[t])
            states.append(h)
        return torch.stack(states)
    log_a = -F.softplus(k)
    log_b = -F.softplus(-k) + torch.tanh(candidate).log()
    log_h0 = None if h0 is None else h0.log()
    return scan_log(log_a, log_b, log_h0).exp()
'''),
        ("rows-swapped", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    candidate, k = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    if mode == "sequential":
        z = torch.sigmoid(k)
        h = torch.zeros_like(k[0]) if h0 is None else h0
        states = []
        for t in range(x.shape[0]):
            h = (1 - z[t]) * h + z[t] * g(candidate[t])
            states.append(h)
        return torch.stack(states)
    log_a = -F.softplus(k)
    log_b = -F.softplus(-k) + log_g(candidate)
    log_h0 = None if h0 is None else h0.log()
    return scan_log(log_a, log_b, log_h0).exp()
'''),
        ("returns-log-h", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    k, candidate = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    if mode == "sequential":
        z = torch.sigmoid(k)
        h = torch.zeros_like(k[0]) if h0 is None else h0
        states = []
        for t in range(x.shape[0]):
            h = (1 - z[t]) * h + z[t] * g(candidate[t])
            states.append(h)
        return torch.stack(states)
    log_a = -F.softplus(k)
    log_b = -F.softplus(-k) + log_g(candidate)
    log_h0 = None if h0 is None else h0.log()
    return scan_log(log_a, log_b, log_h0)
'''),
        ("log-of-sigmoid", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    k, candidate = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    z = torch.sigmoid(k)
    if mode == "sequential":
        h = torch.zeros_like(k[0]) if h0 is None else h0
        states = []
        for t in range(x.shape[0]):
            h = (1 - z[t]) * h + z[t] * g(candidate[t])
            states.append(h)
        return torch.stack(states)
    log_a = (1 - z).log()
    log_b = z.log() + log_g(candidate)
    log_h0 = None if h0 is None else h0.log()
    return scan_log(log_a, log_b, log_h0).exp()
'''),
        ("ignores-h0", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    k, candidate = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    if mode == "sequential":
        z = torch.sigmoid(k)
        h = torch.zeros_like(k[0])
        states = []
        for t in range(x.shape[0]):
            h = (1 - z[t]) * h + z[t] * g(candidate[t])
            states.append(h)
        return torch.stack(states)
    return scan_log(-F.softplus(k), -F.softplus(-k) + log_g(candidate)).exp()
'''),
        ("no-g-in-the-loop", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    k, candidate = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    if mode == "sequential":
        z = torch.sigmoid(k)
        h = torch.zeros_like(k[0]) if h0 is None else h0
        states = []
        for t in range(x.shape[0]):
            h = (1 - z[t]) * h + z[t] * candidate[t]
            states.append(h)
        return torch.stack(states)
    log_a = -F.softplus(k)
    log_b = -F.softplus(-k) + log_g(candidate)
    log_h0 = None if h0 is None else h0.log()
    return scan_log(log_a, log_b, log_h0).exp()
'''),
    ],
    "doubling_scan": [
        ("combine-arguments-swapped", WRONG_ANSWERS["doubling_scan"]),
        ("sequential-loop", '''
def doubling_scan(a, b):
    state, out = (a[0], b[0]), [b[0]]
    for t in range(1, a.shape[0]):
        state = combine(state, (a[t], b[t]))
        out.append(state[1])
    return torch.stack(out)
'''),
        ("one-round-short", '''
def doubling_scan(a, b):
    T, offset = a.shape[0], 1
    while 2 * offset < T:
        a_new, b_new = combine((a[:-offset], b[:-offset]), (a[offset:], b[offset:]))
        a = torch.cat([a[:offset], a_new])
        b = torch.cat([b[:offset], b_new])
        offset *= 2
    return b
'''),
        ("offset-grows-by-one", '''
def doubling_scan(a, b):
    T, offset = a.shape[0], 1
    while offset < T:
        a_new, b_new = combine((a[:-offset], b[:-offset]), (a[offset:], b[offset:]))
        a = torch.cat([a[:offset], a_new])
        b = torch.cat([b[:offset], b_new])
        offset += 1
    return b
'''),
        ("in-place-a-before-b", '''
def doubling_scan(a, b):
    a, b = a.clone(), b.clone()
    T, offset = a.shape[0], 1
    while offset < T:
        a[offset:] = a[offset:] * a[:-offset]
        b[offset:] = a[offset:] * b[:-offset] + b[offset:]
        combine((a[:1], b[:1]), (a[:1], b[:1]))
        offset *= 2
    return b
'''),
        ("returns-a", '''
def doubling_scan(a, b):
    T, offset = a.shape[0], 1
    while offset < T:
        a_new, b_new = combine((a[:-offset], b[:-offset]), (a[offset:], b[offset:]))
        a = torch.cat([a[:offset], a_new])
        b = torch.cat([b[:offset], b_new])
        offset *= 2
    return a
'''),
        ("modifies-its-inputs", '''
def doubling_scan(a, b):
    T, offset = a.shape[0], 1
    while offset < T:
        a_new, b_new = combine((a[:-offset].clone(), b[:-offset].clone()),
                               (a[offset:].clone(), b[offset:].clone()))
        a[offset:], b[offset:] = a_new, b_new
        offset *= 2
    return b
'''),
    ],
}


ALTERNATIVES = {
    "scan_log_space": [
        ("h0-by-logaddexp", '''
def scan_log_space(log_a, log_b, log_h0=None):
    a_star = torch.cumsum(log_a, dim=0)
    log_h = a_star + torch.logcumsumexp(log_b - a_star, dim=0)
    if log_h0 is not None:
        log_h = torch.logaddexp(log_h, a_star + log_h0)
    return log_h
'''),
        ("float64-inside", '''
def scan_log_space(log_a, log_b, log_h0=None):
    dtype = log_a.dtype
    la, lb = log_a.double(), log_b.double()
    if log_h0 is not None:
        la = torch.cat([torch.zeros_like(la[:1]), la])
        lb = torch.cat([log_h0.double()[None], lb])
    a_star = la.cumsum(0)
    out = a_star + (lb - a_star).logcumsumexp(0)
    if log_h0 is not None:
        out = out[1:]
    return out.to(dtype)
'''),
        ("log-space-doubling-rounds", '''
def scan_log_space(log_a, log_b, log_h0=None):
    la, lb = log_a, log_b
    if log_h0 is not None:
        lb = torch.cat([torch.logaddexp(log_a[0] + log_h0, log_b[0])[None], log_b[1:]])
    T, d = la.shape[0], 1
    while d < T:
        la, lb = (torch.cat([la[:d], la[d:] + la[:-d]]),
                  torch.cat([lb[:d], torch.logaddexp(la[d:] + lb[:-d], lb[d:])]))
        d *= 2
    return lb
'''),
        ("package-tree-scan", '''
from rnncourse.torch.scan import scan_log_associative

def scan_log_space(log_a, log_b, log_h0=None):
    return scan_log_associative(log_a, log_b, log_h0)
'''),
    ],
    "min_gru": [
        ("logsigmoid-and-step-loop", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    H = W_ih.shape[0] // 2
    if mode == "sequential":
        h = x.new_zeros(x.shape[1], H) if h0 is None else h0
        out = []
        for x_t in x:
            z = torch.sigmoid(x_t @ W_ih[:H].T + b_ih[:H])
            candidate = g(x_t @ W_ih[H:].T + b_ih[H:])
            h = (1 - z) * h + z * candidate
            out.append(h)
        return torch.stack(out)
    k = x @ W_ih[:H].T + b_ih[:H]
    pre = x @ W_ih[H:].T + b_ih[H:]
    log_h0 = None if h0 is None else torch.log(h0)
    return torch.exp(scan_log(F.logsigmoid(-k), F.logsigmoid(k) + log_g(pre), log_h0))
'''),
        ("preallocated-and-in-place", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    gates = torch.addmm(b_ih, x.reshape(-1, x.shape[-1]), W_ih.T)
    gates = gates.reshape(x.shape[0], x.shape[1], -1)
    H = gates.shape[-1] // 2
    k, candidate = gates[..., :H], gates[..., H:]
    if mode == "parallel":
        log_h0 = h0.log() if h0 is not None else None
        log_h = scan_log(-F.softplus(k), log_g(candidate) - F.softplus(-k), log_h0)
        return log_h.exp()
    out = torch.empty_like(k)
    h = torch.zeros_like(k[0]) if h0 is None else h0.clone()
    z = torch.sigmoid(k)
    for t in range(len(x)):
        h.mul_(1 - z[t]).add_(z[t] * g(candidate[t]))
        out[t] = h
    return out
'''),
        ("update-as-interpolation", '''
def min_gru(x, W_ih, b_ih, h0=None, mode="parallel"):
    k, pre = F.linear(x, W_ih, b_ih).chunk(2, dim=-1)
    if mode == "sequential":
        z, candidate = torch.sigmoid(k), g(pre)
        h = torch.zeros_like(k[0]) if h0 is None else h0
        states = []
        for t in range(len(x)):
            h = h + z[t] * (candidate[t] - h)
            states.append(h)
        return torch.stack(states)
    log_a = -torch.logaddexp(torch.zeros_like(k), k)
    log_b = -torch.logaddexp(torch.zeros_like(k), -k) + log_g(pre)
    return scan_log(log_a, log_b, None if h0 is None else h0.log()).exp()
'''),
    ],
    "doubling_scan": [
        ("clone-and-slice-assignment", '''
def doubling_scan(a, b):
    a, b = a.clone(), b.clone()
    T, d = a.shape[0], 1
    while d < T:
        a_new, b_new = combine((a[:-d], b[:-d]), (a[d:], b[d:]))
        a[d:], b[d:] = a_new, b_new
        d *= 2
    return b
'''),
        ("identity-padding", '''
def doubling_scan(a, b):
    T, d = a.shape[0], 1
    while d < T:
        ones, zeros = torch.ones_like(a[:d]), torch.zeros_like(b[:d])
        shifted = (torch.cat([ones, a[:-d]]), torch.cat([zeros, b[:-d]]))
        a, b = combine(shifted, (a, b))
        d *= 2
    return b
'''),
        ("blelloch-tree", '''
def _prefix(a, b):
    T = a.shape[0]
    if T == 1:
        return a, b
    n = T // 2
    pa, pb = combine((a[0:2 * n:2], b[0:2 * n:2]), (a[1:2 * n:2], b[1:2 * n:2]))
    A_odd, B_odd = _prefix(pa, pb)
    m = a[2::2].shape[0]
    A_even, B_even = combine((A_odd[:m], B_odd[:m]), (a[2::2], b[2::2]))
    A_even, B_even = torch.cat([a[:1], A_even]), torch.cat([b[:1], B_even])
    A = torch.empty_like(a)
    B = torch.empty_like(b)
    A[0::2], A[1::2], B[0::2], B[1::2] = A_even, A_odd, B_even, B_odd
    return A, B

def doubling_scan(a, b):
    return _prefix(a, b)[1]
'''),
        ("offsets-from-log2", '''
def doubling_scan(a, b):
    T = a.shape[0]
    for k in range(math.ceil(math.log2(T)) if T > 1 else 0):
        d = 2 ** k
        head_a, head_b = a[:d], b[:d]
        a_new, b_new = combine((a[:T - d], b[:T - d]), (a[d:], b[d:]))
        a, b = torch.cat((head_a, a_new)), torch.cat((head_b, b_new))
    return b
'''),
    ],
}
