"""Smoke test of ``python -m rnncourse.bench`` with tiny sizes: it runs and prints its
table.

Timings are not checked: they depend on the machine and on what else runs on it.
"""

from rnncourse import bench

TINY = [
    "--T",
    "3",
    "--B",
    "2",
    "--D",
    "4",
    "--H",
    "5",
    "--repeats",
    "1",
    "--warmup",
    "0",
]


def test_bench_runs_with_tiny_sizes_and_prints_the_table(capsys):
    results = bench.main(TINY)
    printed = capsys.readouterr().out
    for row in ("torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN",
                "rnncourse.torch LSTM autograd", "rnncourse.torch LSTM fused"):
        assert row in results
        assert row in printed
    assert "GFLOP/s" in printed and "targets" in printed
    assert results["torch.nn.LSTM"]["fwd+bwd"]["ratio"] == 1.0
    assert "matmuls of the fused LSTM" in results  # the floor of the fused path
    # the reference without its fused kernel
    assert "torch.nn.LSTM, oneDNN off" in printed
    for name, row in results.items():
        assert row["fwd"]["seconds"] > 0 and row["fwd+bwd"]["seconds"] > 0
        if row["check"] is not None:
            assert row["check"] < 1e-4, (
                f"{name} computes something else than its reference"
            )


def test_bench_flop_count_of_the_forward_pass():
    # 2 FLOPs per multiply-add, G gates, input and recurrent products
    assert (
        bench.matmul_flops(T=100, B=32, D=64, H=128, gates=4)
        == 2 * 100 * 32 * 4 * 128 * 192
    )
