"""The arrays the NumPy sequence functions reuse across calls: reused only when nothing
refers to them, never overwritten while a caller can still reach them."""

import numpy as np
import pytest

from rnncourse.np import _workspace, lstm_backward, lstm_forward

BIG = (64, 1024)          # 256 KB of float32: pooled


@pytest.fixture(autouse=True)
def fresh_pool():
    _workspace.clear()
    yield
    _workspace.clear()


def test_a_freed_array_is_handed_out_again_and_a_held_one_never():
    a = _workspace.empty(BIG, np.float32)
    address = a.ctypes.data
    b = _workspace.empty(BIG, np.float32)
    assert b.ctypes.data != address                 # a is still held
    del a
    c = _workspace.empty(BIG, np.float32)
    assert c.ctypes.data == address                 # a's memory, now free, again
    assert c.shape == BIG and c.dtype == np.float32


def test_a_view_keeps_its_array_in_use():
    a = _workspace.empty(BIG, np.float32)
    address = a.ctypes.data
    view = a[3:, ::2].T
    del a
    assert _workspace.empty(BIG, np.float32).ctypes.data != address
    del view
    assert _workspace.empty(BIG, np.float32).ctypes.data == address


def test_shapes_and_dtypes_do_not_mix_and_small_arrays_are_not_pooled():
    a = _workspace.empty(BIG, np.float32)
    address = a.ctypes.data
    del a
    assert _workspace.empty(BIG, np.float64).ctypes.data != address
    assert _workspace.empty(BIG[::-1], np.float32).shape == BIG[::-1]
    assert _workspace.pooled_bytes() == 256 * 2 ** 10 * 4     # float32, float64 x2, T
    small = _workspace.empty((4, 4), np.float32)
    assert small.shape == (4, 4) and _workspace.pooled_bytes() == 256 * 2 ** 10 * 4


def test_the_pool_is_bounded(monkeypatch):
    monkeypatch.setattr(_workspace, "MAX_BYTES", 3 * 256 * 2 ** 10)
    held = [_workspace.empty(BIG, np.float32) for _ in range(6)]
    assert _workspace.pooled_bytes() <= 3 * 256 * 2 ** 10
    assert len({a.ctypes.data for a in held}) == 6            # all distinct, all valid
    del held
    other = [_workspace.empty((128, 512), np.float32) for _ in range(3)]
    assert _workspace.pooled_bytes() <= 3 * 256 * 2 ** 10      # free ones made room
    assert len(other) == 3


def lstm_problem(seed, T=7, B=3, D=4, H=5):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((T, B, D)), rng.standard_normal((B, H)),
            rng.standard_normal((B, H)), rng.standard_normal((4 * H, D)),
            rng.standard_normal((4 * H, H)), rng.standard_normal(4 * H),
            rng.standard_normal(4 * H)), rng.standard_normal((T, B, H))


def test_two_lstm_caches_alive_at_once_stay_apart(monkeypatch):
    # pool even these small arrays, so that the test exercises the reuse
    monkeypatch.setattr(_workspace, "MIN_BYTES", 0)
    (args1, dout1), (args2, dout2) = lstm_problem(1), lstm_problem(2)
    alone = []
    for args, dout in ((args1, dout1), (args2, dout2)):
        out, _, cache = lstm_forward(*args)
        alone.append((out.copy(), {k: v.copy() for k, v in
                                   lstm_backward(dout, cache).items()}))
        del out, cache
    out1, _, cache1 = lstm_forward(*args1)      # both caches held, then both used
    out2, _, cache2 = lstm_forward(*args2)
    grads2 = lstm_backward(dout2, cache2)
    grads1 = lstm_backward(dout1, cache1)
    for (out, grads), (out_alone, grads_alone) in zip(((out1, grads1), (out2, grads2)),
                                                      alone):
        np.testing.assert_array_equal(out, out_alone)
        for name in grads_alone:
            np.testing.assert_array_equal(grads[name], grads_alone[name])
    # results a caller holds survive later calls
    x_grad = grads1["x"].copy()
    for _ in range(3):
        lstm_backward(dout2, lstm_forward(*args2)[2])
    np.testing.assert_array_equal(grads1["x"], x_grad)
    np.testing.assert_array_equal(out1, alone[0][0])
