"""Linear recurrences, the parallel scan, minGRU and minLSTM (chapter 14).

A **linear recurrence** updates its state by an elementwise product and a sum,

    h_t = a_t ⊙ h_{t−1} + b_t,        t = 1, …, T,

where ``a_t`` and ``b_t`` may depend on the input ``x_t`` but **not** on ``h_{t−1}``.
A GRU or an LSTM is not of this form (its gates read ``h_{t−1}`` through ``W_hh``);
minGRU and minLSTM (Feng et al. 2024) are: they drop ``W_hh`` from the gates, so the
recurrence can be computed for all t at once.

Ways to compute the same ``h`` (all time-major, ``a, b: (T, …)``):

``scan_sequential``
    the loop: T steps, each waiting for the previous one.
``scan_hillis_steele``, ``scan_associative``
    parallel scans. The pairs ``(a_t, b_t)`` compose associatively,
    ``(a₂, b₂) ∘ (a₁, b₁) = (a₂ a₁, a₂ b₁ + b₂)`` (:func:`combine`), so prefixes can be
    combined in a tree of depth O(log T): Hillis & Steele's (1986) doubling scan
    (⌈log₂ T⌉ rounds, T log₂ T work) and Blelloch's (1990) work-efficient scan
    (:func:`prefix_scan`: 2⌈log₂ T⌉ − 1 levels, about 2T work).
``scan_log_associative``
    the same tree in log space (:func:`combine_log`), for a, b > 0.
``scan_cumprod``
    the closed form ``h_t = A_t (h_0 + Σ_{k≤t} b_k / A_k)`` with ``A_t = a_1 ⋯ a_t``
    (``cumprod`` and ``cumsum``, both scans). Correct in exact arithmetic, but
    ``A_t`` underflows to 0 for long sequences and ``b_k / A_k`` becomes inf: NaN.
``scan_log``
    the closed form in log space (Heinsen 2023, used by Feng et al. 2024):
    ``log h_t = A*_t + logcumsumexp_k(log b_k − A*_k)`` with ``A*_t = Σ_{k≤t} log a_k``;
    nothing is exponentiated before the end, so it is stable for any T. It needs
    ``a_t > 0`` and ``b_t > 0`` (minGRU makes its candidate positive for this).

Contents also: :class:`MinGRU`, :class:`MinLSTM` (sequential and parallel modes),
:func:`time_training_steps` (the timing of chapter 14, also ``python -m
rnncourse.torch.scan``, which runs on a GPU where there is one) and
:class:`CachedSelfAttention` (token-by-token generation with a key–value cache, to
compare with a GRU's constant-size state).
"""

from __future__ import annotations

import math
import time

import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "scan_sequential",
    "scan_hillis_steele",
    "prefix_scan",
    "scan_associative",
    "scan_log_associative",
    "scan_cumprod",
    "scan_log",
    "combine",
    "combine_log",
    "g",
    "log_g",
    "MinGRU",
    "MinLSTM",
    "time_training_steps",
    "CachedSelfAttention",
]


def _check_pair(a, b, h0=None, names=("a", "b")):
    if a.shape != b.shape or a.dim() < 1:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape (T, ...), got "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    if h0 is not None and h0.shape != a.shape[1:]:
        raise ValueError(
            f"h0 must have the shape of one step, {tuple(a.shape[1:])}, got "
            f"{tuple(h0.shape)}"
        )


# --------------------------------------------------------------------------------------
# Four ways to compute h_t = a_t ⊙ h_{t−1} + b_t
# --------------------------------------------------------------------------------------


def scan_sequential(a, b, h0=None):
    """h_t = a_t ⊙ h_{t−1} + b_t by a loop over t.

    a, b: (T, …); h0: (…) or None (zeros). Returns h: (T, …), h[t − 1] = h_t.
    """
    _check_pair(a, b, h0)
    h = torch.zeros_like(b[0]) if h0 is None else h0
    states = []
    for a_t, b_t in zip(a, b):
        h = a_t * h + b_t
        states.append(h)
    return torch.stack(states)


def combine(earlier, later):
    """Compose two steps of the recurrence: first ``earlier`` = (a₁, b₁), then ``later``
    = (a₂, b₂). ``h ↦ a₂ (a₁ h + b₁) + b₂ = (a₂ a₁) h + (a₂ b₁ + b₂)``.

    Associative, so any bracketing of a run of steps gives the same composition.
    """
    a1, b1 = earlier
    a2, b2 = later
    return a2 * a1, a2 * b1 + b2


def scan_hillis_steele(a, b, h0=None):
    """The doubling scan of Hillis & Steele (1986): ⌈log₂ T⌉ rounds of :func:`combine`.

    After the round with offset d = 1, 2, 4, …, entry t holds the composition of the
    steps max(1, t − 2d + 1) … t, so after ⌈log₂ T⌉ rounds it holds the whole prefix
    1 … t, whose ``b`` part is h_t when h_0 = 0 (a nonzero h_0 enters as
    ``b_1 + a_1 h_0``). Every round works on all t at once, but does T combines: the
    total work is T log₂ T, against T for the loop.

    a, b: (T, …); h0: (…) or None. Returns h: (T, …).
    """
    _check_pair(a, b, h0)
    if h0 is not None:
        b = torch.cat([(b[0] + a[0] * h0)[None], b[1:]])
    T, offset = a.shape[0], 1
    while offset < T:
        # entries t >= offset absorb the prefix that ends at t − offset
        a_new, b_new = combine((a[:-offset], b[:-offset]), (a[offset:], b[offset:]))
        a = torch.cat([a[:offset], a_new])
        b = torch.cat([b[:offset], b_new])
        offset *= 2
    return b


def _interleave(even, odd, T):
    """Entries 0, 2, 4, … from ``even`` and 1, 3, 5, … from ``odd``, T in all."""
    n = odd.shape[0]
    pairs = torch.stack([even[:n], odd], dim=1).flatten(0, 1)
    return torch.cat([pairs, even[n:]]) if T % 2 else pairs


def prefix_scan(a, b, combine=combine):
    """All prefix compositions of the steps (a_t, b_t), by Blelloch's (1990) tree.

    Combine neighbours (1, 2), (3, 4), … into T/2 steps, scan those (recursively),
    then fill in the odd positions with one more combine each. Each of the
    2⌈log₂ T⌉ − 1 levels works on all its entries at once; the total work is about 2T
    combines (the doubling scan needs T log₂ T). ``combine`` may be replaced, e.g. by
    its log-space version.

    a, b: (T, …). Returns (A, B), each (T, …): the composition of steps 1 … t is
    ``h ↦ A_t h + B_t``.
    """
    T = a.shape[0]
    if T == 1:
        return a, b
    n = T // 2
    # steps (2i, 2i + 1), 0-based, combined: T // 2 steps
    first, second = slice(0, 2 * n, 2), slice(1, 2 * n, 2)
    a_pairs, b_pairs = combine((a[first], b[first]), (a[second], b[second]))
    A_odd, B_odd = prefix_scan(a_pairs, b_pairs, combine)   # prefixes ending at 1, 3, …
    # prefixes ending at 2, 4, …: the odd prefix before them, then their own step
    A_even, B_even = combine((A_odd[:T - 1 - n], B_odd[:T - 1 - n]), (a[2::2], b[2::2]))
    A_even, B_even = torch.cat([a[:1], A_even]), torch.cat([b[:1], B_even])
    return _interleave(A_even, A_odd, T), _interleave(B_even, B_odd, T)


def scan_associative(a, b, h0=None):
    """h_t = a_t ⊙ h_{t−1} + b_t by the parallel scan :func:`prefix_scan`.

    Stable as it is: it multiplies and adds, never divides, so a product of many
    a_t < 1 can only shrink towards 0, which is its true value.

    a, b: (T, …); h0: (…) or None. Returns h: (T, …).
    """
    _check_pair(a, b, h0)
    A, B = prefix_scan(a, b)
    return B if h0 is None else A * h0 + B


def combine_log(earlier, later):
    """:func:`combine` for (log a, log b): (log a₂ + log a₁, log(a₂ b₁ + b₂)), with
    ``logaddexp`` so that no exponential over- or underflows (needs a, b > 0)."""
    log_a1, log_b1 = earlier
    log_a2, log_b2 = later
    return log_a2 + log_a1, torch.logaddexp(log_a2 + log_b1, log_b2)


def scan_log_associative(log_a, log_b, log_h0=None):
    """The parallel scan in log space: log h_t for h_t = a_t h_{t−1} + b_t (a, b > 0).

    :func:`prefix_scan` with :func:`combine_log`. log_a, log_b: (T, …); log_h0: (…) or
    None (h_0 = 0). Returns log h: (T, …).
    """
    _check_pair(log_a, log_b, log_h0, names=("log_a", "log_b"))
    log_A, log_B = prefix_scan(log_a, log_b, combine_log)
    return log_B if log_h0 is None else torch.logaddexp(log_A + log_h0, log_B)


def scan_cumprod(a, b, h0=None):
    """The closed form h_t = A_t (h_0 + Σ_{k ≤ t} b_k / A_k), A_t = a_1 ⋯ a_t.

    Unstable on purpose: for long T the product A_t underflows to 0 and the division
    gives inf, then NaN. Use :func:`scan_log` instead. a, b: (T, …); h0: (…) or None.
    """
    _check_pair(a, b, h0)
    A = torch.cumprod(a, dim=0)
    total = torch.cumsum(b / A, dim=0)
    if h0 is not None:
        total = total + h0
    return A * total


def scan_log(log_a, log_b, log_h0=None):
    """The recurrence in log space: returns log h_t for h_t = a_t h_{t−1} + b_t.

    With A*_t = Σ_{k≤t} log a_k (a cumulative sum),

        log h_t = A*_t + log( h_0 + Σ_{k≤t} exp(log b_k − A*_k) )
                = A*_t + logcumsumexp_k(log b_k − A*_k)      (h_0 as a k = 0 term),

    so nothing underflows however long the sequence. Needs a_t, b_t > 0 (and h_0 ≥ 0).

    log_a, log_b: (T, …); log_h0: (…) or None (h_0 = 0). Returns log h: (T, …).
    """
    _check_pair(log_a, log_b, log_h0, names=("log_a", "log_b"))
    a_star = torch.cumsum(log_a, dim=0)
    log_terms = log_b - a_star
    if log_h0 is not None:
        log_terms = torch.cat([log_h0[None], log_terms])
        return a_star + torch.logcumsumexp(log_terms, dim=0)[1:]
    return a_star + torch.logcumsumexp(log_terms, dim=0)


# --------------------------------------------------------------------------------------
# minGRU and minLSTM (Feng et al. 2024)
# --------------------------------------------------------------------------------------


def g(x):
    """Feng et al.'s positive activation for the candidate state: x + 0.5 for x ≥ 0,
    σ(x) for x < 0 (continuous at 0, always > 0, so that its log exists)."""
    return torch.where(x >= 0, x + 0.5, torch.sigmoid(x))


def log_g(x):
    """log g(x), computed without forming g(x) for x < 0: −softplus(−x) = log σ(x)."""
    return torch.where(x >= 0, torch.log(F.relu(x) + 0.5), -F.softplus(-x))


# "parallel": the log-space associative scan; "closed_form": Feng et al.'s cumsum and
# logcumsumexp; "sequential": the loop
MODES = ("sequential", "parallel", "closed_form")


class _MinRNN(nn.Module):
    """Shared parts: ``W_ih (G·H, D)``, ``b_ih (G·H,)``, no ``W_hh``."""

    num_gates = 2

    def __init__(self, input_size, hidden_size):
        super().__init__()
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        self.input_size, self.hidden_size = input_size, hidden_size
        rows = self.num_gates * hidden_size
        bound = 1.0 / math.sqrt(input_size)      # nn.Linear's default
        self.W_ih = nn.Parameter(torch.empty(rows, input_size).uniform_(-bound, bound))
        self.b_ih = nn.Parameter(torch.empty(rows).uniform_(-bound, bound))

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}"

    def _gates(self, x):
        if x.dim() < 2 or x.shape[-1] != self.input_size:
            raise ValueError(
                f"{type(self).__name__}: x must have shape (T, B, D) or (B, D) with "
                f"D = {self.input_size}, got {tuple(x.shape)}"
            )
        return F.linear(x, self.W_ih, self.b_ih).chunk(self.num_gates, dim=-1)

    def _h0(self, x, h0):
        shape = (*x.shape[1:-1], self.hidden_size)
        if h0 is None:
            return None
        if tuple(h0.shape) != shape:
            raise ValueError(
                f"{type(self).__name__}: h0 must have shape {shape}, got "
                f"{tuple(h0.shape)}"
            )
        if bool((h0 < 0).any()):
            raise ValueError(
                f"{type(self).__name__}: h0 must be >= 0 (the parallel mode works "
                "with log h); g(·) keeps every later state positive"
            )
        return h0

    def forward(self, x, h0=None, mode="parallel"):
        """x: (T, B, D); h0: (B, H) ≥ 0 or None (zeros). Returns h: (T, B, H).

        mode: ``"sequential"`` (a_t, b_t for all t at once, then the T-step loop),
        ``"parallel"`` (log a_t, log b_t, then the log-space associative scan) or
        ``"closed_form"`` (log space, Feng et al.'s cumsum and logcumsumexp).
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if x.dim() != 3:
            raise ValueError(
                f"{type(self).__name__}: x must have shape (T, B, D), got "
                f"{tuple(x.shape)}"
            )
        h0 = self._h0(x, h0)
        if mode == "sequential":
            return scan_sequential(*self._coefficients(x), h0)
        log_a, log_b = self._log_coefficients(x)
        log_h0 = None if h0 is None else torch.log(h0)
        scan = scan_log_associative if mode == "parallel" else scan_log
        return torch.exp(scan(log_a, log_b, log_h0))


class MinGRU(_MinRNN):
    """minGRU (Feng et al. 2024): a GRU whose gate and candidate read only x_t.

        z_t = σ(W_iz x_t + b_iz)        h̃_t = g(W_ih̃ x_t + b_ih̃)
        h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t

    so ``a_t = 1 − z_t`` and ``b_t = z_t ⊙ h̃_t``. Note the convention: here z_t
    weighs the *new* candidate (Feng et al.'s and Cho et al.'s), while torch's GRU
    writes ``h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}``. There is no reset gate (with no
    ``W_hh`` it would have nothing to reset) and no tanh: g(·) > 0 instead.

    Parameters: ``W_ih (2H, D)``, ``b_ih (2H,)``, rows in the order z, h̃.
    """

    num_gates = 2

    def step(self, x_t, h):
        """One step, constant memory: x_t (B, D), h (B, H) -> h' (B, H)."""
        k, candidate = self._gates(x_t)
        z = torch.sigmoid(k)
        return (1 - z) * h + z * g(candidate)

    def _coefficients(self, x):
        """a_t = 1 − z_t and b_t = z_t ⊙ h̃_t for every t: each (T, B, H)."""
        k, candidate = self._gates(x)
        z = torch.sigmoid(k)
        return 1 - z, z * g(candidate)

    def _log_coefficients(self, x):
        """log a_t and log b_t, computed in log space: each (T, B, H)."""
        k, candidate = self._gates(x)
        log_z = -F.softplus(-k)                  # log σ(k)
        log_one_minus_z = -F.softplus(k)         # log (1 − σ(k))
        return log_one_minus_z, log_z + log_g(candidate)


class MinLSTM(_MinRNN):
    """minLSTM (Feng et al. 2024): forget and input gates that read only x_t,
    normalised to sum to one, and no output gate or separate cell state.

        f_t = σ(W_if x_t + b_if)   i_t = σ(W_ii x_t + b_ii)   h̃_t = g(W_ih̃ x_t + b_ih̃)
        f′_t = f_t / (f_t + i_t)   i′_t = i_t / (f_t + i_t)
        h_t = f′_t ⊙ h_{t−1} + i′_t ⊙ h̃_t

    Parameters: ``W_ih (3H, D)``, ``b_ih (3H,)``, rows in the order f, i, h̃.
    """

    num_gates = 3

    def step(self, x_t, h):
        """One step: x_t (B, D), h (B, H) -> h' (B, H)."""
        k_f, k_i, candidate = self._gates(x_t)
        f, i = torch.sigmoid(k_f), torch.sigmoid(k_i)
        return (f * h + i * g(candidate)) / (f + i)

    def _coefficients(self, x):
        """a_t = f′_t and b_t = i′_t ⊙ h̃_t for every t: each (T, B, H)."""
        k_f, k_i, candidate = self._gates(x)
        f, i = torch.sigmoid(k_f), torch.sigmoid(k_i)
        return f / (f + i), i / (f + i) * g(candidate)

    def _log_coefficients(self, x):
        """log a_t and log b_t, computed in log space: each (T, B, H)."""
        k_f, k_i, candidate = self._gates(x)
        # log(i/f) = log σ(k_i) − log σ(k_f); then f′ = σ(−diff), i′ = σ(diff)
        diff = F.softplus(-k_f) - F.softplus(-k_i)
        return -F.softplus(diff), -F.softplus(-diff) + log_g(candidate)


# --------------------------------------------------------------------------------------
# Timing: one training step, sequential vs parallel
# --------------------------------------------------------------------------------------


def _synchronize(device):
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize(device)


def time_training_steps(lengths, *, modes=("sequential", "parallel"), batch_size=16,
                        input_size=16, hidden_size=64, vocabulary=16, repeats=5,
                        warmup=2, device="cpu", cell=MinGRU, seed=0):
    """Wall time of one training step of a one-layer min-RNN classifier per token.

    For each T in ``lengths``: a model ``cell(input_size, hidden_size)`` with a linear
    readout, random inputs (T, B, D) and random targets; one step is forward, per-token
    cross-entropy, backward and an Adam update. The modes are **interleaved** (step of
    mode 1, step of mode 2, …) after ``warmup`` untimed rounds, so that a change of
    load on a shared machine hits both alike; each time is the **median** of
    ``repeats``.

    Returns {mode: [median seconds per T]}.
    """
    generator = torch.Generator().manual_seed(seed)
    results = {mode: [] for mode in modes}
    for T in lengths:
        torch.manual_seed(seed)
        model = cell(input_size, hidden_size).to(device)
        readout = nn.Linear(hidden_size, vocabulary).to(device)
        parameters = list(model.parameters()) + list(readout.parameters())
        optimizer = torch.optim.Adam(parameters, lr=1e-3)
        x = torch.randn(T, batch_size, input_size, generator=generator).to(device)
        y = torch.randint(vocabulary, (T, batch_size), generator=generator).to(device)

        def step(mode):
            optimizer.zero_grad(set_to_none=True)
            logits = readout(model(x, mode=mode))
            loss = F.cross_entropy(logits.flatten(0, 1), y.flatten())
            loss.backward()
            optimizer.step()

        times = {mode: [] for mode in modes}
        for round_ in range(warmup + repeats):
            for mode in modes:
                _synchronize(device)
                start = time.perf_counter()
                step(mode)
                _synchronize(device)
                if round_ >= warmup:
                    times[mode].append(time.perf_counter() - start)
        for mode in modes:
            results[mode].append(float(torch.tensor(times[mode]).median()))
    return results


# --------------------------------------------------------------------------------------
# Generation: a key–value cache grows, a recurrent state does not
# --------------------------------------------------------------------------------------


class CachedSelfAttention(nn.Module):
    """One causal self-attention layer (single head, width d) that generates token by
    token with a **key–value cache**.

    Each new token's query attends to the keys and values of every earlier token, so
    they must all be kept: the cache holds 2 · t · d numbers after t tokens (per
    sequence and layer), and a step costs O(t · d). A GRU's step reads only h_{t−1}.

    ``forward(x)`` attends over a whole sequence x: (T, B, d) at once (causally);
    ``prefill(x)`` does the same and fills the cache; ``step(x_t)`` takes one token
    (B, d), appends its key and value and returns its output (B, d).
    ``cache_bytes()`` is the size of what has been cached so far.
    """

    def __init__(self, width, max_length=65536):
        super().__init__()
        self.width, self.max_length = width, max_length
        self.W_qkv = nn.Linear(width, 3 * width)
        self.W_out = nn.Linear(width, width)
        self.keys = self.values = None
        self.length = 0

    def _attend(self, q, k, v, causal):
        # q: (B, T_q, d); k, v: (B, T_k, d)
        scores = q @ k.transpose(1, 2) / math.sqrt(self.width)
        if causal:
            T = q.shape[1]
            mask = torch.ones(T, T, dtype=torch.bool, device=q.device).triu(1)
            scores = scores.masked_fill(mask, float("-inf"))
        return torch.softmax(scores, dim=-1) @ v

    def forward(self, x):
        q, k, v = self.W_qkv(x.transpose(0, 1)).chunk(3, dim=-1)
        return self.W_out(self._attend(q, k, v, causal=True)).transpose(0, 1)

    def prefill(self, x):
        """Run x: (T, B, d) at once and keep its keys and values; returns (T, B, d)."""
        T, B, _ = x.shape
        if T > self.max_length:
            raise ValueError(f"x has T = {T} > max_length = {self.max_length}")
        q, k, v = self.W_qkv(x.transpose(0, 1)).chunk(3, dim=-1)
        # the cache is allocated once and filled in place, as inference servers do
        self.keys = x.new_empty(B, self.max_length, self.width)
        self.values = x.new_empty(B, self.max_length, self.width)
        self.keys[:, :T], self.values[:, :T] = k, v
        self.length = T
        return self.W_out(self._attend(q, k, v, causal=True)).transpose(0, 1)

    def fill_cache(self, x):
        """Store the keys and values of a prompt x: (T, B, d) without computing its
        outputs: the cache a generation at position T starts from."""
        T, B, _ = x.shape
        if T > self.max_length:
            raise ValueError(f"x has T = {T} > max_length = {self.max_length}")
        _, k, v = self.W_qkv(x.transpose(0, 1)).chunk(3, dim=-1)
        self.keys = x.new_empty(B, self.max_length, self.width)
        self.values = x.new_empty(B, self.max_length, self.width)
        self.keys[:, :T], self.values[:, :T] = k, v
        self.length = T

    def step(self, x_t):
        """One new token x_t: (B, d) -> its output (B, d); the cache grows by one."""
        if self.keys is None:
            self.keys = x_t.new_empty(x_t.shape[0], self.max_length, self.width)
            self.values = torch.empty_like(self.keys)
        if self.length == self.max_length:
            raise ValueError(f"the cache is full (max_length = {self.max_length})")
        q, k, v = self.W_qkv(x_t).chunk(3, dim=-1)
        t = self.length
        self.keys[:, t], self.values[:, t] = k, v
        self.length = t + 1
        out = self._attend(q[:, None], self.keys[:, :t + 1], self.values[:, :t + 1],
                           causal=False)
        return self.W_out(out[:, 0])

    def cache_bytes(self):
        """Bytes of the keys and values cached so far: 2 · t · B · d · element size."""
        if self.keys is None:
            return 0
        batch = self.keys.shape[0]
        return 2 * self.length * batch * self.width * self.keys.element_size()


# --------------------------------------------------------------------------------------
# python -m rnncourse.torch.scan: the timing of chapter 14, on the CPU or a GPU
# --------------------------------------------------------------------------------------


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(
        description="Training-step time of minGRU/minLSTM, sequential loop vs "
                    "log-space parallel scan (Feng et al. 2024's runtime comparison)."
    )
    parser.add_argument("--lengths", type=int, nargs="+", default=[128, 512, 2048])
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--hidden-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cell", choices=("minGRU", "minLSTM"), default="minGRU")
    parser.add_argument(
        "--device", default="cuda" if torch.cuda.is_available() else "cpu",
        help="default: cuda when available, else cpu",
    )
    args = parser.parse_args(argv)
    cell = MinGRU if args.cell == "minGRU" else MinLSTM
    results = time_training_steps(
        args.lengths, batch_size=args.batch_size, hidden_size=args.hidden_size,
        repeats=args.repeats, device=args.device, cell=cell,
    )
    print(f"{args.cell} on {args.device}, batch {args.batch_size}, "
          f"hidden {args.hidden_size}, median of {args.repeats}")
    print(f"{'T':>6} {'sequential ms':>14} {'parallel ms':>12} {'speedup':>8}")
    for T, seq, par in zip(args.lengths, results["sequential"], results["parallel"]):
        print(f"{T:>6} {1e3 * seq:>14.2f} {1e3 * par:>12.2f} {seq / par:>8.1f}")


if __name__ == "__main__":
    main()
