"""How fast are the course's implementations next to torch.nn and the usual peers?
``python -m rnncourse.bench`` (``--help`` for the options, ``--json`` for tools).

What is measured
----------------
One forward pass and one forward + backward pass of a one-layer LSTM, GRU and tanh RNN,
in float32 on the CPU (default T=100 steps, batch B=32, input D=64, hidden H=128), for

* ``rnncourse.np``: ``lstm_forward``/``lstm_backward``,
  ``gru_forward``/``gru_backward``, ``rnn_forward``/``rnn_backward``;
* ``rnncourse.torch.LSTM`` with ``fused=True`` (hand-written BPTT, one autograd node)
  and ``fused=False`` (autograd through a Python loop of steps), and
  ``rnncourse.torch.fused_rnn`` for the tanh RNN where that function exists;
* the peers a learner would compare with (:mod:`rnncourse.bench_peers`): the textbook
  NumPy LSTM, a Python loop over time of ``lstm_step_forward``/``lstm_step_backward``,
  and a from-scratch torch LSTM with one weight matrix per gate whose gradients
  autograd computes;
* the references ``torch.nn.LSTM``, ``torch.nn.GRU``, ``torch.nn.RNN``. In float32 on
  the CPU ``torch.nn.LSTM`` runs oneDNN's fused LSTM kernel (one compiled call for the
  whole sequence); the row ``torch.nn.LSTM, oneDNN off`` times torch's own per-step
  implementation of the same module.

"Forward" is a training-mode forward (NumPy keeps its cache, torch records the graph);
"forward + backward" goes on to the gradients of the input and of all weights, from a
fixed random upstream gradient on the output sequence. Every row starts from the same
input and the same weights as its reference; the column ``max|out-ref|`` checks that it
computes the same output.

How, and why this way
---------------------
After a call, NumPy's BLAS threads (OpenBLAS) and torch's OpenMP threads keep spinning
for about a tenth of a second, waiting for more work. A matrix product of the *other*
library started in that window competes with them for the cores and can run 2-3 times
slower, so timing NumPy and torch back to back measures the contention as much as the
code. Hence:

* each row is timed in **blocks**: a pause (``--pause``, 0.3 s) whenever the library
  changes from the previous block, so that the other pool has gone to sleep, then
  ``--warmup`` untimed runs, then ``--repeats`` timed runs, whose median is the block's
  time;
* the blocks of all rows alternate over ``--rounds`` rounds, so that a burst of
  background load on a shared machine is spread over every row;
* a row's time is the **median of its block times**, shown with their spread
  (min-max); a **ratio** to another row is the median over rounds of the ratio of the
  two rows' blocks in the same round (not the ratio of the two medians): a change of
  the machine's load from one round to the next cancels out of each round's ratio, and
  a burst that hits one block only is outvoted by the other rounds.

The **GEMM limit** of an architecture with G gate blocks (G = 4 LSTM, 3 GRU, 1 RNN)
is the time of the matrix products that any implementation of the algorithm must do::

    forward:   (T·B, D) @ (D, G·H)       once      input projection
               (B, H) @ (H, G·H)         T times   recurrent product
    backward:  (B, G·H) @ (G·H, H)       T times   dh_{t-1}
               (T·B, G·H) @ (G·H, D)     once      dx
               (G·H, T·B) @ (T·B, D)     once      dW_ih
               (G·H, T·B) @ (T·B, H)     once      dW_hh

that is 2·T·B·G·H·(D + H) FLOPs forward and twice that backward. Each product is
timed at its own shape, with the row's library (NumPy rows: NumPy, torch rows: torch)
and threads, in the same rounds as the rows, and the times are summed. "% of GEMM
limit" is 100 · limit / row time: how close a row comes to doing nothing but its
products. The products are timed as Python calls, like those of the per-step loops,
so a kernel that loops in compiled code (oneDNN) can come out above 100 %.

Reading the results
-------------------
More threads speed up only NumPy's matrix products. Its elementwise functions (the
exponential of the gates, tanh of the cell, the products and sums between them) run on
one core whatever ``--threads`` says, and so do the small per-step ops of the fused
torch LSTM. oneDNN's LSTM kernel, by contrast, also spreads its elementwise work over
its threads. So ``--threads 1`` compares the algorithms; with more threads
``torch.nn.LSTM`` pulls ahead, and no NumPy row can beat its GEMM limit plus its
single-threaded elementwise time. For the same
reason a sequence function cannot be faster than a per-step loop by more than that
loop's time divided by the sequence function's GEMM limit: both do the same products.

The load average is printed before and after: on a busy machine compare ratios, not
times, and rerun.
"""

import argparse
import contextlib
import json
import math
import os
import platform
import sys
import time
import warnings

import numpy as np
import torch

from rnncourse import torch as rtorch
from rnncourse.bench_peers import (
    PerStepLSTM,
    lstm_per_step_backward,
    lstm_per_step_forward,
)

try:  # NumPy's BLAS threads can only be set at run time through threadpoolctl
    import threadpoolctl
except ImportError:  # pragma: no cover - installed with scikit-learn
    threadpoolctl = None

try:  # a fused tanh RNN, where this version of the package has one
    from rnncourse.torch.fused_rnn import fused_rnn
except ImportError:
    fused_rnn = None

NUM_GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
LIBRARIES = ("torch", "numpy")   # the order of the blocks within a round
MODES = ("fwd", "fwd+bwd")

# The table's rows: (name, architecture, library, reference row), in printed order.
ROWS = [
    ("torch.nn.LSTM", "LSTM", "torch", "torch.nn.LSTM"),
    ("torch.nn.LSTM, oneDNN off", "LSTM", "torch", "torch.nn.LSTM"),
    ("rnncourse.torch LSTM fused", "LSTM", "torch", "torch.nn.LSTM"),
    ("rnncourse.torch LSTM autograd", "LSTM", "torch", "torch.nn.LSTM"),
    ("torch autograd LSTM, per-step (D2L style)", "LSTM", "torch", "torch.nn.LSTM"),
    ("numpy LSTM", "LSTM", "numpy", "torch.nn.LSTM"),
    ("numpy LSTM, per-step loop", "LSTM", "numpy", "torch.nn.LSTM"),
    ("torch.nn.GRU", "GRU", "torch", "torch.nn.GRU"),
    ("numpy GRU", "GRU", "numpy", "torch.nn.GRU"),
    ("torch.nn.RNN", "RNN", "torch", "torch.nn.RNN"),
    ("rnncourse.torch RNN fused", "RNN", "torch", "torch.nn.RNN"),
    ("numpy RNN", "RNN", "numpy", "torch.nn.RNN"),
]
ROW_ORDER = [name for name, *_ in ROWS]

# The performance goals: (row, compared with, mode, comparison, limit) on the median
# of the per-round ratios row / compared-with.
TARGETS = [
    ("numpy LSTM", "torch.nn.LSTM", "fwd+bwd", "<=", 1.25),
    ("numpy LSTM", "torch.nn.LSTM", "fwd", "<=", 1.5),
    ("numpy LSTM, per-step loop", "numpy LSTM", "fwd+bwd", ">=", 4.0),
    ("rnncourse.torch LSTM fused", "torch.nn.LSTM", "fwd+bwd", "<=", 1.4),
    ("rnncourse.torch LSTM fused", "torch.nn.LSTM, oneDNN off", "fwd+bwd", "<", 1.0),
    ("numpy GRU", "torch.nn.GRU", "fwd+bwd", "<=", 1.0),
    ("numpy RNN", "torch.nn.RNN", "fwd+bwd", "<=", 1.0),
]
COMPARISONS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b,
               ">=": lambda a, b: a >= b}


# --- FLOPs and the GEMM limit ------------------------------------------------------

def matmul_flops(T, B, D, H, gates):
    """Multiply-add FLOPs of the forward pass's matrix products (×3 for forward +
    backward)."""
    return 2 * T * B * gates * H * (D + H)


def gemms(T, B, D, H, gates):
    """Every matrix product of one layer's forward and backward pass.

    Returns a list of (what, mode, (m, k, n), count): ``count`` products of an
    (m, k) by a (k, n) matrix, in the forward ("fwd") or backward ("bwd") pass.
    Their FLOPs, 2·m·k·n·count, add up to :func:`matmul_flops` forward and twice
    that backward.
    """
    G_H, rows = gates * H, T * B
    return [
        ("input projection", "fwd", (rows, D, G_H), 1),
        ("recurrent product", "fwd", (B, H, G_H), T),
        ("dh_{t-1}", "bwd", (B, G_H, H), T),
        ("dx", "bwd", (rows, G_H, D), 1),
        ("dW_ih", "bwd", (G_H, rows, D), 1),
        ("dW_hh", "bwd", (G_H, rows, H), 1),
    ]


def gemm_function(library, shape, count, seed=0):
    """A closure doing ``count`` float32 products of that shape in NumPy or torch,
    into a preallocated output."""
    m, k, n = shape
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    if library == "numpy":
        out = np.empty((m, n), np.float32)

        def products():
            for _ in range(count):
                np.matmul(a, b, out=out)
    else:
        a, b = torch.from_numpy(a), torch.from_numpy(b)
        out = torch.empty(m, n)

        def products():
            for _ in range(count):
                torch.mm(a, b, out=out)
    return products


# --- the rows ----------------------------------------------------------------------

def _numpy_functions():
    """The rnncourse.np sequence functions that exist, and why the others are missing.
    """
    names = ["lstm_forward", "lstm_backward", "gru_forward", "gru_backward",
             "rnn_forward", "rnn_backward"]
    try:
        import rnncourse.np as rnp
    except Exception as error:  # the package itself fails to import
        return {}, f"{type(error).__name__}: {error}"
    found = {name: getattr(rnp, name) for name in names if hasattr(rnp, name)}
    missing = [name for name in names if name not in found]
    return found, ("not in rnncourse.np: " + ", ".join(missing)) if missing else ""


def _torch_case(run, parameters, x, dout):
    """Forward and forward + backward closures around ``run(x) -> output``."""
    def forward():
        return run(x)

    def forward_backward():
        for p in parameters:
            p.grad = None
        x.grad = None
        (run(x) * dout).sum().backward()

    return {"forward": forward, "forward_backward": forward_backward}


def _without_onednn(function):
    """The same closure, run with torch's oneDNN (mkldnn) kernels switched off."""
    def run():
        with warnings.catch_warnings():
            # a note about Intel GPUs
            warnings.filterwarnings("ignore", message=".*oneDNN.*")
            with torch.backends.mkldnn.flags(enabled=False):
                return function()
    return run


def _module_case(module, x, dout):
    return _torch_case(lambda x: module(x)[0], list(module.parameters()), x, dout)


def build_cases(T, B, D, H, seed=0):
    """The rows that can run here: name -> dict(forward, forward_backward), and notes.

    ``forward()`` returns the output sequence (T, B, H); ``forward_backward()`` also
    computes the gradients of the input and of every weight.
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    x_np = rng.standard_normal((T, B, D)).astype(np.float32)
    dout_np = rng.standard_normal((T, B, H)).astype(np.float32)
    h0_np = np.zeros((B, H), np.float32)
    x = torch.from_numpy(x_np).requires_grad_(True)
    dout = torch.from_numpy(dout_np)

    references = {"LSTM": torch.nn.LSTM(D, H), "GRU": torch.nn.GRU(D, H),
                  "RNN": torch.nn.RNN(D, H, nonlinearity="tanh")}
    cases, notes = {}, []
    for arch, module in references.items():
        cases[f"torch.nn.{arch}"] = _module_case(module, x, dout)
    lstm = cases["torch.nn.LSTM"]
    cases["torch.nn.LSTM, oneDNN off"] = {
        key: _without_onednn(function) for key, function in lstm.items()}

    for fused in (True, False):
        ours = rtorch.LSTM(D, H, fused=fused)
        ours.load_state_dict(references["LSTM"].state_dict())
        name = "rnncourse.torch LSTM " + ("fused" if fused else "autograd")
        cases[name] = _module_case(ours, x, dout)
    cases["torch autograd LSTM, per-step (D2L style)"] = _module_case(
        PerStepLSTM.like(references["LSTM"]), x, dout)

    if fused_rnn is not None:
        rnn_weights = list(references["RNN"].parameters())  # W_ih, W_hh, b_ih, b_hh
        h0 = torch.zeros(B, H)
        cases["rnncourse.torch RNN fused"] = _torch_case(
            lambda x: fused_rnn(x, h0, *rnn_weights, nonlinearity="tanh")[0],
            rnn_weights, x, dout)

    functions, why_missing = _numpy_functions()
    if why_missing:
        notes.append("rnncourse.np rows skipped (" + why_missing + ")")
    for arch in ("LSTM", "GRU", "RNN"):
        fwd = functions.get(f"{arch.lower()}_forward")
        bwd = functions.get(f"{arch.lower()}_backward")
        if fwd is None or bwd is None:
            continue
        weights = [p.detach().numpy().copy() for p in references[arch].parameters()]
        # the LSTM has two states, the others one
        states = (h0_np, h0_np) if arch == "LSTM" else (h0_np,)
        extra = {"nonlinearity": "tanh"} if arch == "RNN" else {}
        cases[f"numpy {arch}"] = _numpy_case(fwd, bwd, x_np, states, weights, dout_np,
                                             extra)
    weights = [p.detach().numpy().copy() for p in references["LSTM"].parameters()]
    cases["numpy LSTM, per-step loop"] = _numpy_case(
        lstm_per_step_forward, lstm_per_step_backward, x_np, (h0_np, h0_np), weights,
        dout_np, {})
    return cases, notes


def _numpy_case(forward_function, backward_function, x, states, weights, dout, extra):
    """Closures for a NumPy pair ``forward(x, *states, *weights) -> (out, ..., cache)``
    and ``backward(dout, cache)``."""
    def forward():
        return forward_function(x, *states, *weights, **extra)[0]

    def forward_backward():
        cache = forward_function(x, *states, *weights, **extra)[-1]
        return backward_function(dout, cache)

    return {"forward": forward, "forward_backward": forward_backward}


def max_output_difference(case, reference):
    """max |output − reference output|: a check that both rows compute the same thing.
    """
    with torch.no_grad():
        ours, theirs = case["forward"](), reference["forward"]()
    ours = ours.numpy() if isinstance(ours, torch.Tensor) else np.asarray(ours)
    return float(np.max(np.abs(ours - theirs.numpy())))


# --- timing ------------------------------------------------------------------------

def time_blocks(functions, repeats, warmup, rounds, pause=0.0, libraries=None):
    """Time each function in blocks; return key -> list (one per round) of the
    list of its timed runs in seconds.

    In each of ``rounds`` rounds, every function (in the order given) runs one block:
    a ``pause`` in seconds if its library (``libraries[key]``, e.g. "numpy" or
    "torch") differs from the previous block's, so that the other library's threads
    have stopped spinning; ``warmup`` untimed runs; ``repeats`` timed runs.
    """
    libraries = libraries or {}
    samples = {key: [] for key in functions}
    previous = object()
    for _ in range(rounds):
        for key, function in functions.items():
            library = libraries.get(key)
            if pause > 0 and library != previous:
                time.sleep(pause)
            previous = library
            for _ in range(warmup):
                function()
            runs = []
            for _ in range(repeats):
                start = time.perf_counter()
                function()
                runs.append(time.perf_counter() - start)
            samples[key].append(runs)
    return samples


def time_in_blocks(functions, repeats, warmup, rounds=3, pause=0.0, libraries=None):
    """Median seconds of each function over about ``repeats`` timed runs.

    The runs come in ``rounds`` blocks per function (``ceil(repeats / rounds)`` runs
    each, after ``warmup`` untimed runs), the blocks of all functions alternating, as
    :func:`time_blocks` does; a short form for timing a few functions of one library.
    """
    rounds = max(1, min(rounds, repeats))
    samples = time_blocks(functions, math.ceil(repeats / rounds), warmup, rounds,
                          pause, libraries)
    return {key: float(np.median(np.concatenate(blocks)))
            for key, blocks in samples.items()}


def block_ratio(blocks, reference_blocks):
    """The median over rounds of blocks[r] / reference_blocks[r] (block times of two
    rows in the same rounds): e.g. [1, 2, 3] against [1, 1, 1] gives 2."""
    if len(blocks) != len(reference_blocks) or len(blocks) == 0:
        raise ValueError(
            f"block_ratio needs one block time per round on both sides, got "
            f"{len(blocks)} and {len(reference_blocks)}")
    return float(np.median(np.asarray(blocks) / np.asarray(reference_blocks)))


def _summary(blocks):
    """Median and min-max of block times, in ms."""
    ms = 1e3 * np.asarray(blocks)
    return {"median_ms": float(np.median(ms)),
            "spread_ms": [float(ms.min()), float(ms.max())],
            "block_ms": [float(t) for t in ms]}


# --- threads -----------------------------------------------------------------------

def numpy_blas_threads():
    """(name, threads) of NumPy's BLAS as threadpoolctl sees it, else from the
    environment."""
    if threadpoolctl is not None:
        for pool in threadpoolctl.threadpool_info():
            if pool["user_api"] == "blas" and "numpy" in pool["filepath"]:
                return pool["internal_api"], pool["num_threads"]
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if variable in os.environ:
            return variable, int(os.environ[variable])
    return "BLAS", None


@contextlib.contextmanager
def thread_limits(threads, notes):
    """Within the block, torch uses ``threads`` intra-op threads and NumPy's BLAS
    ``threads`` threads (None: leave both alone). Both are restored afterwards."""
    if threads is None:
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        if threadpoolctl is not None:
            with threadpoolctl.threadpool_limits(limits=threads, user_api="blas"):
                yield
        else:
            notes.append("threadpoolctl is not installed: NumPy's BLAS threads were "
                         "not set; set OPENBLAS_NUM_THREADS before starting Python")
            yield
    finally:
        torch.set_num_threads(old)


# --- the measurement ---------------------------------------------------------------

def _schedule(cases, T, B, D, H):
    """Everything to time, in block order: key -> (library, function).

    Keys are (row, mode) for the rows and ("GEMM", arch, library, what) for the
    products of the GEMM limit. Within a round all torch blocks come first, then all
    NumPy blocks, so the library changes (and the pause is taken) twice per round.
    """
    library_of = {name: library for name, _, library, _ in ROWS}
    schedule = {}
    for library in LIBRARIES:
        for name in ROW_ORDER:
            if name in cases and library_of[name] == library:
                for mode, key in zip(MODES, ("forward", "forward_backward")):
                    schedule[(name, mode)] = (library, cases[name][key])
        for arch, gates in NUM_GATES.items():
            for what, _, shape, count in gemms(T, B, D, H, gates):
                schedule[("GEMM", arch, library, what)] = (
                    library, gemm_function(library, shape, count))
    return schedule


def _gemm_limits(blocks, T, B, D, H):
    """arch -> library -> the GEMM limit: per mode the block times of each round (the
    sum of the products' block times in that round), their median and GFLOP/s; and
    the products themselves."""
    limits = {}
    for arch, gates in NUM_GATES.items():
        products = gemms(T, B, D, H, gates)
        for library in LIBRARIES:
            entry = {"products": [
                {"what": what, "pass": pass_, "shape": list(shape), "count": count,
                 "flops": 2 * math.prod(shape) * count,
                 **_summary(blocks[("GEMM", arch, library, what)])}
                for what, pass_, shape, count in products]}
            for mode in MODES:
                per_round = np.sum([blocks[("GEMM", arch, library, what)]
                                    for what, pass_, _, _ in products
                                    if mode == "fwd+bwd" or pass_ == mode], axis=0)
                flops = matmul_flops(T, B, D, H, gates) * (1 if mode == "fwd" else 3)
                entry[mode] = {**_summary(per_round),
                               "gflops": float(flops / np.median(per_round) / 1e9)}
            limits.setdefault(arch, {})[library] = entry
    return limits


def _row_report(name, blocks, checks, limits, T, B, D, H):
    """One row of the table: per mode its block times, median, spread, ratio to its
    reference, GFLOP/s and % of its GEMM limit."""
    _, arch, library, reference = next(row for row in ROWS if row[0] == name)
    row = {"arch": arch, "library": library, "reference": reference,
           "max_out_diff": checks[name]}
    for mode in MODES:
        own = blocks[(name, mode)]
        limit = 1e-3 * np.asarray(limits[arch][library][mode]["block_ms"])
        flops = matmul_flops(T, B, D, H, NUM_GATES[arch]) * (1 if mode == "fwd" else 3)
        row[mode] = {
            **_summary(own),
            "ratio": block_ratio(own, blocks[(reference, mode)]),
            "gflops": float(flops / np.median(own) / 1e9),
            "pct_gemm_limit": 100 * block_ratio(limit, own),
        }
    return row


def _targets(blocks, rows):
    """Each target of TARGETS with its measured ratio and whether it is met."""
    targets = []
    for name, other, mode, comparison, limit in TARGETS:
        target = {"row": name, "versus": other, "mode": mode,
                  "comparison": comparison, "limit": limit, "ratio": None, "met": None}
        if name in rows and other in rows:
            ratio = block_ratio(blocks[(name, mode)], blocks[(other, mode)])
            target.update(ratio=ratio, met=bool(COMPARISONS[comparison](ratio, limit)))
        targets.append(target)
    return targets


def run(T=100, B=32, D=64, H=128, repeats=5, warmup=2, rounds=5, pause=0.3):
    """Build the rows, check them, time everything; return the report as a dict.

    The dict is what ``--json`` prints: ``rows`` (per row and mode the block times,
    their median and spread in ms, ``ratio`` to the reference, ``gflops`` and
    ``pct_gemm_limit``), ``gemm_limit`` (per architecture and library), ``targets``,
    ``notes``; the caller adds ``config`` and ``machine``.
    """
    cases, notes = build_cases(T, B, D, H)
    reference_of = {name: reference for name, *_, reference in ROWS}
    checks = {name: None if name == reference_of[name]
              else max_output_difference(cases[name], cases[reference_of[name]])
              for name in cases}

    schedule = _schedule(cases, T, B, D, H)
    samples = time_blocks({key: function for key, (_, function) in schedule.items()},
                          repeats, warmup, rounds, pause,
                          {key: library for key, (library, _) in schedule.items()})
    # a block's time is the median of its timed runs
    blocks = {key: [float(np.median(runs)) for runs in per_round]
              for key, per_round in samples.items()}

    limits = _gemm_limits(blocks, T, B, D, H)
    rows = {name: _row_report(name, blocks, checks, limits, T, B, D, H)
            for name in ROW_ORDER if name in cases}
    return {"rows": rows, "gemm_limit": limits, "targets": _targets(blocks, rows),
            "notes": notes}


# --- the report ----------------------------------------------------------------------

def machine_info():
    blas, blas_threads = numpy_blas_threads()
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "torch_threads": torch.get_num_threads(),
        "numpy_blas": blas,
        "numpy_blas_threads": blas_threads,
        "threadpoolctl": threadpoolctl is not None,
    }


def _count(n, thing):
    """'1 thread', '2 threads', '? threads'."""
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _cell(summary, ratio_width=6):
    low, high = summary["spread_ms"]
    return (f"{summary['median_ms']:>8.2f} {f'({low:.1f}-{high:.1f})':>13}"
            f"{summary['ratio']:>{ratio_width}.2f}{summary['pct_gemm_limit']:>6.0f}")


def format_report(report):
    """The text table of a report from :func:`run` (with ``config`` and ``machine``).
    """
    c, m = report["config"], report["machine"]
    blas_threads = m["numpy_blas_threads"] or "?"   # None: not known
    lines = [
        f"rnncourse.bench: T={c['T']} B={c['B']} D={c['D']} H={c['H']}, float32, CPU; "
        f"load average {m['load_before']:.2f} before, {m['load_after']:.2f} after",
        f"machine: {m['cpus']} CPUs ({m['processor']}), python {m['python']}, "
        f"torch {m['torch']} ({_count(m['torch_threads'], 'thread')}), numpy "
        f"{m['numpy']} ({m['numpy_blas']}, {_count(blas_threads, 'thread')})",
        f"method: {_count(c['rounds'], 'round')} of blocks, one block per row and "
        f"round: a {c['pause']:g} s pause if the library differs from the previous",
        f"  block's (numpy <-> torch), {_count(c['warmup'], 'warm-up run')}, "
        f"{_count(c['repeats'], 'timed run')}, block time = their median. ms: "
        "median of the",
        "  row's block times (min-max). x ref and %lim: medians over rounds of the "
        "row's block against its reference's",
        "  (torch.nn.<architecture>) and the GEMM limit's block of the same round; "
        "%lim = 100 * limit / row time.",
        "",
    ]
    header = (f"{'implementation':<42}{'fwd ms':>8} {'(min-max)':>13}{'x ref':>6}"
              f"{'%lim':>6}  {'fwd+bwd':>8} {'(min-max)':>13}{'x ref':>6}{'%lim':>6}"
              f"  {'max|out-ref|':>12}")
    lines += [header, "-" * len(header)]
    for name, row in report["rows"].items():
        check = "-" if row["max_out_diff"] is None else f"{row['max_out_diff']:.1e}"
        lines.append(f"{name:<42}{_cell(row['fwd'])}  {_cell(row['fwd+bwd'])}"
                     f"  {check:>12}")
    lines += [
        "",
        "GEMM limit, ms (GFLOP/s): every matrix product of the algorithm, each timed "
        "at its own shape, float32, with",
        "the row's library and threads, summed. Forward 2*T*B*G*H*(D+H) FLOPs: "
        "(T*B, D)@(D, G*H) once, (B, H)@(H, G*H) T times;",
        "backward twice that: (B, G*H)@(G*H, H) T times (dh), (T*B, G*H)@(G*H, D) "
        "(dx), (G*H, T*B)@(T*B, D) (dW_ih),",
        "(G*H, T*B)@(T*B, H) (dW_hh). G = 4 LSTM, 3 GRU, 1 RNN.",
        "      " + "".join(f"{lib + ' ' + mode:>20}"
                          for lib in LIBRARIES for mode in MODES),
    ]
    for arch, per_library in report["gemm_limit"].items():
        cells = []
        for lib in LIBRARIES:
            for mode in MODES:
                limit = per_library[lib][mode]
                cells.append(f"{limit['median_ms']:>12.2f}"
                             f"{'(' + format(limit['gflops'], '.1f') + ')':>8}")
        lines.append(f"  {arch:<4}" + "".join(cells))
    lines += [f"note: {note}" for note in report["notes"]]
    lines += ["", "targets (median of per-round ratios):"]
    for t in report["targets"]:
        what = f"  {t['row']} / {t['versus']}"
        rule = f"{t['mode']:<8}{t['comparison']:>2} {t['limit']:.2f}x"
        if t["ratio"] is None:
            lines.append(f"{what:<58}{rule}: not measured")
        else:
            verdict = "met" if t["met"] else "NOT met"
            lines.append(f"{what:<58}{rule}: {t['ratio']:.2f}x  {verdict}")
    return "\n".join(lines)


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m rnncourse.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sizes = {"T": ("sequence length", 100), "B": ("batch size", 32),
             "D": ("input size", 64), "H": ("hidden size", 128)}
    for name, (meaning, default) in sizes.items():
        parser.add_argument(f"--{name}", type=int, default=default,
                            help=f"{meaning} (default {default})")
    parser.add_argument("--repeats", type=int, default=5,
                        help="timed runs per block (default 5)")
    parser.add_argument("--warmup", type=int, default=2,
                        help="untimed runs at the start of each block (default 2)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="blocks per row, alternating between rows (default 5)")
    parser.add_argument("--pause", type=float, default=0.3,
                        help="seconds of pause before a block whose library differs "
                             "from the previous block's (default 0.3)")
    parser.add_argument(
        "--threads", type=int, default=None,
        help="threads of torch (torch.set_num_threads) and of NumPy's BLAS "
             "(through threadpoolctl, " + ("installed here" if threadpoolctl else
                                           "NOT installed here") + "; without it "
             "set OPENBLAS_NUM_THREADS=N before starting Python). Default: each "
             "library's own choice")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (rows, GEMM limits, targets, "
                             "machine) and nothing else")
    return parser


def main(argv=None):
    """Run the benchmark from the command line; return the report dict."""
    parser = _parser()
    args = parser.parse_args(argv)
    for name in ("T", "B", "D", "H", "repeats", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1, got {getattr(args, name)}")
    if args.warmup < 0:
        parser.error(f"--warmup must be >= 0, got {args.warmup}")
    if not args.pause >= 0:
        parser.error(f"--pause must be >= 0 seconds, got {args.pause}")
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be >= 1, got {args.threads}")

    load_before = os.getloadavg()[0]
    notes = []
    with thread_limits(args.threads, notes):
        machine = machine_info()
        report = run(args.T, args.B, args.D, args.H, args.repeats, args.warmup,
                     args.rounds, args.pause)
    report["notes"] = notes + report["notes"]
    report["config"] = {
        "T": args.T, "B": args.B, "D": args.D, "H": args.H, "dtype": "float32",
        "repeats": args.repeats, "warmup": args.warmup, "rounds": args.rounds,
        "pause": args.pause, "threads": args.threads,
    }
    report["machine"] = {**machine, "load_before": load_before,
                         "load_after": os.getloadavg()[0]}
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    return report


if __name__ == "__main__":
    main()
