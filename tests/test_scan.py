"""Tests for rnncourse.torch.scan: every way of computing h_t = a_t ⊙ h_{t−1} + b_t
agrees with the loop, the log-space forms stay finite where the naive product
underflows, minGRU and minLSTM give the same states in all modes, and the key–value
cache reproduces full causal attention while growing with the position."""

import math

import pytest
import torch

from rnncourse.torch import scan as sc
from rnncourse.train import threads


@pytest.fixture(autouse=True)
def one_thread():
    with threads(1):
        yield


def random_pair(T, shape=(3, 4), seed=0, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    a = torch.rand(T, *shape, generator=generator, dtype=dtype) * 0.9 + 0.05
    b = torch.rand(T, *shape, generator=generator, dtype=dtype) + 0.01
    h0 = torch.rand(*shape, generator=generator, dtype=dtype)
    return a, b, h0


def loop(a, b, h0=None):
    """The recurrence written in plain Python, entry by entry (shares no code)."""
    out = torch.empty_like(b)
    h = torch.zeros_like(b[0]) if h0 is None else h0.clone()
    for t in range(len(a)):
        for index in range(h.numel()):
            flat_h, flat_a, flat_b = h.view(-1), a[t].reshape(-1), b[t].reshape(-1)
            flat_h[index] = flat_a[index] * flat_h[index] + flat_b[index]
        out[t] = h
    return out


@pytest.mark.parametrize("T", [1, 2, 3, 7, 8, 33])
def test_every_scan_equals_the_loop(T):
    a, b, h0 = random_pair(T, seed=T)
    for h_init in (None, h0):
        expected = loop(a, b, h_init)
        log_h0 = None if h_init is None else h_init.log()
        found = {
            "sequential": sc.scan_sequential(a, b, h_init),
            "hillis_steele": sc.scan_hillis_steele(a, b, h_init),
            "associative": sc.scan_associative(a, b, h_init),
            "cumprod": sc.scan_cumprod(a, b, h_init),
            "log": sc.scan_log(a.log(), b.log(), log_h0).exp(),
            "log_associative": sc.scan_log_associative(a.log(), b.log(), log_h0).exp(),
        }
        for name, h in found.items():
            torch.testing.assert_close(h, expected, rtol=1e-12, atol=1e-12, msg=name)


def test_the_linear_scans_accept_signed_inputs():
    generator = torch.Generator().manual_seed(1)
    a = torch.randn(50, 6, generator=generator, dtype=torch.float64)
    b = torch.randn(50, 6, generator=generator, dtype=torch.float64)
    expected = loop(a, b)
    torch.testing.assert_close(sc.scan_associative(a, b), expected)
    torch.testing.assert_close(sc.scan_hillis_steele(a, b), expected)


def test_combine_is_associative_and_composes_two_steps():
    a, b, h0 = random_pair(3, seed=2)
    s1, s2, s3 = [(a[t], b[t]) for t in range(3)]
    left = sc.combine(sc.combine(s1, s2), s3)
    right = sc.combine(s1, sc.combine(s2, s3))
    for x, y in zip(left, right):
        torch.testing.assert_close(x, y)
    a12, b12 = sc.combine(s1, s2)
    torch.testing.assert_close(a12 * h0 + b12, a[1] * (a[0] * h0 + b[0]) + b[1])
    log_a, log_b = sc.combine_log((a[0].log(), b[0].log()), (a[1].log(), b[1].log()))
    torch.testing.assert_close(log_a.exp(), a12)
    torch.testing.assert_close(log_b.exp(), b12)


def test_the_tree_scans_need_logarithmically_many_rounds():
    calls = []

    def counting(earlier, later):
        calls.append(earlier[0].shape[0])
        return sc.combine(earlier, later)

    for T in (2, 16, 1000, 4096):
        calls.clear()
        a, b, _ = random_pair(T, shape=(2,), seed=T)
        A, B = sc.prefix_scan(a, b, counting)
        torch.testing.assert_close(B, loop(a, b))
        assert len(calls) <= 2 * math.ceil(math.log2(T))
        assert sum(calls) < 2 * T              # work-efficient: about 2T combines


def test_long_sequences_underflow_the_closed_form_but_not_the_log_space_scans():
    T = 3000
    a = torch.full((T, 4), 0.5)                   # a_1 ... a_t = 2^-t: 0 in float32
    b = torch.rand(T, 4, generator=torch.Generator().manual_seed(3)) + 0.1
    expected = sc.scan_sequential(a.double(), b.double()).float()
    naive = sc.scan_cumprod(a, b)
    assert not torch.isfinite(naive[-1]).any(), "the closed form should break down"
    assert torch.isfinite(naive[:100]).all(), "... but only once the product underflows"
    for name, h in {
        "log_associative": sc.scan_log_associative(a.log(), b.log()).exp(),
        "associative": sc.scan_associative(a, b),
    }.items():
        assert torch.isfinite(h).all(), name
        torch.testing.assert_close(h, expected, rtol=1e-5, atol=1e-6, msg=name)
    # The log-space closed form is finite too, but it adds A*_t (here -t log 2, about
    # -2000) to a logcumsumexp of about +2000: float32's relative error eps = 6e-8 of
    # those sums becomes an absolute error of about |A*_t| eps in log h.
    h = sc.scan_log(a.log(), b.log()).exp()
    assert torch.isfinite(h).all()
    bound = 4 * torch.finfo(torch.float32).eps * T * math.log(2)
    assert ((h - expected) / expected).abs().max() < bound
    assert ((h[:10] - expected[:10]) / expected[:10]).abs().max() < 1e-5


def test_gradients_of_the_scans_match_the_loops():
    a, b, h0 = random_pair(20, shape=(3,), seed=4)
    weights = torch.randn(20, 3, generator=torch.Generator().manual_seed(5),
                          dtype=torch.float64)
    grads = {}
    for name, fn in {
        "sequential": lambda a, b: sc.scan_sequential(a, b, h0),
        "associative": lambda a, b: sc.scan_associative(a, b, h0),
        "log_associative": lambda a, b: sc.scan_log_associative(
            a.log(), b.log(), h0.log()).exp(),
        "log": lambda a, b: sc.scan_log(a.log(), b.log(), h0.log()).exp(),
    }.items():
        a_, b_ = a.clone().requires_grad_(), b.clone().requires_grad_()
        (fn(a_, b_) * weights).sum().backward()
        grads[name] = (a_.grad, b_.grad)
    for name, (ga, gb) in grads.items():
        torch.testing.assert_close(ga, grads["sequential"][0], msg=name)
        torch.testing.assert_close(gb, grads["sequential"][1], msg=name)
    a_ = a.clone().requires_grad_()
    assert torch.autograd.gradcheck(lambda a: sc.scan_associative(a, b), (a_,))


@pytest.mark.parametrize("cell", [sc.MinGRU, sc.MinLSTM])
def test_min_rnns_give_the_same_states_in_every_mode(cell):
    torch.manual_seed(6)
    model = cell(5, 7).double()
    x = torch.randn(257, 3, 5, dtype=torch.float64) * 3
    h0 = torch.rand(3, 7, dtype=torch.float64)
    for init in (None, h0):
        sequential = model(x, init, mode="sequential")
        h = torch.zeros(3, 7, dtype=torch.float64) if init is None else init
        stepped = []
        for x_t in x:
            h = model.step(x_t, h)
            stepped.append(h)
        torch.testing.assert_close(torch.stack(stepped), sequential)
        for mode in ("parallel", "closed_form"):
            torch.testing.assert_close(model(x, init, mode=mode), sequential,
                                       rtol=1e-10, atol=1e-10, msg=mode)


def test_min_gru_is_the_papers_equations():
    torch.manual_seed(7)
    model = sc.MinGRU(2, 3).double()
    x = torch.randn(4, 1, 2, dtype=torch.float64)
    W_z, W_h = model.W_ih[:3], model.W_ih[3:]
    b_z, b_h = model.b_ih[:3], model.b_ih[3:]
    h = torch.zeros(1, 3, dtype=torch.float64)
    for t in range(4):
        z = torch.sigmoid(x[t] @ W_z.T + b_z)
        pre = x[t] @ W_h.T + b_h
        candidate = torch.where(pre >= 0, pre + 0.5, torch.sigmoid(pre))
        h = (1 - z) * h + z * candidate
    torch.testing.assert_close(model(x, mode="parallel")[-1], h)


def test_min_lstm_normalises_its_gates():
    torch.manual_seed(8)
    model = sc.MinLSTM(2, 3).double()
    x = torch.randn(1, 1, 2, dtype=torch.float64)
    k_f, k_i, pre = (x[0] @ model.W_ih.T + model.b_ih).chunk(3, dim=-1)
    f, i = torch.sigmoid(k_f), torch.sigmoid(k_i)
    h0 = torch.full((1, 3), 0.3, dtype=torch.float64)
    expected = f / (f + i) * h0 + i / (f + i) * sc.g(pre)
    torch.testing.assert_close(model(x, h0, mode="parallel")[0], expected)


def test_the_parallel_mode_survives_saturated_gates_over_a_long_sequence():
    torch.manual_seed(9)
    model = sc.MinGRU(3, 4)
    x = torch.randn(4096, 2, 3) * 20            # gates at exactly 0 or 1 in float32
    parallel = model(x, mode="parallel")
    sequential = model.double()(x.double(), mode="sequential").float()
    assert torch.isfinite(parallel).all()
    torch.testing.assert_close(parallel, sequential, rtol=1e-4, atol=1e-5)


def test_log_g_is_the_log_of_g_and_g_is_positive():
    x = torch.linspace(-30, 30, 601, dtype=torch.float64)
    assert (sc.g(x) > 0).all()
    torch.testing.assert_close(sc.log_g(x), sc.g(x).log())
    torch.testing.assert_close(sc.g(torch.zeros(1)), torch.full((1,), 0.5))


def test_time_training_steps_reports_a_median_per_mode_and_length():
    result = sc.time_training_steps([8, 16], batch_size=2, hidden_size=4, repeats=2,
                                    warmup=1)
    assert set(result) == {"sequential", "parallel"}
    assert all(len(v) == 2 and all(t > 0 for t in v) for v in result.values())


def test_the_timing_script_runs_on_the_cpu(capsys):
    sc.main(["--lengths", "8", "--batch-size", "2", "--hidden-size", "4",
             "--repeats", "1", "--device", "cpu"])
    out = capsys.readouterr().out
    assert "speedup" in out and "minGRU on cpu" in out


def test_cached_attention_generates_what_full_attention_computes():
    torch.manual_seed(10)
    layer = sc.CachedSelfAttention(8, max_length=32)
    x = torch.randn(12, 2, 8)
    full = layer(x)
    prefix = layer.prefill(x[:5])
    torch.testing.assert_close(prefix, full[:5])
    for t in range(5, 12):
        torch.testing.assert_close(layer.step(x[t]), full[t], rtol=1e-5, atol=1e-6)
        assert layer.cache_bytes() == 2 * (t + 1) * 2 * 8 * 4
    filled = sc.CachedSelfAttention(8, max_length=32)
    filled.load_state_dict(layer.state_dict())
    filled.fill_cache(x[:11])
    assert filled.cache_bytes() == 2 * 11 * 2 * 8 * 4
    torch.testing.assert_close(filled.step(x[11]), full[11], rtol=1e-5, atol=1e-6)
    fresh = sc.CachedSelfAttention(8, max_length=32)
    fresh.load_state_dict(layer.state_dict())
    assert fresh.cache_bytes() == 0
    torch.testing.assert_close(fresh.step(x[0]), full[0], rtol=1e-5, atol=1e-6)
    assert fresh.cache_bytes() == 2 * 1 * 2 * 8 * 4


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"a and b must have the same shape \(T, "):
        sc.scan_sequential(torch.zeros(3, 2), torch.zeros(3, 3))
    with pytest.raises(ValueError, match=r"h0 must have the shape of one step, \(2,\)"):
        sc.scan_associative(torch.zeros(3, 2), torch.zeros(3, 2), torch.zeros(3))
    with pytest.raises(ValueError, match="log_a and log_b must have the same shape"):
        sc.scan_log(torch.zeros(3), torch.zeros(4))
    model = sc.MinGRU(3, 2)
    with pytest.raises(ValueError, match="mode must be one of"):
        model(torch.zeros(4, 1, 3), mode="fast")
    with pytest.raises(ValueError, match=r"x must have shape \(T, B, D\)"):
        model(torch.zeros(4, 3))
    with pytest.raises(ValueError, match=r"D = 3, got \(4, 1, 2\)"):
        model(torch.zeros(4, 1, 2))
    with pytest.raises(ValueError, match=r"h0 must have shape \(1, 2\)"):
        model(torch.zeros(4, 1, 3), torch.zeros(2))
    with pytest.raises(ValueError, match="h0 must be >= 0"):
        model(torch.zeros(4, 1, 3), -torch.ones(1, 2))
    with pytest.raises(ValueError, match="hidden_size must be a positive int"):
        sc.MinLSTM(3, 0)
    layer = sc.CachedSelfAttention(4, max_length=2)
    with pytest.raises(ValueError, match="max_length = 2"):
        layer.prefill(torch.zeros(3, 1, 4))
    layer.step(torch.zeros(1, 4))
    layer.step(torch.zeros(1, 4))
    with pytest.raises(ValueError, match="the cache is full"):
        layer.step(torch.zeros(1, 4))
