"""Smoke tests of ``python -m rnncourse.bench`` with tiny sizes, and of the peers it
times (:mod:`rnncourse.bench_peers`).

Timings are never checked: they depend on the machine and on what else runs on it.
What is checked is that every row runs and computes what its reference computes, that
the peers' gradients are torch.nn.LSTM's, and that the reported numbers are computed
the way the output says (ratios as medians of per-round ratios, % of the GEMM limit).
"""

import contextlib
import io
import json

import numpy as np
import pytest
import torch

from rnncourse import bench
from rnncourse.bench_peers import (
    PerStepLSTM,
    lstm_per_step_backward,
    lstm_per_step_forward,
)

TINY = ["--T", "3", "--B", "2", "--D", "4", "--H", "5",
        "--repeats", "2", "--warmup", "0", "--pause", "0"]
EXPECTED_ROWS = [name for name in bench.ROW_ORDER
                 if name != "rnncourse.torch RNN fused" or bench.fused_rnn is not None]


@pytest.fixture(scope="module")
def tiny_json():
    """One --json run with two rounds: (what it printed, the report it returned)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        report = bench.main(TINY + ["--rounds", "2", "--json"])
    return printed.getvalue(), report


def test_bench_prints_every_row_and_each_computes_what_its_reference_does(capsys):
    report = bench.main(TINY + ["--rounds", "1"])
    printed = capsys.readouterr().out
    assert list(report["rows"]) == EXPECTED_ROWS
    for name, row in report["rows"].items():
        assert name in printed
        if name == row["reference"]:
            assert row["max_out_diff"] is None
            assert row["fwd+bwd"]["ratio"] == 1.0
        else:
            assert row["max_out_diff"] < 1e-4, (
                f"{name} computes something else than {row['reference']}")
    for words in ("GEMM limit", "2*T*B*G*H*(D+H)", "%lim", "pause", "warm-up",
                  "load average", "targets", "thread"):
        assert words in printed
    assert len(report["targets"]) == len(bench.TARGETS)


def test_json_prints_one_object_with_rows_limits_targets_and_machine(tiny_json):
    printed, report = tiny_json
    parsed = json.loads(printed)         # nothing else on stdout
    assert parsed == json.loads(json.dumps(report))
    assert set(parsed) >= {"rows", "gemm_limit", "targets", "machine", "config",
                           "notes"}
    assert list(parsed["rows"]) == EXPECTED_ROWS
    for row in parsed["rows"].values():
        for mode in bench.MODES:
            cell = row[mode]
            assert set(cell) >= {"median_ms", "spread_ms", "block_ms", "ratio",
                                 "gflops", "pct_gemm_limit"}
            assert len(cell["block_ms"]) == 2
            low, high = cell["spread_ms"]
            assert low <= cell["median_ms"] <= high
    machine = parsed["machine"]
    assert set(machine) >= {"torch_threads", "numpy_blas_threads", "load_before",
                            "load_after", "cpus"}
    assert parsed["config"]["pause"] == 0 and parsed["config"]["rounds"] == 2
    for target in parsed["targets"]:
        assert isinstance(target["ratio"], float) and isinstance(target["met"], bool)


def test_the_ratios_and_targets_are_medians_of_per_round_ratios(tiny_json):
    _, report = tiny_json
    rows = report["rows"]
    for row in rows.values():
        for mode in bench.MODES:
            expected = bench.block_ratio(row[mode]["block_ms"],
                                         rows[row["reference"]][mode]["block_ms"])
            assert row[mode]["ratio"] == pytest.approx(expected)
    for target in report["targets"]:
        mode = target["mode"]
        expected = bench.block_ratio(rows[target["row"]][mode]["block_ms"],
                                     rows[target["versus"]][mode]["block_ms"])
        assert target["ratio"] == pytest.approx(expected)
        assert target["met"] == bench.COMPARISONS[target["comparison"]](
            expected, target["limit"])


def test_the_gemm_limit_is_positive_and_the_percent_column_comes_from_it(tiny_json):
    _, report = tiny_json
    for arch, per_library in report["gemm_limit"].items():
        for library, limit in per_library.items():
            for mode in bench.MODES:
                assert limit[mode]["median_ms"] > 0
                # the products listed are those of the FLOP formula
                flops = sum(p["flops"] for p in limit["products"]
                            if mode == "fwd+bwd" or p["pass"] == mode)
                gates = bench.NUM_GATES[arch]
                assert flops == bench.matmul_flops(3, 2, 4, 5, gates) * (
                    1 if mode == "fwd" else 3)
                # the limit of each round is the sum of its products' times
                products = [p for p in limit["products"]
                            if mode == "fwd+bwd" or p["pass"] == mode]
                assert len(products) == (2 if mode == "fwd" else 6)
                np.testing.assert_allclose(
                    limit[mode]["block_ms"],
                    np.sum([p["block_ms"] for p in products], axis=0), rtol=1e-12)
    for name, row in report["rows"].items():
        limit = report["gemm_limit"][row["arch"]][row["library"]]
        for mode in bench.MODES:
            expected = 100 * bench.block_ratio(limit[mode]["block_ms"],
                                               row[mode]["block_ms"])
            assert row[mode]["pct_gemm_limit"] == pytest.approx(expected), name


def test_block_ratio_is_the_median_of_the_per_round_ratios():
    assert bench.block_ratio([1, 2, 3], [1, 1, 1]) == 2
    # not the ratio of the medians, which would be 3 / 2
    assert bench.block_ratio([1, 10, 3], [1, 2, 10]) == 1
    with pytest.raises(ValueError, match="one block time per round"):
        bench.block_ratio([1, 2], [1, 2, 3])


def test_time_blocks_pauses_when_the_library_changes_then_warms_up(monkeypatch):
    events = []
    monkeypatch.setattr(bench.time, "sleep", lambda s: events.append(("pause", s)))
    functions = {key: (lambda key=key: events.append(key)) for key in "abc"}
    libraries = {"a": "numpy", "b": "numpy", "c": "torch"}
    samples = bench.time_blocks(functions, repeats=2, warmup=1, rounds=2, pause=0.25,
                                libraries=libraries)
    pause = ("pause", 0.25)
    one_round = [pause, "a", "a", "a", "b", "b", "b", pause, "c", "c", "c"]
    assert events == one_round * 2
    assert {key: [len(runs) for runs in blocks] for key, blocks in samples.items()} \
        == {key: [2, 2] for key in "abc"}


def test_time_in_blocks_gives_one_median_per_function():
    seconds = bench.time_in_blocks({"sum": lambda: sum(range(100)),
                                    "list": lambda: list(range(100))},
                                   repeats=4, warmup=1)
    assert set(seconds) == {"sum", "list"}
    assert all(isinstance(s, float) and s > 0 for s in seconds.values())


def test_threads_sets_torch_and_numpy_blas_threads_and_restores_them():
    before = torch.get_num_threads()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        report = bench.main(TINY + ["--rounds", "1", "--threads", "1", "--json"])
    assert report["machine"]["torch_threads"] == 1
    if report["machine"]["threadpoolctl"]:
        assert report["machine"]["numpy_blas_threads"] == 1
    assert torch.get_num_threads() == before


@pytest.mark.parametrize("option, value, message", [
    ("--T", "0", "--T must be >= 1, got 0"),
    ("--repeats", "0", "--repeats must be >= 1, got 0"),
    ("--rounds", "0", "--rounds must be >= 1, got 0"),
    ("--warmup", "-1", "--warmup must be >= 0, got -1"),
    ("--pause", "-0.5", "--pause must be >= 0 seconds, got -0.5"),
    ("--threads", "0", "--threads must be >= 1, got 0"),
    ("--H", "many", "invalid int value: 'many'"),
])
def test_bad_options_give_a_clear_error(capsys, option, value, message):
    with pytest.raises(SystemExit) as exit_info:
        bench.main([option, value])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_bench_flop_count_of_the_forward_pass():
    # 2 FLOPs per multiply-add, G gates, input and recurrent products
    assert (
        bench.matmul_flops(T=100, B=32, D=64, H=128, gates=4)
        == 2 * 100 * 32 * 4 * 128 * 192
    )


# --- the peers: the same gradients as torch.nn.LSTM ---------------------------------

T, B, D, H = 3, 2, 4, 5


@pytest.fixture(scope="module")
def reference():
    """torch.nn.LSTM in float64 on a tiny problem: inputs, weights and gradients."""
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(D, H).double()
    x = torch.randn(T, B, D, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, B, H, dtype=torch.float64, requires_grad=True)
    c0 = torch.randn(1, B, H, dtype=torch.float64, requires_grad=True)
    dout = torch.randn(T, B, H, dtype=torch.float64)
    out, _ = lstm(x, (h0, c0))
    (out * dout).sum().backward()
    grads = {"x": x.grad, "h0": h0.grad[0], "c0": c0.grad[0],
             "W_ih": lstm.weight_ih_l0.grad, "W_hh": lstm.weight_hh_l0.grad,
             "b_ih": lstm.bias_ih_l0.grad, "b_hh": lstm.bias_hh_l0.grad}
    return {"lstm": lstm, "x": x.detach(), "h0": h0.detach()[0],
            "c0": c0.detach()[0], "dout": dout, "out": out.detach(),
            "grads": {k: v.numpy() for k, v in grads.items()}}


def test_numpy_per_step_loop_has_torch_nn_lstm_output_and_gradients(reference):
    weights = [p.detach().numpy() for p in reference["lstm"].parameters()]
    out, _, caches = lstm_per_step_forward(reference["x"].numpy(),
                                           reference["h0"].numpy(),
                                           reference["c0"].numpy(), *weights)
    np.testing.assert_allclose(out, reference["out"].numpy(), rtol=1e-10, atol=1e-12)
    grads = lstm_per_step_backward(reference["dout"].numpy(), caches)
    assert set(grads) == set(reference["grads"])
    for name, expected in reference["grads"].items():
        np.testing.assert_allclose(grads[name], expected, rtol=1e-10, atol=1e-12,
                                   err_msg=name)


def test_d2l_style_torch_lstm_has_torch_nn_lstm_output_and_gradients(reference):
    ours = PerStepLSTM.like(reference["lstm"])
    x = reference["x"].clone().requires_grad_(True)
    out, _ = ours(x, (reference["h0"], reference["c0"]))
    torch.testing.assert_close(out, reference["out"], rtol=1e-10, atol=1e-12)
    (out * reference["dout"]).sum().backward()
    expected = reference["grads"]
    np.testing.assert_allclose(x.grad.numpy(), expected["x"], rtol=1e-10, atol=1e-12)
    grads = {name: g.numpy() for name, g in ours.grads_like_torch().items()}
    np.testing.assert_allclose(grads["weight_ih_l0"], expected["W_ih"], rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose(grads["weight_hh_l0"], expected["W_hh"], rtol=1e-10,
                               atol=1e-12)
    # torch.nn's two biases both get the gradient of the one bias per gate
    for bias in ("b_ih", "b_hh"):
        np.testing.assert_allclose(grads["bias"], expected[bias], rtol=1e-10,
                                   atol=1e-12)
