"""How fast are the course's implementations next to torch.nn?
``python -m rnncourse.bench``.

Times, in float32 and on the CPU, one forward pass and one forward + backward pass of a
one-layer LSTM, GRU and tanh RNN (default T=100 steps, batch B=32, input D=64, hidden
H=128) for

* ``rnncourse.np``: ``lstm_forward``/``lstm_backward``,
  ``gru_forward``/``gru_backward``, ``rnn_forward``/``rnn_backward``;
* ``rnncourse.torch.LSTM`` with ``fused=False`` (autograd through a Python loop) and
  ``fused=True`` (hand-written BPTT, one autograd node per layer);
* ``torch.nn.LSTM``, ``torch.nn.GRU``, ``torch.nn.RNN``: the reference of each row. On
  the CPU, ``torch.nn.LSTM`` in float32 runs oneDNN's fused LSTM kernel (one compiled
  call for the whole sequence); the row ``torch.nn.LSTM, oneDNN off`` times torch's own
  per-step implementation of the same module, to show how much of the reference is that
  kernel.

"Forward" is a training-mode forward (NumPy keeps its cache, torch records the graph);
"forward + backward" goes on to the gradients of the input and of all weights, from a
random upstream gradient ``dout`` on the output sequence. Each row reports the median
time over ``--repeats`` runs after ``--warmup`` runs, the ratio to its torch.nn
reference, and the achieved GFLOP/s counting only matrix products::

    forward:  2·T·B·G·H·(D + H)      (G = 4 LSTM, 3 GRU, 1 RNN)
    backward: about twice that       (dx, dW_ih, dh and dW_hh)

next to the float32 matmul GFLOP/s of the machine, measured with a product of the same
shape as the input projection, (T·B, D+H) @ (D+H, 4H).

Each row is timed in blocks of consecutive runs (after warm-up runs, so NumPy's and
torch's thread pools do not compete), and the blocks of all rows alternate over a few
rounds, so that background load on a shared machine is spread over every row. Timings
still move with the load average printed in the header: compare ratios, and rerun when
the machine was busy.
"""

import argparse
import os
import platform
import time
import warnings

import numpy as np
import torch

from rnncourse import torch as rtorch

NUM_GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}

# The performance goals of the course's implementations, as (row, mode, max ratio).
TARGETS = [
    ("numpy LSTM", "fwd+bwd", 1.3),
    ("numpy LSTM", "fwd", 2.0),
    ("rnncourse.torch LSTM fused", "fwd+bwd", 1.5),
]


def matmul_flops(T, B, D, H, gates):
    """Multiply-add FLOPs of the forward pass's matrix products (×3 for forward +
    backward)."""
    return 2 * T * B * gates * H * (D + H)


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


def _torch_case(module, x, dout):
    """Forward and forward + backward closures for a torch module on input x."""
    def forward():
        return module(x)[0]

    def forward_backward():
        module.zero_grad(set_to_none=True)
        x.grad = None
        output = module(x)[0]
        (output * dout).sum().backward()

    return forward, forward_backward


def _without_onednn(function):
    """The same closure, run with torch's oneDNN (mkldnn) kernels switched off."""
    def run():
        with warnings.catch_warnings():
            # a note about Intel GPUs
            warnings.filterwarnings("ignore", message=".*oneDNN.*")
            with torch.backends.mkldnn.flags(enabled=False):
                return function()
    return run


def build_cases(T, B, D, H, seed=0):
    """Rows of the table: name -> dict(arch, forward, forward_backward, reference,
    output)."""
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
        forward, forward_backward = _torch_case(module, x, dout)
        cases[f"torch.nn.{arch}"] = dict(arch=arch, forward=forward,
                                         forward_backward=forward_backward,
                                         reference=f"torch.nn.{arch}")

    # On CPU, torch.nn.LSTM runs oneDNN's fused LSTM kernel for float32; this row shows
    # what torch's own (per-step ATen) implementation takes, to put the reference in
    # context.
    forward, forward_backward = _torch_case(references["LSTM"], x, dout)
    cases["torch.nn.LSTM, oneDNN off"] = dict(
        arch="LSTM", forward=_without_onednn(forward),
        forward_backward=_without_onednn(forward_backward), reference="torch.nn.LSTM")

    for fused in (False, True):
        ours = rtorch.LSTM(D, H, fused=fused)
        ours.load_state_dict(references["LSTM"].state_dict())
        forward, forward_backward = _torch_case(ours, x, dout)
        name = "rnncourse.torch LSTM " + ("fused" if fused else "autograd")
        cases[name] = dict(
            arch="LSTM",
            forward=forward,
            forward_backward=forward_backward,
            reference="torch.nn.LSTM",
        )

    functions, why_missing = _numpy_functions()
    if why_missing:
        notes.append("rnncourse.np rows skipped (" + why_missing + ")")
    for arch in ("LSTM", "GRU", "RNN"):
        fwd = functions.get(f"{arch.lower()}_forward")
        bwd = functions.get(f"{arch.lower()}_backward")
        if fwd is None or bwd is None:
            continue
        weights = [p.detach().numpy().copy() for p in references[arch].parameters()]
        if arch == "LSTM":
            def forward(fwd=fwd, weights=weights):
                return fwd(x_np, h0_np, h0_np, *weights)[0]

            def forward_backward(fwd=fwd, bwd=bwd, weights=weights):
                _, _, cache = fwd(x_np, h0_np, h0_np, *weights)
                bwd(dout_np, cache)
        else:
            extra = {"nonlinearity": "tanh"} if arch == "RNN" else {}

            def forward(fwd=fwd, weights=weights, extra=extra):
                return fwd(x_np, h0_np, *weights, **extra)[0]

            def forward_backward(fwd=fwd, bwd=bwd, weights=weights, extra=extra):
                _, cache = fwd(x_np, h0_np, *weights, **extra)
                bwd(dout_np, cache)
        cases[f"numpy {arch}"] = dict(arch=arch, forward=forward,
                                      forward_backward=forward_backward,
                                      reference=f"torch.nn.{arch}")
    cases["matmuls of the fused LSTM"] = _matmul_floor_case(T, B, D, H)
    return cases, notes


def _matmul_floor_case(T, B, D, H):
    """Only the torch.mm products the fused LSTM performs, with the same shapes.

    No implementation built on torch's matrix products can be faster than this row: it
    is the floor for ``rnncourse.torch.LSTM`` (fused), whose extra time is the
    elementwise work and the Python loop.
    """
    generator = torch.Generator().manual_seed(0)

    def randn(*shape):
        return torch.randn(*shape, generator=generator)

    x_rows, xh_rows = randn(T * B, D), randn(T * B, D + H)
    W_ih, W_hh, bias = randn(4 * H, D), randn(4 * H, H), randn(4 * H)
    gates, hs = randn(T, B, 4 * H), randn(T + 1, B, H)
    d_gates, d_out, dh = randn(T, B, 4 * H), randn(T, B, H), torch.empty(B, H)

    def forward():
        torch.addmm(bias, x_rows, W_ih.t())              # input projection
        for gates_t, h_prev in zip(gates, hs[:-1]):
            torch.addmm(gates_t, h_prev, W_hh.t())        # recurrent product, per step

    def forward_backward():
        forward()
        for d_gates_t, d_out_t in zip(d_gates, d_out):
            torch.addmm(d_out_t, d_gates_t, W_hh, out=dh)  # dh_{t-1}, per step
        d_rows = d_gates.view(T * B, 4 * H)
        torch.mm(d_rows, W_ih)                             # dx
        torch.mm(d_rows.t(), xh_rows)                      # [dW_ih | dW_hh]

    return dict(arch="LSTM", forward=forward, forward_backward=forward_backward,
                reference="torch.nn.LSTM", floor=True)


def max_output_difference(case, reference):
    """max |output − reference output|: a check that both rows compute the same thing.
    """
    with torch.no_grad():
        ours, theirs = case["forward"](), reference["forward"]()
    ours = ours.numpy() if isinstance(ours, torch.Tensor) else np.asarray(ours)
    return float(np.max(np.abs(ours - theirs.numpy())))


def time_in_blocks(functions, repeats, warmup, rounds=3):
    """Median seconds of each function over ``repeats`` timed runs.

    The runs of one function come in blocks, each after ``warmup`` untimed runs, so
    that the thread pools of NumPy's BLAS and of torch, which keep spinning for a while
    after their last use, do not slow each other down. The blocks of all functions
    alternate over ``rounds`` rounds, so a burst of background load on a shared
    machine is spread over all of them rather than hitting one.
    """
    rounds = max(1, min(rounds, repeats))
    samples = {key: [] for key in functions}
    for round_index in range(rounds):
        runs = repeats // rounds + (round_index < repeats % rounds)
        for key, function in functions.items():
            for _ in range(warmup):
                function()
            for _ in range(runs):
                start = time.perf_counter()
                function()
                samples[key].append(time.perf_counter() - start)
    return {key: float(np.median(values)) for key, values in samples.items()}


def matmul_gflops(T, B, D, H, repeats, warmup):
    """float32 GFLOP/s of (T·B, D+H) @ (D+H, 4H) in NumPy and in torch."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((T * B, D + H)).astype(np.float32)
    b = rng.standard_normal((D + H, 4 * H)).astype(np.float32)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    seconds = time_in_blocks({"numpy": lambda: a @ b, "torch": lambda: ta @ tb},
                             max(repeats, 5), max(warmup, 2))
    flops = 2 * T * B * (D + H) * 4 * H
    return {key: flops / value / 1e9 for key, value in seconds.items()}


def run(T=100, B=32, D=64, H=128, repeats=20, warmup=3):
    """Time every row; return (results, notes, machine GFLOP/s). Times in seconds."""
    cases, notes = build_cases(T, B, D, H)
    functions = {(name, mode): case[key] for name, case in cases.items()
                 for mode, key in (("fwd", "forward"), ("fwd+bwd", "forward_backward"))}
    seconds = time_in_blocks(functions, repeats, warmup)
    results = {}
    for name, case in cases.items():
        reference = cases[case["reference"]]
        forward_flops = matmul_flops(T, B, D, H, NUM_GATES[case["arch"]])
        row = {
            "check": None
            if case.get("floor")
            else max_output_difference(case, reference)
        }
        for mode, flops in (("fwd", forward_flops), ("fwd+bwd", 3 * forward_flops)):
            t = seconds[(name, mode)]
            row[mode] = {"seconds": t, "ratio": t / seconds[(case["reference"], mode)],
                         "gflops": flops / t / 1e9}
        results[name] = row
    return results, notes, matmul_gflops(T, B, D, H, repeats, warmup)


ROW_ORDER = [
    "numpy LSTM",
    "rnncourse.torch LSTM autograd",
    "rnncourse.torch LSTM fused",
    "matmuls of the fused LSTM",
    "torch.nn.LSTM",
    "torch.nn.LSTM, oneDNN off",
    "numpy GRU",
    "torch.nn.GRU",
    "numpy RNN",
    "torch.nn.RNN",
]


def format_report(results, notes, machine, args):
    lines = [
        f"rnncourse.bench: T={args.T} B={args.B} D={args.D} H={args.H}, float32, CPU, "
        f"median of {args.repeats} runs (warm-up: {args.warmup} runs before "
        "each block)",
        f"torch {torch.__version__} ({torch.get_num_threads()} threads), "
        f"numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"load average {args.load_before:.2f} before / {os.getloadavg()[0]:.2f} after",
        f"machine float32 matmul ({args.T * args.B}x{args.D + args.H} @ "
        f"{args.D + args.H}x{4 * args.H}): numpy {machine['numpy']:.1f} GFLOP/s, "
        f"torch {machine['torch']:.1f} GFLOP/s",
        "",
    ]
    header = (
        f"{'implementation':<31}{'fwd ms':>9}{'x ref':>7}{'GFLOP/s':>9}"
        f"{'fwd+bwd ms':>12}{'x ref':>7}{'GFLOP/s':>9}   "
        f"{'ref':<14}{'max|out-ref|':>12}"
    )
    lines += [header, "-" * len(header)]
    for name in ROW_ORDER:
        if name not in results:
            continue
        row = results[name]
        cells = "".join(
            f"{row[m]['seconds'] * 1e3:>{w}.2f}{row[m]['ratio']:>7.2f}"
            f"{row[m]['gflops']:>9.1f}"
            for m, w in (("fwd", 9), ("fwd+bwd", 12))
        )
        reference = (
            "-" if name.startswith("torch.nn") else "torch.nn." + name.split()[1]
        )
        if name.startswith(("rnncourse.torch", "matmuls")) or "oneDNN" in name:
            reference = "torch.nn.LSTM"
        check = "-" if row["check"] is None else f"{row['check']:.1e}"
        lines.append(f"{name:<31}{cells}   {reference:<14}{check:>12}")
    lines += [f"note: {note}" for note in notes]
    lines += ["", "targets (ratio to torch.nn.LSTM):"]
    for name, mode, limit in TARGETS:
        if name not in results:
            lines.append(f"  {name:<27} {mode:<8} <= {limit:.1f}x: not measured")
            continue
        ratio = results[name][mode]["ratio"]
        verdict = "met" if ratio <= limit else "NOT met"
        lines.append(f"  {name:<27} {mode:<8} <= {limit:.1f}x: {ratio:.2f}x  {verdict}")
    floor = results.get("matmuls of the fused LSTM")
    fused = results.get("rnncourse.torch LSTM fused")
    if floor and fused:
        extra = (fused["fwd+bwd"]["seconds"] - floor["fwd+bwd"]["seconds"]) * 1e3
        lines.append(
            f"  (torch.mm alone, for the products of the fused LSTM, takes "
            f"{floor['fwd+bwd']['ratio']:.2f}x torch.nn.LSTM's fwd+bwd; the "
            "loop and the "
            f"elementwise work add {extra:.1f} ms)"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m rnncourse.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--T", type=int, default=100, help="sequence length (default 100)"
    )
    parser.add_argument("--B", type=int, default=32, help="batch size (default 32)")
    parser.add_argument("--D", type=int, default=64, help="input size (default 64)")
    parser.add_argument("--H", type=int, default=128, help="hidden size (default 128)")
    parser.add_argument(
        "--repeats", type=int, default=20, help="timed runs per row (default 20)"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed runs first (default 3)"
    )
    parser.add_argument("--threads", type=int, default=None,
                        help="torch intra-op threads (default: torch's own choice)")
    args = parser.parse_args(argv)
    for name in ("T", "B", "D", "H", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1, got {getattr(args, name)}")
    if args.warmup < 0:
        parser.error(f"--warmup must be >= 0, got {args.warmup}")
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    args.load_before = os.getloadavg()[0]
    results, notes, machine = run(
        args.T, args.B, args.D, args.H, args.repeats, args.warmup
    )
    print(format_report(results, notes, machine, args))
    return results


if __name__ == "__main__":
    main()
